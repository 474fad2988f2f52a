import type { PresenceDto } from '@confab/shared';
import type { ConnectionEntry } from './registry.js';

/** A presence before it is published: the revision comes with the claim. */
export type UnclaimedPresence = Omit<PresenceDto, 'rev'>;

/**
 * A user's presence from all of their connections: online if any tab was active within
 * `awayAfterMs`, away if connected but every tab idle or hidden that long, offline without one.
 */
export function aggregatePresence(
  userId: string,
  connections: readonly ConnectionEntry[],
  lastSeen: Date | undefined,
  now: Date,
  awayAfterMs: number,
): UnclaimedPresence {
  let lastActiveMs = -Infinity;
  for (const c of connections) if (c.userId === userId && c.lastActiveAt.getTime() > lastActiveMs) lastActiveMs = c.lastActiveAt.getTime();
  if (lastActiveMs === -Infinity) return { userId, state: 'offline', lastSeenAt: lastSeen?.toISOString() ?? null };
  const lastActive = new Date(lastActiveMs);
  const isAway = now.getTime() - lastActive.getTime() >= awayAfterMs;
  return { userId, state: isAway ? 'away' : 'online', lastSeenAt: lastActive.toISOString() };
}

/** Connections by user, so that aggregating everyone reads each entry once. */
export function groupByUser(connections: readonly ConnectionEntry[]): Map<string, ConnectionEntry[]> {
  const byUser = new Map<string, ConnectionEntry[]>();
  for (const c of connections) {
    const list = byUser.get(c.userId);
    if (list) list.push(c);
    else byUser.set(c.userId, [c]);
  }
  return byUser;
}
