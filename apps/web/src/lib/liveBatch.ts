/**
 * How long entries may wait for an animation frame before they are applied anyway: a hidden tab
 * gets no frames, and its rooms must still follow (the browser then runs the timer about once a
 * second, which coalesces more).
 */
export const FRAME_FALLBACK_MS = 50;

/** Runs `run` once, at the next animation frame or after FRAME_FALLBACK_MS, whichever comes first. */
export function nextFrame(run: () => void): () => void {
  let isDone = false;
  const go = () => {
    if (isDone) return;
    isDone = true;
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(go) : null;
  const timer = setTimeout(go, FRAME_FALLBACK_MS);
  return () => {
    isDone = true;
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

export interface LiveBatch<T> {
  /** Queues an entry for `key` (a room); the first one schedules a flush. */
  push(key: string, entry: T): void;
  /** Applies everything queued now, room by room, each room's entries in arrival order. */
  flush(): void;
  /** Forgets what is queued for one room (dropped), or for every room. */
  discard(key?: string): void;
}

/**
 * Live stream entries, held until the next frame and handed over one batch per room. A ban, a
 * recall storm or a busy room can send hundreds of entries in a second: applying each on its own
 * costs a merge of the whole room, a timeline rebuild and a render per entry (work of burst ×
 * room size, which froze tabs for most of a minute); applying them per frame costs one of each
 * per frame, whatever the burst. Entries are idempotent and merged by seq, so applying several
 * at once is the same as one by one.
 */
export function createLiveBatch<T>(apply: (key: string, entries: T[]) => void, schedule: (run: () => void) => () => void = nextFrame): LiveBatch<T> {
  const queued = new Map<string, T[]>();
  let cancel: (() => void) | null = null;

  function flush(): void {
    cancel?.();
    cancel = null;
    // Taken out first: applying may queue more (it then waits for the next frame).
    const batches = [...queued];
    queued.clear();
    for (const [key, entries] of batches) apply(key, entries);
  }

  function push(key: string, entry: T): void {
    const entries = queued.get(key);
    if (entries) entries.push(entry);
    else queued.set(key, [entry]);
    cancel ??= schedule(() => {
      cancel = null;
      flush();
    });
  }

  function discard(key?: string): void {
    if (key === undefined) queued.clear();
    else queued.delete(key);
    if (queued.size === 0) {
      cancel?.();
      cancel = null;
    }
  }

  return { push, flush, discard };
}

/** Where a batch went: enough of a room's state to tell whether it left a hole below an entry. */
export interface BatchTarget {
  floorSeq: number | null;
  syncedSeq: number;
}

/**
 * After a batch of live entries was merged: whether it revealed a gap (an entry past the last seq
 * held without a hole) that a catch-up must fill. Nothing to fill before the first page arrived.
 */
export function revealsGap(entries: readonly { seq: number }[], room: BatchTarget): boolean {
  if (room.floorSeq === null) return false;
  return entries.some((entry) => entry.seq > room.syncedSeq);
}

/** A room held in this tab, as a batch of its live entries needs it. */
export interface LiveRoom<T extends { seq: number }> extends BatchTarget {
  receive(entries: T[]): void;
  catchUp(): Promise<unknown>;
}

/**
 * The live batch of a store of rooms: each frame's entries are merged into their room (if this
 * tab still holds it), then a gap they reveal is filled by a catch-up.
 */
export function createRoomLiveBatch<T extends { seq: number }>(roomOf: (roomId: string) => LiveRoom<T> | undefined): LiveBatch<T> {
  return createLiveBatch<T>((roomId, entries) => {
    const room = roomOf(roomId);
    if (!room) return;
    room.receive(entries);
    if (revealsGap(entries, room)) void room.catchUp();
  });
}
