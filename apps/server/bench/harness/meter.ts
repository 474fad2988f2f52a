import { sleep } from '../load/stats.js';
import type { ServerProcess } from './spawn.js';
import type { Sample } from './spec.js';

export interface Usage {
  /** Server CPU time over the phase, all server processes together, in seconds. */
  cpuSeconds: number;
  wallSeconds: number;
  /** Server CPU as a fraction of one core. */
  cores: number;
  /** The load generator's own CPU, as a fraction of one core: near 1 means it, not the server, was the limit. */
  loadCores: number;
  /** RSS of the server processes together at the end, in bytes. */
  rss: number;
}

export interface Meter {
  /** What the servers used since the meter started (or since the last `lap`), and starts a new lap. */
  lap(options?: { gc?: boolean }): Promise<Usage & { end: Sample[] }>;
}

const sampleAll = (servers: ServerProcess[], gc = false) => Promise.all(servers.map((server) => server.sample({ gc })));

/** Measures the servers' CPU (process.cpuUsage() reported by each server process) over phases. */
export async function startMeter(servers: ServerProcess[], options: { gc?: boolean } = {}): Promise<Meter & { start: Sample[] }> {
  let start = await sampleAll(servers, options.gc);
  let loadStart = process.cpuUsage();
  let wallStart = performance.now();
  return {
    start,
    async lap(lapOptions = {}) {
      const end = await sampleAll(servers, lapOptions.gc);
      const load = process.cpuUsage(loadStart);
      const wallSeconds = (performance.now() - wallStart) / 1000;
      const cpuSeconds = end.reduce((sum, sample, i) => sum + (sample.cpuUs - start[i]!.cpuUs), 0) / 1e6;
      const usage = {
        cpuSeconds,
        wallSeconds,
        cores: cpuSeconds / wallSeconds,
        loadCores: (load.user + load.system) / 1e6 / wallSeconds,
        rss: end.reduce((sum, sample) => sum + sample.rss, 0),
        end,
      };
      start = end;
      loadStart = process.cpuUsage();
      wallStart = performance.now();
      return usage;
    },
  };
}

/**
 * Waits until the servers are quiet (under `threshold` of a core over a 250 ms window), so work a
 * phase set off (presence fan-out after connects) is counted in it; gives up after `maxMs`.
 */
export async function quiet(servers: ServerProcess[], options: { threshold?: number; maxMs?: number } = {}): Promise<boolean> {
  const deadline = performance.now() + (options.maxMs ?? 30_000);
  let last = await sampleAll(servers);
  while (performance.now() < deadline) {
    await sleep(250);
    const now = await sampleAll(servers);
    const cpuUs = now.reduce((sum, sample, i) => sum + sample.cpuUs - last[i]!.cpuUs, 0);
    const wallUs = (now[0]!.at - last[0]!.at) * 1000;
    last = now;
    if (cpuUs / wallUs < (options.threshold ?? 0.03)) return true;
  }
  return false;
}
