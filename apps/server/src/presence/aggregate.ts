import type { PresenceDto } from '@confab/shared';
import type { ConnectionEntry } from './registry.js';

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
): PresenceDto {
  const mine = connections.filter((c) => c.userId === userId);
  if (mine.length === 0) return { userId, state: 'offline', lastSeenAt: lastSeen?.toISOString() ?? null };
  const lastActive = new Date(Math.max(...mine.map((c) => c.lastActiveAt.getTime())));
  const isAway = now.getTime() - lastActive.getTime() >= awayAfterMs;
  return { userId, state: isAway ? 'away' : 'online', lastSeenAt: lastActive.toISOString() };
}
