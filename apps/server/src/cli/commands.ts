import type { Readable } from 'node:stream';
import type { CliContext, OpenOptions } from './context.js';
import { EXIT } from './errors.js';
import type { Output } from './output.js';

// Commands load what they use (the stores, the database driver, Redis) only when they run, so
// that `help` and a mistyped command answer at once.
const context = () => import('./context.js');

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
async function changing(io: CliIo, open: Omit<OpenOptions, 'willChange'>, work: (ctx: CliContext) => Promise<void>): Promise<number> {
  const { openContext, readConfig } = await context();
  const ctx = await openContext(readConfig(io.env), { out: io.out }, { ...open, willChange: true });
  try {
    await work(ctx);
  } finally {
    await ctx.close();
  }
  return EXIT.ok;
}

const username = (parsed: Parsed) => parsed.args[0]!;

/** Read (and checked) before the database is opened: a refused password changes nothing and costs no connection. */
async function passwordFor(parsed: Parsed, io: CliIo) {
  const { newPassword } = await import('./passwordInput.js');
  return newPassword({ fromStdin: parsed.values['password-stdin'] === true, stdin: io.stdin });
}

/** Every command, in the order `help` lists them (`help` itself is added by the runner). */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'create-admin',
    args: ['username'],
    options: { 'display-name': { type: 'string', valueName: 'NAME', description: 'the display name of a new account (default: the username)' }, 'password-stdin': passwordStdin },
    summary: 'Create an admin account (a generated password is printed once), or make an existing user an admin.',
    async run(parsed, io) {
      const { checkCreateAdmin, createAdmin } = await import('./commands/createAdmin.js');
      const names = checkCreateAdmin({ username: username(parsed), displayName: parsed.values['display-name'] as string | undefined });
      const password = await passwordFor(parsed, io);
      // A fresh install's first admin may start the embedded store; in a DATA_DIR that exists only,
      // unless it is the default one: a mistyped DATA_DIR must not become an empty new store.
      const createStore = io.env.DATA_DIR ? 'in-existing-folder' : 'with-folder';
      return changing(io, { command: 'create-admin', createStore }, (ctx) => createAdmin(ctx, { ...names, password }));
    },
  },
  {
    name: 'reset-password',
    args: ['username'],
    options: { 'password-stdin': passwordStdin },
    summary: 'Set a new password (a generated one is printed once) and end every session of the user.',
    async run(parsed, io) {
      const { resetPassword } = await import('./commands/resetPassword.js');
      const password = await passwordFor(parsed, io);
      return changing(io, { command: 'reset-password' }, (ctx) => resetPassword(ctx, { username: username(parsed), password }));
    },
  },
  {
    name: 'deactivate',
    args: ['username'],
    options: {},
    summary: 'Deactivate a user: they cannot sign in and every session ends; their messages stay. Never the last admin.',
    run: (parsed, io) => changing(io, { command: 'deactivate' }, async (ctx) => (await import('./commands/deactivation.js')).deactivate(ctx, { username: username(parsed) })),
  },
  {
    name: 'reactivate',
    args: ['username'],
    options: {},
    summary: 'Let a deactivated user sign in again.',
    run: (parsed, io) => changing(io, { command: 'reactivate' }, async (ctx) => (await import('./commands/deactivation.js')).reactivate(ctx, { username: username(parsed) })),
  },
  {
    name: 'status',
    args: [],
    options: {},
    summary: 'Show the database and whether it answers, users, rooms, messages, the settings in force and Redis. Exit 1 if the database or Redis does not answer, or DATA_DIR holds no Confab data.',
    run: async (_parsed, io) => {
      const [{ readConfig }, { status }] = await Promise.all([context(), import('./commands/status.js')]);
      return status(readConfig(io.env), io.out);
    },
  },
];
