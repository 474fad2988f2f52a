import type { ReadMarkDto } from '@confab/shared';
import type { Result } from './request';

/**
 * Entries arriving together (a sync page, a burst of messages) are reported as one: a room's
 * report waits this long for more, then sends the highest seq. Longer than the read marker's wait
 * (READ_DEBOUNCE_MS, 250 ms): in a conversation on screen the read mark goes out first, and a
 * read mark counts as delivered, so no report is needed at all.
 */
export const DELIVERY_COALESCE_MS = 600;

/** Our own read mark in a room: the one the server holds, and a higher one on its way (0: none). */
export interface OwnReadMark {
  seq: number;
  sendingSeq: number;
}

export interface DeliveryReporter {
  /** Entries by the peer up to `seq` reached this device: report it, unless the server has it already. */
  note(roomId: string, seq: number): void;
  /** Our delivery mark as the server holds it (an ack, or `dm:delivered` reporting another device of ours). */
  acknowledge(roomId: string, seq: number): void;
  /** Connected again: send the reports that could not go. */
  resume(): void;
  /** Another user signed in: forget everything. */
  reset(): void;
}

/**
 * `dm:delivered` reports, per room: coalesced over DELIVERY_COALESCE_MS, one request in flight at
 * a time, only ever the highest seq, and only above the mark the server is known to hold and
 * above our own read mark (what we read reached us; the server counts it as delivered). A read
 * mark still on its way holds the report back until its answer. A report that fails stays wanted
 * until the next connect (or a higher one).
 */
export function createDeliveryReporter(
  send: (roomId: string, seq: number) => Promise<Result<ReadMarkDto>>,
  ownRead: (roomId: string) => OwnReadMark = () => ({ seq: 0, sendingSeq: 0 }),
  delayMs = DELIVERY_COALESCE_MS,
): DeliveryReporter {
  const held = new Map<string, number>();
  const wanted = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const inFlight = new Set<string>();
  // Bumped by reset(): an answer to a report made for the previous user is dropped.
  let generation = 0;
  const heldSeq = (roomId: string) => held.get(roomId) ?? 0;

  function schedule(roomId: string): void {
    if (timers.has(roomId) || inFlight.has(roomId)) return;
    timers.set(
      roomId,
      setTimeout(() => {
        timers.delete(roomId);
        void flush(roomId);
      }, delayMs),
    );
  }

  async function flush(roomId: string): Promise<void> {
    const seq = wanted.get(roomId);
    if (seq === undefined) return;
    // Read at flush time, not when noted: the read mark usually moves in between.
    const read = ownRead(roomId);
    if (seq <= Math.max(heldSeq(roomId), read.seq)) {
      wanted.delete(roomId);
      return;
    }
    if (seq <= read.sendingSeq) {
      // Its answer decides: once held it covers this; if it fails, this goes after all.
      schedule(roomId);
      return;
    }
    const gen = generation;
    inFlight.add(roomId);
    const res = await send(roomId, seq);
    if (gen !== generation) return;
    inFlight.delete(roomId);
    if (!res.ok) return;
    acknowledge(roomId, res.data.seq);
    // More arrived while this one was on its way.
    if ((wanted.get(roomId) ?? 0) > heldSeq(roomId)) schedule(roomId);
    else wanted.delete(roomId);
  }

  function note(roomId: string, seq: number): void {
    if (seq <= heldSeq(roomId) || seq <= (wanted.get(roomId) ?? 0)) return;
    wanted.set(roomId, seq);
    schedule(roomId);
  }

  function acknowledge(roomId: string, seq: number): void {
    if (seq > heldSeq(roomId)) held.set(roomId, seq);
  }

  function resume(): void {
    for (const roomId of wanted.keys()) schedule(roomId);
  }

  function reset(): void {
    generation += 1;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    held.clear();
    wanted.clear();
    inFlight.clear();
  }

  return { note, acknowledge, resume, reset };
}
