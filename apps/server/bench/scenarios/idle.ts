import { quiet, startMeter } from '../harness/meter.js';
import { profilePhase } from '../harness/profiling.js';
import { spawnServer } from '../harness/spawn.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { sleep } from '../load/stats.js';
import { SinkClient } from '../load/sink.js';
import { emptyResult, type CaseResult, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'cores', label: 'server CPU while idle', unit: 'cores' as const },
  { key: 'rssKBPerConnection', label: 'RSS per idle connection', unit: 'KB' as const },
  { key: 'heapKBPerConnection', label: 'heap per idle connection', unit: 'KB' as const },
  { key: 'rssMB', label: 'server RSS', unit: 'MB' as const },
  { key: 'connected', label: 'connected (at the end)', unit: 'n' as const },
];

/**
 * N connections doing nothing for a while that spans at least two session-recheck intervals
 * (Confab's set short) and a presence sweep. Both servers keep Socket.IO's default heartbeat.
 */
export const idle: Scenario = async (ctx) => {
  const { options } = ctx;
  const result = emptyResult('idle', METRICS);
  const count = options.idleClients;
  const row: CaseResult = { name: `${count} connections, ${options.idleSeconds} s`, bare: {}, confab: {}, complete: true, problems: [] };
  result.notes.push(`Confab's session recheck every ${options.recheckMs} ms (${Math.floor((options.idleSeconds * 1000) / options.recheckMs)} rechecks in the window); heartbeat: Socket.IO's default on both.`);
  for (const target of ctx.options.targets) {
    ctx.log(`idle: ${count} connections, ${target}`);
    const server = await spawnServer({ target, instances: 1, users: target === 'confab' ? count : 0, sessionRecheckMs: options.recheckMs });
    try {
      const url = server.info.urls[0]!;
      const before = await startMeter([server], { gc: true });
      const crowd = await connectCrowd({
        count,
        batch: options.batch,
        deadlineMs: options.connectDeadlineSeconds * 1000,
        open: (i) => SinkClient.open(url, '/lobby', connectAs(server.info, i)),
      });
      await quiet([server], { maxMs: 15_000 });
      const loaded = await before.lap({ gc: true });
      const stopProfile = await profilePhase(ctx, server, target, `idle-${count}`);
      const meter = await startMeter([server]);
      await sleep(options.idleSeconds * 1000);
      const usage = await meter.lap();
      const profile = await stopProfile();
      if (profile) result.profiles.push(profile);
      const stillOpen = crowd.clients.filter((client) => client.isOpen).length;
      const connected = crowd.clients.length;
      row[target] = {
        cores: usage.cores,
        rssKBPerConnection: connected ? (loaded.end[0]!.rss - before.start[0]!.rss) / 1024 / connected : null,
        heapKBPerConnection: connected ? (loaded.end[0]!.heapUsed - before.start[0]!.heapUsed) / 1024 / connected : null,
        rssMB: usage.rss / 1024 / 1024,
        connected: stillOpen,
      };
      if (stillOpen < count) {
        row.complete = false;
        row.problems.push(`${target}: ${stillOpen} of ${count} connections open at the end (${connected} had connected${crowd.firstError ? `; first error: ${crowd.firstError}` : ''})`);
      }
      await disperse(crowd.clients);
    } finally {
      await server.stop();
    }
  }
  result.cases.push(row);
  return result;
};
