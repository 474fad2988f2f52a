import { randomBytes } from 'node:crypto';
import { dropDatabase, openDatabase } from '../harness/database.js';
import { spawnServer } from '../harness/spawn.js';
import type { ServerSpec, Target } from '../harness/spec.js';
import { appendSlope } from '../load/appendSlope.js';
import { closedLoop, closedLoopBody, type ClosedLoopFigures } from '../load/closedLoop.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { WireClient } from '../load/wire.js';
import { emptyResult, type CaseResult, type Context, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'ackedPerSecond', label: 'acked messages', unit: 'msg/s' as const },
  { key: 'cpuUsPerMessage', label: 'server CPU per message', unit: 'µs' as const },
  { key: 'ackP50', label: 'ack p50', unit: 'ms' as const },
  { key: 'ackP99', label: 'ack p99', unit: 'ms' as const },
  { key: 'cores', label: 'server CPU', unit: 'cores' as const },
  { key: 'deliveredPct', label: 'delivered', unit: '%' as const },
  { key: 'appendP50', label: 'one append, p50', unit: 'ms' as const },
  { key: 'appendMean', label: 'one append, mean', unit: 'ms' as const },
  { key: 'appendMax', label: 'one append, slowest', unit: 'ms' as const },
];

async function sendersInOneRoom(ctx: Context, target: Target, mongo: ServerSpec['mongo']): Promise<ClosedLoopFigures> {
  const count = ctx.options.dbSenders;
  const server = await spawnServer({ target, instances: 1, users: target === 'confab' ? count : 0, ...(mongo ? { mongo } : {}) });
  try {
    const url = server.info.urls[0]!;
    const crowd = await connectCrowd({ count, batch: count, deadlineMs: 60_000, open: (i) => WireClient.open(url, '/lobby', connectAs(server.info, i)) });
    if (crowd.clients.length < count) throw new Error(`${target}: only ${crowd.clients.length} of ${count} connected (${crowd.firstError})`);
    const run = await closedLoop({
      servers: [server],
      senders: crowd.clients,
      // Every member receives every message; a few are checked (parsing all would load the load generator).
      receivers: crowd.clients.slice(0, 5),
      event: 'message:send',
      deliveryEvent: 'message:new',
      fanout: Math.min(5, count),
      seconds: ctx.options.dbSeconds,
      payload: (_, clientId) => ({ clientId, body: closedLoopBody(clientId) }),
    });
    await disperse(crowd.clients);
    return run;
  } finally {
    await server.stop();
  }
}

function record(row: CaseResult, target: Target, run: ClosedLoopFigures): void {
  row[target] = { ackedPerSecond: run.ackedPerSecond, cpuUsPerMessage: run.cpuUsPerMessage, ackP50: run.ackP50, ackP99: run.ackP99, cores: run.cores, deliveredPct: run.deliveredPct };
  if (run.deliveredPct < 100 || run.errors.length > 0) {
    row.complete = false;
    row.problems.push(`${target}: ${run.deliveredPct.toFixed(1)}% delivered${run.errors.length ? ` (${run.errors.join('; ')})` : ''}`);
  }
}

/**
 * The database path: senders in one room with Confab on the database beside Confab on the memory
 * store (bare: one raw insert per message, and none); then the append slope as the room grows.
 */
export const db: Scenario = async (ctx) => {
  const { options } = ctx;
  const result = emptyResult('db', METRICS);
  const database = await openDatabase({ smoke: options.smoke });
  if ('skipped' in database) return { ...result, skipped: database.skipped };
  const tag = randomBytes(3).toString('hex');
  const dbNames = ctx.options.targets.map((target) => `confab_bench_${target}_${tag}`);
  const slopeDb = `confab_bench_slope_${tag}`;
  try {
    result.notes.push(`database: ${database.backend}. Bare's database row: one insertOne per message (seq known in memory) with Confab's unique indexes.`);
    const onDb: CaseResult = { name: `${options.dbSenders} senders, one room, database`, bare: {}, confab: {}, complete: true, problems: [] };
    const inMemory: CaseResult = { name: `${options.dbSenders} senders, one room, memory`, bare: {}, confab: {}, complete: true, problems: [] };
    for (const [i, target] of ctx.options.targets.entries()) {
      ctx.log(`db: ${target} on the database`);
      record(onDb, target, await sendersInOneRoom(ctx, target, { url: database.url, dbName: dbNames[i]! }));
      ctx.log(`db: ${target} in memory`);
      record(inMemory, target, await sendersInOneRoom(ctx, target, undefined));
    }
    result.cases.push(onDb, inMemory);
    const confabDb = onDb.confab.ackedPerSecond;
    const confabMemory = inMemory.confab.ackedPerSecond;
    if (confabDb && confabMemory) result.notes.push(`Confab on the database sends ${(confabDb / confabMemory).toFixed(3)}× what it sends on the memory store.`);

    ctx.log(`db: append slope at ${options.dbSizes.join(', ')} messages`);
    const points = await appendSlope({ url: database.url, dbName: slopeDb, sizes: options.dbSizes, appends: options.dbAppends, seedSeconds: options.dbSeedSeconds, appendSeconds: options.dbAppendSeconds });
    for (const [i, point] of points.entries()) {
      const short = point.size < options.dbSizes[i]! ? `, seeding stopped at ${options.dbSeedSeconds} s` : '';
      const few = point.appends < options.dbAppends ? `, ${point.appends} appends in the ${options.dbAppendSeconds} s budget` : '';
      result.cases.push({
        name: `append, room of ${point.size}${short}${few}`,
        bare: { appendP50: point.bareMs.p50, appendMean: point.bareMs.mean, appendMax: point.bareMs.max },
        confab: { appendP50: point.confabMs.p50, appendMean: point.confabMs.mean, appendMax: point.confabMs.max },
        complete: true,
        problems: [],
      });
    }
    const [first, last] = [points[0], points.at(-1)];
    if (first && last && points.length > 1) {
      result.notes.push(
        `append slope, room of ${first.size} → ${last.size}: Confab's append ×${(last.confabMs.mean / first.confabMs.mean).toFixed(2)}, a raw insert ×${(last.bareMs.mean / first.bareMs.mean).toFixed(2)} (means of appends one after another).`,
      );
    }
  } finally {
    for (const dbName of [...dbNames, slopeDb]) await dropDatabase(database.url, dbName).catch(() => undefined);
    await database.close();
  }
  return result;
};
