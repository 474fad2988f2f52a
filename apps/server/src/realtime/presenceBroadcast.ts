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
 * share one `presence:snapshot`, read and encoded once. Changes this instance claimed go to
 * every instance's sockets through the adapter; re-announced ones (the sweep's repair) only to
 * this instance's.
 */
export function createPresenceBroadcast(deps: {
  lobby: LobbyNamespace;
  /** Everyone online or away, read at one instant (the registry's). */
  snapshot: () => Promise<PresenceSnapshot>;
  flushMs: number;
  logger: Logger;
}) {
  const claimed = new Map<string, PresenceDto>();
  const reannounced = new Map<string, PresenceDto>();
  const waiting = new Map<string, Waiting>();
  let snapshotTimer: NodeJS.Timeout | undefined;
  let isSnapshotting = false;

  function keepNewest(batch: Map<string, PresenceDto>, presence: PresenceDto): void {
    const held = batch.get(presence.userId);
    if (!held || held.rev < presence.rev) batch.set(presence.userId, presence);
  }

  function flush(): void {
    if (claimed.size > 0) deps.lobby.to(PRESENCE_ROOM).emit('presence:changes', [...claimed.values()]);
    claimed.clear();
    if (reannounced.size > 0) deps.lobby.local.to(PRESENCE_ROOM).emit('presence:changes', [...reannounced.values()]);
    reannounced.clear();
  }

  /**
   * Only sockets that were waiting before the read: their own connect was claimed before they
   * waited, so the snapshot lists their user. Changes claimed after the read reach them in the
   * next batch, with revisions above the snapshot's.
   */
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
    if (snapshotTimer || waiting.size === 0) return;
    snapshotTimer = setTimeout(() => void sendSnapshots().catch((err: unknown) => deps.logger.warn({ err }, 'presence snapshot failed')), Math.min(SNAPSHOT_WINDOW_MS, deps.flushMs));
  }

  async function sendSnapshotToWaiting(): Promise<void> {
    const batch = [...waiting.values()];
    waiting.clear();
    let snapshot: PresenceSnapshot;
    try {
      snapshot = await deps.snapshot();
    } catch (err) {
      // Try again at the next flush; until then these sockets hear no presence at all.
      deps.logger.warn({ err }, 'could not read the presence snapshot');
      for (const socket of batch) if (socket.connected) waiting.set(socket.id, socket);
      return;
    }
    const connected = batch.filter((socket) => socket.connected);
    if (connected.length === 0) return;
    deps.lobby.local.to(connected.map((socket) => socket.id)).emit('presence:snapshot', snapshot.presences, { rev: snapshot.rev });
    for (const socket of connected) socket.join(PRESENCE_ROOM);
  }

  const timer = setInterval(flush, deps.flushMs);
  timer.unref();

  return {
    /** A change this instance claimed: to every instance's sockets, in the next batch. */
    publish(presence: PresenceDto): void {
      keepNewest(claimed, presence);
    },
    /** Recent changes again, to this instance's sockets only (they drop what they hold). */
    reannounce(presences: readonly PresenceDto[]): void {
      for (const presence of presences) keepNewest(reannounced, presence);
    },
    /** A socket that just connected: it gets the next snapshot, then joins the batches. */
    admit(socket: Waiting & { once(event: 'disconnect', listener: () => void): unknown }): void {
      waiting.set(socket.id, socket);
      socket.once('disconnect', () => waiting.delete(socket.id));
      scheduleSnapshots();
    },
    flush,
    stop(): void {
      clearInterval(timer);
      clearTimeout(snapshotTimer);
    },
  };
}

export type PresenceBroadcast = ReturnType<typeof createPresenceBroadcast>;
