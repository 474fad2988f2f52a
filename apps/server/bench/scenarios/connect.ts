import { startMeter, quiet } from '../harness/meter.js';
import { profilePhase } from '../harness/profiling.js';
import { spawnServer } from '../harness/spawn.js';
import type { Target } from '../harness/spec.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { latency } from '../load/stats.js';
import { SinkClient } from '../load/sink.js';
import { emptyResult, type CaseResult, type Context, type Figures, type ProfileSummary, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'cpuMsPerConnection', label: 'server CPU per connection', unit: 'ms' as const },
  { key: 'cpuSeconds', label: 'server CPU in all', unit: 'CPU-s' as const },
  { key: 'wallSeconds', label: 'wall time to all connected', unit: 's' as const },
  { key: 'connectP99', label: 'connect latency p99', unit: 'ms' as const },
  { key: 'rssKBPerConnection', label: 'RSS growth per connection', unit: 'KB' as const },
  { key: 'heapKBPerConnection', label: 'heap growth per connection', unit: 'KB' as const },
  { key: 'connected', label: 'connected', unit: 'n' as const },
];

/** N users connect to /lobby in batches, on a fresh server each time (users exist beforehand). */
async function measure(ctx: Context, target: Target, size: number): Promise<{ figures: Figures; problem?: string; profile?: ProfileSummary }> {
  const { options } = ctx;
  const server = await spawnServer({ target, instances: 1, users: target === 'confab' ? size : 0 });
  try {
    const url = server.info.urls[0]!;
    const meter = await startMeter([server], { gc: true });
    const stopProfile = await profilePhase(ctx, server, target, `connect-${size}`);
    const crowd = await connectCrowd({
      count: size,
      batch: options.batch,
      deadlineMs: options.connectDeadlineSeconds * 1000,
      open: (i) => SinkClient.open(url, '/lobby', connectAs(server.info, i)),
    });
    // Work set off by the connects (presence fan-out) belongs to their cost; but not for ever,
    // or a server that is never idle (work per connection per interval) would be charged that too.
    await quiet([server], { maxMs: 10_000 });
    const usage = await meter.lap({ gc: true });
    const profile = await stopProfile();
    const connected = crowd.clients.length;
    const per = (value: number) => (connected > 0 ? value / connected : null);
    const figures: Figures = {
      cpuMsPerConnection: per(usage.cpuSeconds * 1000),
      cpuSeconds: usage.cpuSeconds,
      wallSeconds: crowd.wallSeconds,
      connectP99: latency(crowd.connectMs.values()).p99,
      rssKBPerConnection: per((usage.end[0]!.rss - meter.start[0]!.rss) / 1024),
      heapKBPerConnection: per((usage.end[0]!.heapUsed - meter.start[0]!.heapUsed) / 1024),
      connected,
    };
    await disperse(crowd.clients);
    const problem =
      connected < size
        ? `${target}: ${connected} of ${size} connected${crowd.timedOut ? ` before the ${options.connectDeadlineSeconds} s deadline` : ''}${crowd.firstError ? ` (first error: ${crowd.firstError})` : ''}`
        : undefined;
    return { figures, ...(problem ? { problem } : {}), ...(profile ? { profile } : {}) };
  } finally {
    await server.stop();
  }
}

export const connect: Scenario = async (ctx) => {
  const result = emptyResult('connect', METRICS);
  for (const size of ctx.options.connectSizes) {
    const row: CaseResult = { name: `${size} users`, bare: {}, confab: {}, complete: true, problems: [] };
    for (const target of ctx.options.targets) {
      ctx.log(`connect: ${size} users, ${target}`);
      const measured = await measure(ctx, target, size);
      row[target] = measured.figures;
      if (measured.problem) {
        row.complete = false;
        row.problems.push(measured.problem);
      }
      if (measured.profile) result.profiles.push(measured.profile);
    }
    result.cases.push(row);
  }
  return result;
};
