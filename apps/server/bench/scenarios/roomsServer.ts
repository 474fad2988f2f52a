// The rooms scenario's server process: Confab or the bare server with rooms written straight into
// its state, answering the parent's commands over IPC. Started by roomsProcess.ts, pinned to the
// server core, with --expose-gc, like harness/child.ts.
import type { ReadyInfo, Sample, Target } from '../harness/spec.js';

// Rooms and memberships are written straight into the server's state (as a deployment reads them
// from its database at start), never through the protocol.
export interface RoomsTarget {
  info: ReadyInfo;
  /** Makes `count` rooms, each with one message, whose members are the users at `members` (indexes into the seeded users). */
  seedRooms(count: number, members: number[]): Promise<void>;
  /** Makes the users at `users` members of every seeded room. */
  addMembers(users: number[]): Promise<void>;
  close(): Promise<void>;
}

export interface RoomsServerSpec {
  target: Target;
  /** Confab: users to seed with a session each (the bare server tells users apart by `auth.user`). */
  users: number;
}

export type RoomsCommand =
  | { cmd: 'sample'; gc?: boolean }
  | { cmd: 'seedRooms'; count: number; members: number[] }
  | { cmd: 'addMembers'; users: number[] }
  | { cmd: 'stop' };

const gc = (globalThis as { gc?: () => void }).gc;

function sample(withGc: boolean): Sample {
  if (withGc && gc) {
    gc();
    gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { cpuUs: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, at: performance.timeOrigin + performance.now() };
}

async function run(command: RoomsCommand, target: RoomsTarget): Promise<unknown> {
  switch (command.cmd) {
    case 'sample':
      return sample(command.gc ?? false);
    case 'seedRooms':
      return target.seedRooms(command.count, command.members);
    case 'addMembers':
      return target.addMembers(command.users);
    case 'stop':
      await target.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

// Run as the child process only (the scenario imports nothing but types from here).
if (process.send && process.argv[2]) {
  const send = (message: unknown) => process.send!(message);
  const spec = JSON.parse(process.argv[2]) as RoomsServerSpec;
  process.on('disconnect', () => process.exit(0));
  try {
    // Imported on demand: the bare server's process must not carry Confab's modules in its memory.
    const target = spec.target === 'confab' ? await (await import('./roomsConfab.js')).startConfabRooms(spec.users) : await (await import('./roomsBare.js')).startBareRooms();
    process.on('message', (message: { id: number } & RoomsCommand) => {
      run(message, target).then(
        (result) => send({ type: 'reply', id: message.id, ok: true, result: result ?? null }),
        (err: unknown) => send({ type: 'reply', id: message.id, ok: false, error: String((err as Error)?.stack ?? err) }),
      );
    });
    send({ type: 'ready', info: target.info });
  } catch (err) {
    send({ type: 'failed', error: String((err as Error)?.stack ?? err) });
    process.exit(1);
  }
}
