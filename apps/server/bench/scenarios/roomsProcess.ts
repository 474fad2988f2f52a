import { fileURLToPath } from 'node:url';
import { spawnChild, type ServerProcess } from '../harness/spawn.js';
import type { Command, Sample } from '../harness/spec.js';
import type { RoomsCommand, RoomsServerSpec } from './roomsServer.js';

const CHILD = fileURLToPath(new URL('./roomsServer.ts', import.meta.url));

/** A rooms server process; usable wherever the harness takes a ServerProcess (`quiet`, `startMeter`). */
export interface RoomsServerProcess extends ServerProcess {
  ask(command: RoomsCommand): Promise<unknown>;
}

/** Starts roomsServer.ts as spawnServer starts the harness's child: pinned to the server core, with --expose-gc. */
export async function spawnRoomsServer(spec: RoomsServerSpec): Promise<RoomsServerProcess> {
  const child = await spawnChild(CHILD, spec, 'rooms server');
  const ask = (command: RoomsCommand): Promise<unknown> => child.ask(command);
  return {
    pid: child.pid,
    info: child.info,
    ask,
    command: (command: Command) => (command.cmd === 'sample' || command.cmd === 'stop' ? ask(command) : Promise.reject(new Error(`the rooms server does not take ${command.cmd}`))),
    sample: (options = {}) => ask({ cmd: 'sample', gc: options.gc ?? false }) as Promise<Sample>,
    stop: child.stop,
  };
}
