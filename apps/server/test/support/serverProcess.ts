import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** A Confab server running as a child process, as an operator runs it. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, from the server's own "listening" log line. */
  url: string;
  child: ChildProcess;
  /** The process's command line, read from /proc: what it was really started with. */
  argv: string[];
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, and resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
}

const LISTENING = 'Confab is listening';

/**
 * Starts `node <args>` in `cwd` on a free port (PORT=0) and resolves once the server logs that it
 * listens. `env` is the whole environment (nothing is inherited but PATH), so a test says exactly
 * what the server sees: no NODE_OPTIONS can slip a loader in.
 */
export function startServerProcess(args: string[], cwd: string, env: Record<string, string>, timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_PRETTY: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the server did not log "${LISTENING}" within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    };
    child.once('exit', onEarlyExit);
    const onData = (chunk: Buffer) => {
      const before = output.length;
      output += chunk.toString('utf8');
      for (const line of output.slice(output.lastIndexOf('\n', before) + 1).split('\n')) {
        if (!line.includes(LISTENING)) continue;
        let port: unknown;
        try {
          port = (JSON.parse(line) as { port?: unknown }).port;
        } catch {
          continue;
        }
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        void readFile(`/proc/${child.pid}/cmdline`, 'utf8').then((cmdline) =>
          resolve({ url: `http://127.0.0.1:${String(port)}`, child, argv: cmdline.split('\0').filter(Boolean), output: () => output, stop }),
        );
        return;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}
