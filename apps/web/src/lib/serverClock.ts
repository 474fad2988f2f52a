/**
 * The server's clock, as well as this client can tell it. Every time window the UI shows (the
 * recall countdown, "last seen", "Today", "just now") compares a server timestamp with now, so now
 * must be the server's: a client clock minutes off in either direction must change nothing.
 *
 * The clock is this device's clock plus an offset. A reading of the server's clock taken by a
 * request bounds the offset: the server read its clock somewhere between sending and answering,
 * so `offset ∈ [serverMs − receivedAt, serverMs − sentAt]`. Any server timestamp received is a
 * lower bound alone (it was stamped before it arrived), which holds even for a resent message
 * whose stored time is old.
 */
export interface ServerClock {
  /** The server's time now, as epoch ms. */
  now(): number;
  /** Server time minus local time, in ms; 0 until the first reading. */
  offsetMs(): number;
  /** A reading `serverIso` answered by a request sent at local `sentAt` and answered at local `receivedAt`. */
  observe(serverIso: string, sentAt: number, receivedAt: number): void;
  /** The server stamped `serverIso` before it reached us (at local `receivedAt`, now by default). */
  notBefore(serverIso: string, receivedAt?: number): void;
  /** Calls `listener` whenever the offset changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /**
   * Calls `remeasure` when the device clock seems to have been set (it moved against the
   * monotonic clock by more than `JUMP_MS`): the offset held is then wrong, and a new reading of
   * the server's clock is needed. Returns the unsubscribe.
   */
  onDeviceClockJump(remeasure: () => void): () => void;
}

/** A device clock that moves this much against the monotonic clock was set, not drifting. */
export const JUMP_MS = 2_000;

export function createServerClock(localNow: () => number = () => Date.now(), monotonicNow: () => number = () => performance.now()): ServerClock {
  let offset = 0;
  // The device clock minus the monotonic one: constant unless someone sets the device clock (or
  // the machine slept, where the monotonic clock may pause; a new reading is right either way).
  let wallAhead = localNow() - monotonicNow();
  const jumpListeners = new Set<() => void>();

  function checkForJump(local: number): void {
    const ahead = local - monotonicNow();
    if (Math.abs(ahead - wallAhead) <= JUMP_MS) return;
    wallAhead = ahead;
    for (const remeasure of jumpListeners) remeasure();
  }
  let hasReading = false;
  // The width of the interval the offset was taken from: a narrower reading is a better one.
  let precision = Infinity;
  const listeners = new Set<() => void>();

  function set(next: number, width: number): void {
    precision = width;
    hasReading = true;
    if (next === offset) return;
    offset = next;
    for (const listener of listeners) listener();
  }

  function bound(low: number, high: number): void {
    const width = high - low;
    // A reading no sharper than the one held that agrees with it teaches nothing; one that
    // disagrees means a clock moved (ours, usually), and then the newest reading wins.
    if (hasReading && offset >= low && offset <= high && width >= precision) return;
    set(Math.round(low + width / 2), width);
  }

  return {
    now: () => {
      const local = localNow();
      checkForJump(local);
      return local + offset;
    },
    offsetMs: () => offset,
    observe(serverIso, sentAt, receivedAt) {
      const serverMs = Date.parse(serverIso);
      if (Number.isNaN(serverMs) || receivedAt < sentAt) return;
      bound(serverMs - receivedAt, serverMs - sentAt);
    },
    notBefore(serverIso, receivedAt = localNow()) {
      const serverMs = Date.parse(serverIso);
      if (Number.isNaN(serverMs)) return;
      const low = serverMs - receivedAt;
      // Only ever raises: a lower bound below the held offset agrees with it.
      if (offset < low) set(low, precision);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onDeviceClockJump(remeasure) {
      jumpListeners.add(remeasure);
      return () => jumpListeners.delete(remeasure);
    },
  };
}

/** The one clock the app uses. */
export const serverClock = createServerClock();

/** The server's time now. Use it wherever a server timestamp is compared with now. */
export function serverNow(): Date {
  return new Date(serverClock.now());
}
