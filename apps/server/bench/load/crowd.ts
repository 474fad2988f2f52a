import type { ReadyInfo } from '../harness/spec.js';
import { Samples } from './stats.js';
import type { WireOptions } from './wire.js';

/** How client `i` connects: as seeded user `i` on Confab (its session cookie), as anyone on bare. */
export function connectAs(info: ReadyInfo, i: number, extra: WireOptions = {}): WireOptions {
  const user = info.users[i];
  return user ? { ...extra, headers: { cookie: user.cookie, ...extra.headers } } : extra;
}

export interface Crowd<T> {
  clients: T[];
  /** How long each accepted connection took, in ms. */
  connectMs: Samples;
  failures: number;
  /** The first refusal or error, to report. */
  firstError: string | undefined;
  /** From the first connect to the last accepted one, in seconds. */
  wallSeconds: number;
  /** The deadline passed before every client was tried. */
  timedOut: boolean;
}

/**
 * Connects `count` clients in batches (each batch all at once, the next once it is in), as users
 * arriving one batch after another. Stops starting batches after `deadlineMs`.
 */
export async function connectCrowd<T>(options: { count: number; batch: number; deadlineMs: number; open(i: number): Promise<T> }): Promise<Crowd<T>> {
  const crowd: Crowd<T> = { clients: [], connectMs: new Samples(), failures: 0, firstError: undefined, wallSeconds: 0, timedOut: false };
  const started = performance.now();
  let lastAccepted = started;
  for (let from = 0; from < options.count; from += options.batch) {
    if (performance.now() - started > options.deadlineMs) {
      crowd.timedOut = true;
      break;
    }
    const batch = Array.from({ length: Math.min(options.batch, options.count - from) }, async (_, k) => {
      const at = performance.now();
      try {
        const client = await options.open(from + k);
        lastAccepted = performance.now();
        crowd.connectMs.push(lastAccepted - at);
        crowd.clients.push(client);
      } catch (err) {
        crowd.failures += 1;
        crowd.firstError ??= (err as Error).message;
      }
    });
    await Promise.all(batch);
  }
  crowd.wallSeconds = (lastAccepted - started) / 1000;
  return crowd;
}

/** Closes every client and gives the closes a moment to go out. */
export async function disperse(clients: { terminate(): void }[]): Promise<void> {
  for (const client of clients) client.terminate();
  await new Promise((resolve) => setTimeout(resolve, 100));
}
