import { RecentlyUsed } from '../recentlyUsed.js';
import type { StreamCounts } from './streamCounts.js';

// Rooms whose newest entry this process remembers, and entries whose counts it remembers: full,
// about 20 MB in DM rooms, about 50 MB if every entry lists 8 recalls (measured). Past these, a send
// reads its room's newest entry again, and a count its entries' counts.
const REMEMBERED_ROOMS = 10_000;
const REMEMBERED_COUNTS = 30_000;

/** The newest entry of a room as this process last saw it. */
export interface Head {
  /** 0 for an empty room. */
  seq: number;
  /** Null in rooms that do not count authors (and in rooms stored before they did). */
  counts: StreamCounts | null;
}

/**
 * What this process remembers of the message stream: each room's newest entry, and the counts
 * stored with entries. Both hold only while the database keeps every write it acknowledged: when
 * it may have lost some (it crashed, a failover rolled writes back, a backup was restored), `clear`
 * forgets everything. Whatever was read or written before a clear is not remembered after it:
 * callers take `era` before they read or write, and pass it back when they remember the result.
 */
export class StreamCache {
  #heads = new RecentlyUsed<string, Head>(REMEMBERED_ROOMS);
  // Keyed `${roomId}\u0000${seq}`; an entry's counts never change while the database keeps it.
  #counts = new RecentlyUsed<string, StreamCounts>(REMEMBERED_COUNTS);
  #era = 0;

  /** Changes at every clear. */
  get era(): number {
    return this.#era;
  }

  clear(): void {
    this.#era += 1;
    this.#heads = new RecentlyUsed(REMEMBERED_ROOMS);
    this.#counts = new RecentlyUsed(REMEMBERED_COUNTS);
  }

  head(roomId: string): Head | undefined {
    return this.#heads.get(roomId);
  }

  /** Remembers an entry stored at `seq` as the room's head unless a newer one is known. */
  rememberHead(roomId: string, head: Head, era: number): void {
    if (era !== this.#era) return;
    const known = this.#heads.get(roomId);
    if (!known || known.seq <= head.seq) this.#heads.set(roomId, head);
    if (head.counts) this.#counts.set(`${roomId}\u0000${head.seq}`, head.counts);
  }

  counts(roomId: string, seq: number): StreamCounts | undefined {
    return this.#counts.get(`${roomId}\u0000${seq}`);
  }

  rememberCounts(roomId: string, seq: number, counts: StreamCounts, era: number): void {
    if (era === this.#era) this.#counts.set(`${roomId}\u0000${seq}`, counts);
  }
}
