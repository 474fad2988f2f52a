import type { PresenceDto } from '@confab/shared';
import type { Logger } from '../logger.js';
import type { PresenceSnapshot } from '../presence/presenceService.js';
import type { LobbyNamespace } from './namespaces/lobby.js';

/**
 * The room that hears `presence:changes`. A socket joins it when it gets its snapshot, so the
 * snapshot is its first presence event.
 */
export const PRESENCE_ROOM = 'presence:lobby';

interface Waiting {
  id: string;
  connected: boolean;
  join(room: string): unknown;
}

/** How long a connecting socket may wait for its snapshot, so that a crowd shares one. */
const SNAPSHOT_WINDOW_MS = 100;

/**
 * Sends presence in batches, once per `flushMs`, instead of one message per change to every
 * socket: a thousand users connecting in a second cost each lobby socket one `presence:changes`
 * (encoded once, for all of them). Sockets that connect within `SNAPSHOT_WINDOW_MS` of each other
 * share one `presence:snapshot`, read and encoded once.
 *
 * Changes this instance claimed go to its own sockets and, as a server-side event, to the other
 * instances, which pass them on to theirs at once. Every instance remembers the newest revision
 * it passed on per user, so the sweep's repair re-sends only what its sockets never got (a
 * cross-instance message lost on the way): nothing, while nothing is lost.
 */
export function createPresenceBroadcast(deps: {
  lobby: LobbyNamespace;
  /** Everyone online or away, read at one instant (the registry's). */
  snapshot: () => Promise<PresenceSnapshot>;
  flushMs: number;
  /** Whether other instances share the adapter (Redis): only then are batches sent to them. */
  hasPeers: boolean;
  logger: Logger;
}) {
  const claimed = new Map<string, PresenceDto>();
  const reannounced = new Map<string, PresenceDto>();
  const waiting = new Map<string, Waiting>();
  /** userId → the newest revision this instance's sockets were sent. */
  const forwarded = new Map<string, number>();
  let snapshotTimer: NodeJS.Timeout | undefined;
  let isSnapshotting = false;
  let isStopped = false;
  // While a snapshot is read, what goes out to the room (which the waiting sockets are not in yet).
  let heardDuringRead: Map<string, PresenceDto> | null = null;
  // One warning per outage, not one per retry.
  let isSnapshotFailing = false;

  function keepNewest(batch: Map<string, PresenceDto>, presence: PresenceDto): void {
    const held = batch.get(presence.userId);
    if (!held || held.rev < presence.rev) batch.set(presence.userId, presence);
  }

  function forwardLocally(batch: readonly PresenceDto[]): void {
    if (batch.length === 0) return;
    deps.lobby.local.to(PRESENCE_ROOM).emit('presence:changes', [...batch]);
    for (const p of batch) {
      if ((forwarded.get(p.userId) ?? 0) < p.rev) forwarded.set(p.userId, p.rev);
      if (heardDuringRead) keepNewest(heardDuringRead, p);
    }
  }

  /** One batch to this instance's sockets (claimed and re-announced together), the claimed part to the other instances. */
  function flush(): void {
    if (claimed.size > 0 && deps.hasPeers) deps.lobby.serverSideEmit('presence:changes', [...claimed.values()]);
    for (const presence of claimed.values()) keepNewest(reannounced, presence);
    claimed.clear();
    forwardLocally([...reannounced.values()]);
    reannounced.clear();
  }

  /** What this instance's sockets were sent (or will be at the next flush) of this change. */
  function isForwarded(presence: PresenceDto): boolean {
    return (forwarded.get(presence.userId) ?? 0) >= presence.rev || (claimed.get(presence.userId)?.rev ?? 0) >= presence.rev;
  }

  async function sendSnapshots(): Promise<void> {
    snapshotTimer = undefined;
    // One read at a time: sockets arriving meanwhile wait for the next window.
    if (isSnapshotting || waiting.size === 0) return scheduleSnapshots();
    isSnapshotting = true;
    try {
      await sendSnapshotToWaiting();
    } finally {
      isSnapshotting = false;
    }
    scheduleSnapshots();
  }

  function scheduleSnapshots(): void {
    if (isStopped || snapshotTimer || waiting.size === 0) return;
    // After a failed read, wait a flush interval rather than a window before the next.
    const delayMs = isSnapshotFailing ? deps.flushMs : Math.min(SNAPSHOT_WINDOW_MS, deps.flushMs);
    snapshotTimer = setTimeout(() => void sendSnapshots().catch((err: unknown) => deps.logger.warn({ err }, 'presence snapshot failed')), delayMs);
    snapshotTimer.unref();
  }

  /**
   * Only sockets that were waiting before the read: their own connect was claimed before they
   * waited, so the snapshot lists their user. What went out to the room while the snapshot was
   * read follows it, where newer than the snapshot; what is claimed later reaches them in the
   * room's batches, which they join right after.
   */
  async function sendSnapshotToWaiting(): Promise<void> {
    const batch = [...waiting.values()];
    waiting.clear();
    heardDuringRead = new Map();
    let snapshot: PresenceSnapshot;
    let heard: Map<string, PresenceDto>;
    try {
      snapshot = await deps.snapshot();
      isSnapshotFailing = false;
    } catch (err) {
      // These sockets hear no presence until a read succeeds.
      if (!isSnapshotFailing) deps.logger.warn({ err }, 'could not read the presence snapshot; retrying every flush interval');
      isSnapshotFailing = true;
      for (const socket of batch) if (socket.connected) waiting.set(socket.id, socket);
      return;
    } finally {
      heard = heardDuringRead;
      heardDuringRead = null;
    }
    const ids = batch.filter((socket) => socket.connected).map((socket) => socket.id);
    if (ids.length === 0) return;
    deps.lobby.local.to(ids).emit('presence:snapshot', snapshot.presences, { rev: snapshot.rev });
    const missed = [...heard.values()].filter((p) => p.rev > snapshot.rev);
    if (missed.length > 0) deps.lobby.local.to(ids).emit('presence:changes', missed);
    for (const socket of batch) if (socket.connected) socket.join(PRESENCE_ROOM);
  }

  const timer = setInterval(flush, deps.flushMs);
  timer.unref();

  return {
    /** A change this instance claimed: to every instance's sockets, in the next batch. */
    publish(presence: PresenceDto): void {
      keepNewest(claimed, presence);
    },
    /** A batch another instance claimed: to this instance's sockets, at once. */
    receive(batch: readonly PresenceDto[]): void {
      forwardLocally(batch);
    },
    /**
     * Recent changes (claimed at or after `since`, ms) that this instance's sockets may have
     * missed: those it never passed on go out in the next batch. What is older than `since` is
     * forgotten: the sweep looks at recent changes only.
     */
    reannounce(presences: readonly PresenceDto[], since: number): void {
      for (const presence of presences) if (!isForwarded(presence)) keepNewest(reannounced, presence);
      for (const [userId, rev] of forwarded) if (rev < since) forwarded.delete(userId);
    },
    /** A socket that just connected: it gets the next snapshot, then joins the batches. */
    admit(socket: Waiting & { once(event: 'disconnect', listener: () => void): unknown }): void {
      waiting.set(socket.id, socket);
      socket.once('disconnect', () => waiting.delete(socket.id));
      scheduleSnapshots();
    },
    flush,
    /** Sends what is pending and stops the timers. */
    stop(): void {
      flush();
      isStopped = true;
      clearInterval(timer);
      clearTimeout(snapshotTimer);
    },
  };
}

export type PresenceBroadcast = ReturnType<typeof createPresenceBroadcast>;
