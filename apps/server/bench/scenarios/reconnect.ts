import { quiet, startMeter } from '../harness/meter.js';
import { startRedis } from '../harness/redis.js';
import { spawnServer } from '../harness/spawn.js';
import type { Target } from '../harness/spec.js';
import { BODY } from '../load/broadcast.js';
import { CatchingUpMember } from '../load/catchUp.js';
import { connectAs, connectCrowd } from '../load/crowd.js';
import { latency, sleep, until } from '../load/stats.js';
import { WireClient } from '../load/wire.js';
import { emptyResult, type CaseResult, type Context, type Figures, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'allCaughtUpSeconds', label: 'kill → every client caught up', unit: 's' as const },
  { key: 'caughtUpP50', label: 'catch-up time p50', unit: 's' as const },
  { key: 'cpuSeconds', label: 'server CPU from the kill to the end (sends go on)', unit: 'CPU-s' as const },
  { key: 'caughtUp', label: 'clients caught up', unit: 'n' as const },
  { key: 'lost', label: 'clients missing an acked message at the end', unit: 'n' as const },
];

const SENDERS = 4;

/**
 * N lobby clients on instance A, senders on instance B (same process, one store, one Redis),
 * messages flowing; A crashes (every TCP connection dropped at once); its clients reconnect to
 * B and catch up with `message:sync` from the last seq they hold.
 */
async function measure(ctx: Context, target: Target): Promise<{ figures: Figures; problems: string[] }> {
  const { options } = ctx;
  const count = options.reconnectClients;
  const redis = await startRedis();
  const server = await spawnServer({ target, instances: 2, redisUrl: redis.url, users: target === 'confab' ? count + SENDERS : 0, keepLog: true });
  const members: CatchingUpMember[] = [];
  const senders: WireClient[] = [];
  try {
    const [urlA, urlB] = server.info.urls as [string, string];
    const crowd = await connectCrowd({
      count,
      batch: options.batch,
      deadlineMs: options.connectDeadlineSeconds * 1000,
      open: async (i) => {
        const member = new CatchingUpMember(connectAs(server.info, i));
        await member.join(urlA, urlB);
        members.push(member);
        return undefined as unknown as WireClient;
      },
    });
    if (members.length < count) throw new Error(`${target}: only ${members.length} of ${count} connected to A (${crowd.firstError ?? 'deadline'})`);
    for (let i = 0; i < SENDERS; i++) senders.push(await WireClient.open(urlB, '/lobby', connectAs(server.info, count + i)));
    await quiet([server], { maxMs: 15_000 });

    let maxAckedSeq = 0;
    let sendErrors = 0;
    let isSending = true;
    const acks: Promise<unknown>[] = [];
    const sending = (async () => {
      const started = performance.now();
      for (let k = 0; isSending; k++) {
        const due = started + (k * 1000) / options.reconnectRate;
        if (due > performance.now()) await sleep(due - performance.now());
        const ack = senders[k % SENDERS]!
          .request<{ ok: boolean; data?: { seq: number } }>('message:send', { clientId: `rc${Date.now().toString(36)}_${k}`, body: `${BODY} ${k}` })
          .then((ack) => (ack.ok && ack.data ? (maxAckedSeq = Math.max(maxAckedSeq, ack.data.seq)) : (sendErrors += 1)), () => (sendErrors += 1));
        acks.push(ack);
      }
    })();
    await sleep(options.reconnectSeconds * 1000);
    const ackedBeforeKill = maxAckedSeq;
    const meter = await startMeter([server]);
    const killedAt = performance.now();
    await server.command({ cmd: 'crash', instance: 0 });
    await sleep(options.reconnectSeconds * 1000);
    isSending = false;
    await sending;
    await Promise.all(acks);
    await until(() => members.every((m) => m.caughtUpAt !== undefined || m.error !== undefined), 60_000, 50);
    const usage = await meter.lap();
    // Every seq acked (before the kill, and while its clients were away) is stored: every client
    // must end up holding it, by catching up or live.
    const mustHold = maxAckedSeq;
    await until(() => members.every((m) => m.holdsUpTo(mustHold)), 5_000, 50);
    const caughtUp = members.filter((m) => m.caughtUpAt !== undefined);
    const lost = members.filter((m) => !m.holdsUpTo(mustHold)).length;
    const times = caughtUp.map((m) => (m.caughtUpAt! - killedAt) / 1000);
    const problems: string[] = [];
    if (caughtUp.length < count) problems.push(`${target}: ${caughtUp.length} of ${count} caught up (${members.find((m) => m.error)?.error ?? 'timed out'})`);
    if (lost > 0) problems.push(`${target}: ${lost} clients miss acked messages (seq ≤ ${mustHold})`);
    if (ackedBeforeKill === 0 || mustHold === ackedBeforeKill) problems.push(`${target}: nothing was acked before the kill, or nothing after it`);
    if (sendErrors > 0) problems.push(`${target}: ${sendErrors} sends failed`);
    return {
      figures: {
        allCaughtUpSeconds: times.length ? Math.max(...times) : null,
        caughtUpP50: latency(times).p50,
        cpuSeconds: usage.cpuSeconds,
        caughtUp: caughtUp.length,
        lost,
      },
      problems,
    };
  } finally {
    for (const member of members) member.close();
    for (const sender of senders) sender.terminate();
    await server.stop();
    await redis.stop();
  }
}

export const reconnect: Scenario = async (ctx) => {
  const { options } = ctx;
  const result = emptyResult('reconnect', METRICS);
  const row: CaseResult = { name: `${options.reconnectClients} clients of a crashed instance`, bare: {}, confab: {}, complete: true, problems: [] };
  for (const target of ctx.options.targets) {
    ctx.log(`reconnect: ${target}`);
    const measured = await measure(ctx, target);
    row[target] = measured.figures;
    if (measured.problems.length > 0) {
      row.complete = false;
      row.problems.push(...measured.problems);
    }
  }
  result.cases.push(row);
  result.notes.push(
    `Both instances run in one process with one memory store and one Redis (a shared store across processes would need a database, whose speed would dominate). ` +
      `The crash drops every TCP connection of instance A at once, then closes it. ${SENDERS} senders on B send ${options.reconnectRate} msg/s for ${options.reconnectSeconds} s before and after; clients reconnect with socket.io-client's default backoff (first try after 0.5–1.5 s), so messages sent meanwhile must come from catching up.`,
  );
  return result;
};
