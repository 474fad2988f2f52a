import { quiet, startMeter } from '../harness/meter.js';
import { startRedis } from '../harness/redis.js';
import { spawnServer, type ServerProcess } from '../harness/spawn.js';
import { BroadcastRun } from '../load/broadcast.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { sleep } from '../load/stats.js';
import { SinkClient } from '../load/sink.js';
import { WireClient } from '../load/wire.js';
import { emptyResult, type CaseResult, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'cores', label: 'server CPU, both instances', unit: 'cores' as const },
  { key: 'ackP50', label: 'ack p50', unit: 'ms' as const },
  { key: 'ackP99', label: 'ack p99', unit: 'ms' as const },
  { key: 'p99', label: 'delivery p99', unit: 'ms' as const },
  { key: 'deliveredPct', label: 'delivered', unit: '%' as const },
  { key: 'loadCores', label: 'load generator CPU', unit: 'cores' as const },
  { key: 'idleCores', label: 'server CPU while idle, both', unit: 'cores' as const },
  { key: 'rssMB', label: 'server RSS, both', unit: 'MB' as const },
];

/**
 * Two instances on one Redis (a fresh redis-server of our own), both pinned to the server core
 * as the issue measured them, clients split between them: first idle, then lobby traffic sent
 * through both. Bare: two bare servers with the same Redis adapter.
 */
export const scaleout: Scenario = async (ctx) => {
  const { options } = ctx;
  const result = emptyResult('scaleout', METRICS);
  const count = options.scaleoutClients;
  const half = Math.ceil(count / 2);
  const idleRow: CaseResult = { name: `2 instances, ${count} idle clients`, bare: {}, confab: {}, complete: true, problems: [] };
  const busyRow: CaseResult = { name: `2 instances, ${count} clients, ${options.scaleoutRate} msg/s`, bare: {}, confab: {}, complete: true, problems: [] };
  for (const target of ctx.options.targets) {
    ctx.log(`scaleout: ${target}`);
    const redis = await startRedis();
    const servers: ServerProcess[] = [];
    try {
      for (let i = 0; i < 2; i++) servers.push(await spawnServer({ target, instances: 1, redisUrl: redis.url, users: target === 'confab' ? half : 0 }));
      // Each instance: its share of the senders, the rest of its half receiving.
      const sendersOn = (instance: number) => Math.floor(options.fanoutSenders / 2) + (instance === 0 ? options.fanoutSenders % 2 : 0);
      const crowds = await Promise.all(
        servers.map((server, instance) =>
          connectCrowd({
            count: half - sendersOn(instance),
            batch: options.batch,
            deadlineMs: options.connectDeadlineSeconds * 1000,
            open: (i) => SinkClient.open(server.info.urls[0]!, '/lobby', connectAs(server.info, i)),
          }),
        ),
      );
      const clients = crowds.flatMap((crowd) => crowd.clients);
      const receiving = 2 * half - options.fanoutSenders;
      if (clients.length < receiving) throw new Error(`${target}: only ${clients.length} of ${receiving} clients connected (${crowds.map((c) => c.firstError).filter(Boolean).join('; ') || 'deadline'})`);
      // Senders alternate between the instances, so every message crosses Redis for half the lobby.
      const senders = await Promise.all(
        Array.from({ length: options.fanoutSenders }, (_, i) => {
          const server = servers[i % 2]!;
          return WireClient.open(server.info.urls[0]!, '/lobby', connectAs(server.info, half - 1 - Math.floor(i / 2)));
        }),
      );
      await quiet(servers, { maxMs: 15_000 });
      const idleMeter = await startMeter(servers);
      await sleep(options.scaleoutIdleSeconds * 1000);
      const idleUsage = await idleMeter.lap();
      idleRow[target] = { idleCores: idleUsage.cores, rssMB: idleUsage.rss / 1024 / 1024 };

      const broadcast = new BroadcastRun(clients);
      const run = await broadcast.run({ servers, senders, rate: options.scaleoutRate, seconds: options.scaleoutSeconds });
      busyRow[target] = { cores: run.cores, ackP50: run.ackP50, ackP99: run.ackP99, p99: run.p99, deliveredPct: run.deliveredPct, loadCores: run.loadCores };
      if (run.deliveredPct < 100 || run.acked < run.sent) {
        busyRow.complete = false;
        busyRow.problems.push(`${target}: ${run.deliveredPct.toFixed(1)}% delivered, ${run.acked} of ${run.sent} acked${run.errors.length ? ` (${run.errors.join('; ')})` : ''}`);
      }
      await disperse([...clients, ...senders]);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      await redis.stop();
    }
  }
  result.cases.push(idleRow, busyRow);
  result.notes.push('Each instance is a process of its own with its own memory store (its own users); they share only Redis.');
  return result;
};
