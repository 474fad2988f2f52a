import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { COMMANDS, type CliIo, type CommandSpec, type Parsed } from './commands.js';
import { CliError, EXIT, usageError } from './errors.js';
import { createOutput, type Output } from './output.js';

function synopsis(spec: CommandSpec): string {
  const args = [...spec.args.map((a) => `<${a}>`), ...(spec.optionalArgs ?? []).map((a) => `[${a}]`)];
  const options = Object.entries(spec.options).map(([name, o]) => `[--${name}${o.valueName ? ` ${o.valueName}` : ''}]`);
  return [spec.name, ...args, ...options].join(' ');
}

const HELP: CommandSpec = {
  name: 'help',
  args: [],
  optionalArgs: ['command'],
  options: {},
  summary: 'Show this help, or one command\'s.',
  run: async () => EXIT.ok,
};

function usage(): string {
  const lines = [
    'Usage: pnpm confab <command> [options]',
    '       (in the server image: node dist/cli.js <command> [options])',
    '',
    'Commands:',
    ...[...COMMANDS, HELP].flatMap((spec) => [`  ${synopsis(spec)}`, `      ${spec.summary}`]),
    '',
    'A password is never taken from the command line. With --password-stdin it is read from',
    'standard input (e.g. `pnpm confab reset-password alice --password-stdin < password.txt`);',
    'without it one is generated and printed once.',
    '',
    'It works on the server\'s database, with the server\'s settings (the environment, and the',
    'repository\'s .env with pnpm confab): MONGODB_URL, else the embedded store in DATA_DIR,',
    'which is changed only while no server runs on it and is never created by mistake;',
    'with REDIS_URL, running instances close the connections of users whose sessions end.',
    'Every change is written to the audit log as done by "operator".',
    '',
    'Exit status: 0 done, 1 not done (the reason is on stderr), 2 wrong usage.',
  ];
  return lines.join('\n');
}

function commandHelp(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) => `  --${name}${o.valueName ? ` ${o.valueName}` : ''}: ${o.description}`);
  return [`Usage: pnpm confab ${synopsis(spec)}`, '', spec.summary, ...(options.length > 0 ? ['', 'Options:', ...options] : [])].join('\n');
}

function parse(spec: CommandSpec, argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // parseArgs' messages name the option and say what is wrong with it.
    throw usageError(`${spec.name}: ${(err as Error).message}`, commandHelp(spec));
  }
  const { positionals } = parsed;
  const most = spec.args.length + (spec.optionalArgs?.length ?? 0);
  if (positionals.length < spec.args.length) throw usageError(`${spec.name}: name the ${spec.args.slice(positionals.length).join(' and ')}`, commandHelp(spec));
  if (positionals.length > most) throw usageError(`${spec.name}: unexpected argument ${JSON.stringify(positionals[most])}`, commandHelp(spec));
  return { args: positionals, values: parsed.values as Parsed['values'] };
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.out.error(usage());
    return EXIT.usage;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = parse(HELP, rest).args[0];
    if (topic === undefined) io.out.line(usage());
    else io.out.line(commandHelp(COMMANDS.find((s) => s.name === topic) ?? unknownCommand(topic)));
    return EXIT.ok;
  }
  const spec = COMMANDS.find((s) => s.name === name) ?? unknownCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out.line(commandHelp(spec));
    return EXIT.ok;
  }
  return spec.run(parse(spec, rest), io);
}

function unknownCommand(name: string): never {
  throw usageError(`unknown command ${JSON.stringify(name)}`);
}

function report(out: Output, err: unknown): number {
  if (err instanceof CliError) {
    out.error(`confab: ${err.message}`);
    if (err.exitCode === EXIT.usage && err.help !== '') out.error(`\n${err.help ?? usage()}`);
    return err.exitCode;
  }
  out.error(`confab: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return EXIT.failed;
}

/** Runs one command line (`argv` without node and the script) and resolves with its exit status. */
export async function runCli(argv: string[], io: { stdin: Readable; stdout: Writable; stderr: Writable; env: NodeJS.ProcessEnv }): Promise<number> {
  const out = createOutput(io.stdout, io.stderr);
  try {
    return await dispatch(argv, { out, stdin: io.stdin, env: io.env });
  } catch (err) {
    return report(out, err);
  }
}
