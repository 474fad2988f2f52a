import { startMeter } from '../harness/meter.js';
import type { ServerProcess } from '../harness/spawn.js';
import type { SinkClient } from './sink.js';
import { latency, Samples, sleep } from './stats.js';
import type { WireClient } from './wire.js';

/** About the length of a chat line; the same for both servers. */
export const BODY = 'The quick brown fox jumps over the lazy dog; benchmark line number';

export interface BroadcastFigures {
  rate: number;
  sent: number;
  /** Sends acked ok. */
  acked: number;
  /** Deliveries expected: every acked message to every receiver. */
  expected: number;
  deliveredPct: number;
  /** Send to receipt, over every delivery, in ms. */
  p50: number | null;
  p99: number | null;
  ackP50: number | null;
  ackP99: number | null;
  /** Server CPU, all servers together, from the first send until everything arrived (or the wait gave up). */
  cores: number;
  loadCores: number;
  /** Refusals and errors of sends, the first few. */
  errors: string[];
}

/**
 * Lobby traffic at a fixed rate: `senders` (round robin) send `rate` messages a second for
 * `seconds`, and every receiver records when each arrives (the senders are lobby members too,
 * but only the receivers are counted). Waits for the stragglers until none arrives for `graceMs`.
 */
export class BroadcastRun {
  #runs = 0;
  #sentAt: number[] = [];
  #delivered = 0;
  #latencies = new Samples();

  constructor(private readonly receivers: SinkClient[]) {}

  async run(options: { servers: ServerProcess[]; senders: WireClient[]; rate: number; seconds: number; graceMs?: number }): Promise<BroadcastFigures> {
    this.#runs += 1;
    // clientIds may hold only letters, digits, '_' and '-'.
    const prefix = `r${this.#runs}x${Date.now().toString(36)}_`;
    this.#sentAt = [];
    this.#delivered = 0;
    this.#latencies = new Samples();
    const record = (rest: string) => {
      const at = this.#sentAt[Number(rest)];
      if (at === undefined) return;
      this.#delivered += 1;
      this.#latencies.push(performance.now() - at);
    };
    for (const receiver of this.receivers) receiver.watch(`"clientId":"${prefix}`, record);
    const receivers = this.receivers.length;
    const ackMs = new Samples();
    const errors: string[] = [];
    let acked = 0;
    const total = Math.max(1, Math.round(options.rate * options.seconds));
    const meter = await startMeter(options.servers);
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate) + 1);
      for (; sent < due; sent++) {
        const sender = options.senders[sent % options.senders.length]!;
        const at = performance.now();
        this.#sentAt[sent] = at;
        inFlight.push(
          sender.request<{ ok: boolean; error?: { code: string } }>('message:send', { clientId: `${prefix}${sent}`, body: `${BODY} ${sent}` }).then(
            (ack) => {
              if (ack.ok) {
                acked += 1;
                ackMs.push(performance.now() - at);
              } else if (errors.length < 5) errors.push(`refused: ${ack.error?.code}`);
            },
            (err: Error) => void (errors.length < 5 && errors.push(err.message)),
          ),
        );
      }
      await sleep(2);
    }
    // Stragglers: wait while deliveries still arrive (or acks are outstanding), up to a bound.
    const graceMs = options.graceMs ?? 2_000;
    const hardStop = performance.now() + Math.max(10_000, options.seconds * 2_000);
    let settled = false;
    void Promise.allSettled(inFlight).then(() => (settled = true));
    let last = -1;
    let lastChange = performance.now();
    while (performance.now() < hardStop) {
      const expected = acked * receivers;
      if (settled && this.#delivered >= expected) break;
      if (this.#delivered !== last) {
        last = this.#delivered;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > graceMs) break;
      await sleep(10);
    }
    const usage = await meter.lap();
    const expected = acked * receivers;
    const deliveries = latency(this.#latencies.values());
    const acks = latency(ackMs.values());
    return {
      rate: options.rate,
      sent: total,
      acked,
      expected,
      deliveredPct: expected === 0 ? 0 : (100 * Math.min(this.#delivered, expected)) / expected,
      p50: deliveries.p50,
      p99: deliveries.p99,
      ackP50: acks.p50,
      ackP99: acks.p99,
      cores: usage.cores,
      loadCores: usage.loadCores,
      errors: acked < total && errors.length === 0 ? [`${total - acked} sends not acked in time`] : errors,
    };
  }
}

/** The knee's test: everything delivered, and p99 under 100 ms. */
export const keepsUp = (figures: BroadcastFigures) => figures.deliveredPct >= 100 && figures.acked === figures.sent && figures.p99 !== null && figures.p99 < 100;
