import type { Readable } from 'node:stream';
import { createAdmin } from './commands/createAdmin.js';
import { deactivate, reactivate } from './commands/deactivation.js';
import { resetPassword } from './commands/resetPassword.js';
import { status } from './commands/status.js';
import { openContext, readConfig, type CliContext } from './context.js';
import { EXIT } from './errors.js';
import type { Output } from './output.js';

export interface CliIo {
  out: Output;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

export interface OptionSpec {
  type: 'boolean' | 'string';
  /** Shown in the usage for a string option: `--display-name NAME`. */
  valueName?: string;
  description: string;
}

export interface Parsed {
  args: string[];
  values: Record<string, string | boolean | undefined>;
}

export interface CommandSpec {
  name: string;
  args: readonly string[];
  /** Trailing arguments that may be left out. */
  optionalArgs?: readonly string[];
  options: Record<string, OptionSpec>;
  summary: string;
  run(parsed: Parsed, io: CliIo): Promise<number>;
}

const passwordStdin: OptionSpec = { type: 'boolean', description: 'read the password from standard input instead of generating one' };

/** Opens the stores (for writing), runs `work`, and closes them, which writes the embedded store's file. */
async function changing(io: CliIo, work: (ctx: CliContext) => Promise<void>): Promise<number> {
  const ctx = await openContext(readConfig(io.env), { out: io.out, stdin: io.stdin }, { willChange: true });
  try {
    await work(ctx);
  } finally {
    await ctx.close();
  }
  return EXIT.ok;
}

const username = (parsed: Parsed) => parsed.args[0]!;

/** Every command, in the order `help` lists them (`help` itself is added by the runner). */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'create-admin',
    args: ['username'],
    options: { 'display-name': { type: 'string', valueName: 'NAME', description: 'the display name of a new account (default: the username)' }, 'password-stdin': passwordStdin },
    summary: 'Create an admin account (a generated password is printed once), or make an existing user an admin.',
    run: (parsed, io) =>
      changing(io, (ctx) =>
        createAdmin(ctx, {
          username: username(parsed),
          displayName: parsed.values['display-name'] as string | undefined,
          passwordFromStdin: parsed.values['password-stdin'] === true,
        }),
      ),
  },
  {
    name: 'reset-password',
    args: ['username'],
    options: { 'password-stdin': passwordStdin },
    summary: 'Set a new password (a generated one is printed once) and end every session of the user.',
    run: (parsed, io) => changing(io, (ctx) => resetPassword(ctx, { username: username(parsed), passwordFromStdin: parsed.values['password-stdin'] === true })),
  },
  {
    name: 'deactivate',
    args: ['username'],
    options: {},
    summary: 'Deactivate a user: they cannot sign in and every session ends; their messages stay. Never the last admin.',
    run: (parsed, io) => changing(io, (ctx) => deactivate(ctx, { username: username(parsed) })),
  },
  {
    name: 'reactivate',
    args: ['username'],
    options: {},
    summary: 'Let a deactivated user sign in again.',
    run: (parsed, io) => changing(io, (ctx) => reactivate(ctx, { username: username(parsed) })),
  },
  {
    name: 'status',
    args: [],
    options: {},
    summary: 'Show the database and whether it answers, users, rooms, messages, the settings in force and Redis. Exit 1 if the database or Redis does not answer.',
    run: (_parsed, io) => status(readConfig(io.env), io.out),
  },
];
