// The server process: runs the instances the parent asked for and answers its commands over
// IPC. Started by spawn.ts, pinned to the server core, with --expose-gc.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { Command, FromChild, Sample, ServerSpec, ToChild } from './spec.js';

const send = (message: FromChild) => process.send!(message);
const spec = JSON.parse(process.argv[2]!) as ServerSpec;
// The parent is gone: nothing left to serve.
process.on('disconnect', () => process.exit(0));

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

let profiler: Session | undefined;

interface Running {
  instances: { crash(): Promise<void> }[];
  close(): Promise<void>;
}

async function run(command: Command, running: Running): Promise<unknown> {
  switch (command.cmd) {
    case 'sample':
      return sample(command.gc ?? false);
    case 'profileStart':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return null;
    case 'profileStop': {
      if (!profiler) throw new Error('no profile running');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      await writeFile(command.file, JSON.stringify(profile));
      return command.file;
    }
    case 'crash':
      await running.instances[command.instance]!.crash();
      return null;
    case 'stop':
      await running.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

try {
  // Imported on demand: the bare server's process must not carry Confab's modules in its memory.
  const running =
    spec.target === 'confab'
      ? await (await import('./confab.js')).startConfab(spec)
      : await (await import('../bare/instances.js')).startBareInstances(spec);
  process.on('message', (message: ToChild) => {
    run(message, running).then(
      (result) => send({ type: 'reply', id: message.id, ok: true, result }),
      (err: unknown) => send({ type: 'reply', id: message.id, ok: false, error: String((err as Error)?.stack ?? err) }),
    );
  });
  send({ type: 'ready', info: running.info });
} catch (err) {
  send({ type: 'failed', error: String((err as Error)?.stack ?? err) });
  process.exit(1);
}
