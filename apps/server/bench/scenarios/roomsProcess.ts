import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinning, type ServerProcess } from '../harness/spawn.js';
import type { Command, ReadyInfo, Sample } from '../harness/spec.js';
import type { RoomsCommand, RoomsServerSpec } from './roomsServer.js';

const CHILD = fileURLToPath(new URL('./roomsServer.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

type FromChild =
  | { type: 'ready'; info: ReadyInfo }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

/** A rooms server process; usable wherever the harness takes a ServerProcess (`quiet`, `startMeter`). */
export interface RoomsServerProcess extends ServerProcess {
  ask(command: RoomsCommand): Promise<unknown>;
}

/** Starts roomsServer.ts as spawnServer starts the harness's child: pinned to the server core, with --expose-gc. */
export async function spawnRoomsServer(spec: RoomsServerSpec): Promise<RoomsServerProcess> {
  const node = [process.execPath, '--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(spec)];
  const [file, ...args] = pinning ? ['taskset', '-c', pinning.server, ...node] : node;
  const child: ChildProcess = spawn(file!, args, { cwd: SERVER_DIR, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 1;

  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the ${spec.target} rooms server exited (${code}) before it was ready`));
      for (const waiting of pending.values()) waiting.reject(new Error('the rooms server exited'));
      pending.clear();
    });
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') resolve(message.info);
      else if (message.type === 'failed') reject(new Error(`the ${spec.target} rooms server failed to start: ${message.error}`));
      else {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.result);
        else waiting?.reject(new Error(message.error));
      }
    });
  });

  const ask = (command: RoomsCommand): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error('the rooms server is gone'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, ...command });
    });

  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid!,
    info,
    ask,
    command: (command: Command) => (command.cmd === 'sample' || command.cmd === 'stop' ? ask(command) : Promise.reject(new Error(`the rooms server does not take ${command.cmd}`))),
    sample: (options = {}) => ask({ cmd: 'sample', gc: options.gc ?? false }) as Promise<Sample>,
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
