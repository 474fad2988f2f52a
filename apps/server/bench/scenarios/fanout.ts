import { quiet } from '../harness/meter.js';
import { profilePhase } from '../harness/profiling.js';
import { spawnServer, type ServerProcess } from '../harness/spawn.js';
import type { Target } from '../harness/spec.js';
import { BroadcastRun, keepsUp, type BroadcastFigures } from '../load/broadcast.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { SinkClient } from '../load/sink.js';
import { WireClient } from '../load/wire.js';
import { emptyResult, type CaseResult, type Context, type Figures, type ProfileSummary, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'p50', label: 'delivery p50', unit: 'ms' as const },
  { key: 'p99', label: 'delivery p99', unit: 'ms' as const },
  { key: 'deliveredPct', label: 'delivered', unit: '%' as const },
  { key: 'cores', label: 'server CPU', unit: 'cores' as const },
  { key: 'loadCores', label: 'load generator CPU', unit: 'cores' as const },
  { key: 'knee', label: 'knee: highest rate with p99 < 100 ms, all delivered', unit: 'msg/s' as const },
  { key: 'kneeP99', label: 'p99 at the knee', unit: 'ms' as const },
];

const figuresOf = (run: BroadcastFigures): Figures => ({ p50: run.p50, p99: run.p99, deliveredPct: run.deliveredPct, cores: run.cores, loadCores: run.loadCores });

/**
 * The highest rate that keeps up, by bisection between the best passing and worst failing rates
 * seen so far (growing by 1.6× while nothing has failed yet). Each step is one run, or two when
 * the first falls behind.
 */
async function findKnee(ctx: Context, measure: (rate: number) => Promise<BroadcastFigures>, seen: BroadcastFigures[]): Promise<{ knee: number | null; at: BroadcastFigures | null; steps: BroadcastFigures[] }> {
  let best = seen.filter(keepsUp).sort((a, b) => b.rate - a.rate)[0] ?? null;
  // A failure below a pass is noise; the search looks above the best pass.
  let lowestFail = seen.filter((run) => !keepsUp(run) && run.rate > (best?.rate ?? 0)).sort((a, b) => a.rate - b.rate)[0]?.rate ?? null;
  const steps: BroadcastFigures[] = [];
  for (let step = 0; step < ctx.options.kneeSteps; step++) {
    const low = best?.rate ?? 0;
    const rate = Math.round(lowestFail === null ? Math.max(10, low * 1.6) : (low + lowestFail) / 2);
    if (rate <= low || (lowestFail !== null && rate >= lowestFail)) break;
    let run = await measure(rate);
    steps.push(run);
    // One hiccup of a shared machine must not decide a step: a failure gets a second try.
    if (!keepsUp(run)) {
      run = await measure(rate);
      steps.push(run);
    }
    if (keepsUp(run)) best = run;
    else lowestFail = rate;
  }
  return { knee: best?.rate ?? null, at: best, steps };
}

async function measureTarget(ctx: Context, target: Target, rows: CaseResult[], profiles: ProfileSummary[]): Promise<{ knee: number | null; kneeP99: number | null; steps: BroadcastFigures[] }> {
  const { options } = ctx;
  const count = options.fanoutClients;
  const server: ServerProcess = await spawnServer({ target, instances: 1, users: target === 'confab' ? count : 0 });
  try {
    const url = server.info.urls[0]!;
    // The last few lobby members send; the others only receive.
    const receiving = count - options.fanoutSenders;
    const crowd = await connectCrowd({ count: receiving, batch: options.batch, deadlineMs: options.connectDeadlineSeconds * 1000, open: (i) => SinkClient.open(url, '/lobby', connectAs(server.info, i)) });
    if (crowd.clients.length < receiving) throw new Error(`${target}: only ${crowd.clients.length} of ${receiving} clients connected (${crowd.firstError ?? 'deadline'})`);
    const senders = await Promise.all(Array.from({ length: options.fanoutSenders }, (_, i) => WireClient.open(url, '/lobby', connectAs(server.info, receiving + i))));
    const broadcast = new BroadcastRun(crowd.clients);
    const measure = async (rate: number, seconds: number) => {
      await quiet([server], { maxMs: 10_000 });
      ctx.log(`fanout: ${target} at ${rate} msg/s`);
      return broadcast.run({ servers: [server], senders, rate, seconds });
    };
    // Warm-up, not recorded: the first messages pay for compiling the hot paths.
    if (!options.smoke) await measure(options.fanoutRates[0] ?? 10, 1);
    const fixed: BroadcastFigures[] = [];
    for (const [i, rate] of options.fanoutRates.entries()) {
      const stopProfile = await profilePhase(ctx, server, target, `fanout-${rate}`);
      const run = await measure(rate, options.fanoutSeconds);
      const profile = await stopProfile();
      if (profile) profiles.push(profile);
      fixed.push(run);
      const row = rows[i]!;
      row[target] = figuresOf(run);
      if (run.deliveredPct < 100 || run.acked < run.sent) {
        row.complete = false;
        row.problems.push(`${target}: ${run.deliveredPct.toFixed(1)}% delivered, ${run.acked} of ${run.sent} acked${run.errors.length ? ` (${run.errors.join('; ')})` : ''}`);
      }
    }
    const knee = await findKnee(ctx, (rate) => measure(rate, options.kneeSeconds), fixed);
    await disperse([...crowd.clients, ...senders]);
    return { knee: knee.knee, kneeP99: knee.at?.p99 ?? null, steps: knee.steps };
  } finally {
    await server.stop();
  }
}

/** A lobby of N clients; a few senders at fixed rates, then the knee. Bare: broadcast to all and ack. */
export const fanout: Scenario = async (ctx) => {
  const { options } = ctx;
  const result = emptyResult('fanout', METRICS);
  const rows: CaseResult[] = options.fanoutRates.map((rate) => ({
    name: `${options.fanoutClients} clients, ${rate} msg/s (${((rate * options.fanoutClients) / 1000).toFixed(0)}k deliveries/s)`,
    bare: {},
    confab: {},
    complete: true,
    problems: [],
  }));
  const kneeRow: CaseResult = { name: `${options.fanoutClients} clients, knee`, bare: {}, confab: {}, complete: true, problems: [] };
  for (const target of ctx.options.targets) {
    const { knee, kneeP99, steps } = await measureTarget(ctx, target, rows, result.profiles);
    kneeRow[target] = { knee, kneeP99 };
    result.notes.push(`${target} knee search: ${steps.map((s) => `${s.rate} msg/s → p99 ${s.p99?.toFixed(0) ?? '—'} ms, ${s.deliveredPct.toFixed(1)}% (${keepsUp(s) ? 'keeps up' : 'falls behind'})`).join('; ') || 'no steps'}`);
  }
  result.cases.push(...rows, kneeRow);
  result.notes.push(`${options.fanoutSenders} of the clients send, round robin; every client receives every message; deliveries are counted at the ${options.fanoutClients - options.fanoutSenders} others.`);
  return result;
};
