import { startMeter } from '../harness/meter.js';
import type { ServerProcess } from '../harness/spawn.js';
import { BODY } from './broadcast.js';
import { latency, Samples, sleep } from './stats.js';
import { stringField, type WireClient } from './wire.js';

export interface ClosedLoopFigures {
  ackedPerSecond: number;
  /** Server CPU per acked message, in µs: the cost, whether or not the load generator was the limit. */
  cpuUsPerMessage: number | null;
  ackP50: number | null;
  ackP99: number | null;
  /** Deliveries of acked messages that arrived, of those expected (`fanout` per message). */
  deliveredPct: number;
  cores: number;
  loadCores: number;
  errors: string[];
}

let runs = 0;

/**
 * Each sender sends, waits for the ack, and sends again, for `seconds`. `payload(i, clientId)`
 * builds sender i's message; each message is expected `fanout` times at the `receivers`'
 * `event` listeners. Only the receivers look into what arrives: in a room of 50 at thousands of
 * messages a second, parsing every delivery at every member would make the load generator the limit.
 */
export async function closedLoop(options: {
  servers: ServerProcess[];
  senders: WireClient[];
  receivers: WireClient[];
  event: string;
  deliveryEvent: string;
  fanout: number;
  seconds: number;
  payload(i: number, clientId: string): unknown;
}): Promise<ClosedLoopFigures> {
  const prefix = `c${++runs}x${Date.now().toString(36)}_`;
  let delivered = 0;
  for (const receiver of options.receivers) {
    receiver.on(options.deliveryEvent, (packet) => {
      if (stringField(packet, 'clientId')?.startsWith(prefix)) delivered += 1;
    });
  }
  const ackMs = new Samples();
  const errors: string[] = [];
  let acked = 0;
  const meter = await startMeter(options.servers);
  const deadline = performance.now() + options.seconds * 1000;
  await Promise.all(
    options.senders.map(async (sender, i) => {
      for (let k = 0; performance.now() < deadline; k++) {
        const at = performance.now();
        try {
          const ack = await sender.request<{ ok: boolean; error?: { code: string } }>(options.event, options.payload(i, `${prefix}${i}_${k}`));
          if (!ack.ok) throw new Error(`refused: ${ack.error?.code}`);
          acked += 1;
          ackMs.push(performance.now() - at);
        } catch (err) {
          if (errors.length < 5) errors.push((err as Error).message);
          return;
        }
      }
    }),
  );
  const wallSeconds = options.seconds + Math.max(0, performance.now() - deadline) / 1000;
  const expected = acked * options.fanout;
  for (let waited = 0; delivered < expected && waited < 5_000; waited += 20) await sleep(20);
  const usage = await meter.lap();
  const acks = latency(ackMs.values());
  return {
    ackedPerSecond: acked / wallSeconds,
    cpuUsPerMessage: acked > 0 ? (usage.cpuSeconds * 1e6) / acked : null,
    ackP50: acks.p50,
    ackP99: acks.p99,
    deliveredPct: expected === 0 ? 0 : (100 * Math.min(delivered, expected)) / expected,
    cores: usage.cores,
    loadCores: usage.loadCores,
    errors,
  };
}

export const closedLoopBody = (k: string) => `${BODY} ${k}`;
