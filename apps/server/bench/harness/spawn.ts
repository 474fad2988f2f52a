import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command, FromChild, ReadyInfo, Sample, ServerSpec } from './spec.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Server processes go on core 0 and the load generator (this process) on core 1, when there are two. */
export const pinning = availableParallelism() >= 2 && hasTaskset() ? { server: '0', load: '1' } : undefined;

/** Pins this process, every thread of it, to the load generator's core. */
export function pinLoadGenerator(): void {
  if (pinning) execFileSync('taskset', ['-a', '-p', '-c', pinning.load, String(process.pid)], { stdio: 'ignore' });
}

export interface ServerProcess {
  pid: number;
  info: ReadyInfo;
  sample(options?: { gc?: boolean }): Promise<Sample>;
  command(command: Command): Promise<unknown>;
  /** Closes the servers and waits for the process to exit. */
  stop(): Promise<void>;
}

/** A child process started by spawnChild: `ask` sends one command over IPC and resolves with its reply. */
export interface ChildServer {
  pid: number;
  info: ReadyInfo;
  ask(message: object): Promise<unknown>;
  /** Sends `{ cmd: 'stop' }` and waits for the exit; kills the process if that fails or takes 15 s. */
  stop(): Promise<void>;
}

/**
 * Starts `childFile` (argv[2] = JSON of `spec`) pinned to the server core, with --expose-gc, and resolves
 * once it says ready. `name` is what errors call it ("server process", "rooms server").
 */
export async function spawnChild(childFile: string, spec: { target: string }, name: string): Promise<ChildServer> {
  const node = [process.execPath, '--expose-gc', '--import', 'tsx', childFile, JSON.stringify(spec)];
  const [file, ...args] = pinning ? ['taskset', '-c', pinning.server, ...node] : node;
  const child: ChildProcess = spawn(file!, args, { cwd: SERVER_DIR, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 1;

  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${spec.target} ${name} exited (${code}) before it was ready`)));
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') resolve(message.info);
      else if (message.type === 'failed') reject(new Error(`the ${spec.target} ${name} failed to start: ${message.error}`));
      else {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.result);
        else waiting?.reject(new Error(message.error));
      }
    });
  });
  child.once('exit', () => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the ${name} exited`));
    pending.clear();
  });

  const ask = (message: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error(`the ${name} is gone`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, ...message });
    });

  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid!,
    info,
    ask,
    stop() {
      stopped ??= (async () => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await ask({ cmd: 'stop' }).catch(() => child.kill('SIGKILL'));
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}

/** Starts a server process pinned to the server core and resolves once its instances listen. */
export async function spawnServer(spec: ServerSpec): Promise<ServerProcess> {
  const child = await spawnChild(CHILD, spec, 'server process');
  const command = (cmd: Command): Promise<unknown> => child.ask(cmd);
  return {
    pid: child.pid,
    info: child.info,
    command,
    sample: (options = {}) => command({ cmd: 'sample', gc: options.gc ?? false }) as Promise<Sample>,
    stop: child.stop,
  };
}
