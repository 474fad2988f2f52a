import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** apps/server: where `pnpm confab` runs the command line from. */
export const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** The repository's `pnpm confab` script. */
export const CONFAB_SCRIPT = fileURLToPath(new URL('../../../../scripts/confab.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** The whole environment besides PATH (nothing else is inherited); NODE_ENV defaults to `test`. */
  env?: Record<string, string>;
  /** Written to its stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** `source` (default): `node --import tsx src/cli/index.ts` in apps/server; `script`: `node scripts/confab.mjs`. */
  via?: 'source' | 'script';
  timeoutMs?: number;
}

/** Runs the operator command line as a child process, as an operator would, and resolves once it exited. */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const command = options.via === 'script' ? [CONFAB_SCRIPT] : ['--import', 'tsx', 'src/cli/index.ts'];
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...options.env },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`confab ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last line of the output: where the command line prints a generated password. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** `url` with its database path replaced by `dbName` (query and credentials kept). */
export function withDatabase(url: string, dbName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${dbName}`;
  return parsed.toString();
}
