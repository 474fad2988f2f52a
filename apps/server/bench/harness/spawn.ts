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

/** Starts a server process pinned to the server core and resolves once its instances listen. */
export async function spawnServer(spec: ServerSpec): Promise<ServerProcess> {
  const node = [process.execPath, '--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(spec)];
  const [file, ...args] = pinning ? ['taskset', '-c', pinning.server, ...node] : node;
  const child: ChildProcess = spawn(file!, args, { cwd: SERVER_DIR, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 1;

  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${spec.target} server process exited (${code}) before it was ready`)));
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') resolve(message.info);
      else if (message.type === 'failed') reject(new Error(`the ${spec.target} server failed to start: ${message.error}`));
      else {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.result);
        else waiting?.reject(new Error(message.error));
      }
    });
  });
  child.once('exit', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the server process exited'));
    pending.clear();
  });

  const command = (cmd: Command): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error('the server process is gone'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, ...cmd });
    });

  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid!,
    info,
    command,
    sample: (options = {}) => command({ cmd: 'sample', gc: options.gc ?? false }) as Promise<Sample>,
    stop() {
      stopped ??= (async () => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await command({ cmd: 'stop' }).catch(() => child.kill('SIGKILL'));
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
