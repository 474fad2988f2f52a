import type { PresenceDto } from '@confab/shared';

export type PresenceState = PresenceDto['state'];
export type PresenceMap = Readonly<Record<string, PresenceDto>>;

/**
 * The map after a `presence:snapshot`: it lists everyone online or away, so anyone held as online
 * or away but missing from it has gone offline meanwhile (their last-seen time is asked again).
 */
export function mergeSnapshot(current: PresenceMap, snapshot: readonly PresenceDto[]): PresenceMap {
  const next: Record<string, PresenceDto> = {};
  for (const [userId, p] of Object.entries(current)) next[userId] = p.state === 'offline' ? p : { ...p, state: 'offline' };
  for (const p of snapshot) next[p.userId] = p;
  return next;
}

/** One user's change; an answer to `presence:get` goes through here too. */
export function mergeUpdate(current: PresenceMap, update: PresenceDto): PresenceMap {
  const held = current[update.userId];
  if (held && held.state === update.state && held.lastSeenAt === update.lastSeenAt) return current;
  return { ...current, [update.userId]: update };
}

const ORDER: Record<PresenceState, number> = { online: 0, away: 1, offline: 2 };

/** Online then away, each by name; offline users are left out. */
export function connectedUsers(presence: PresenceMap, names: Readonly<Record<string, string>>): { userId: string; name: string; state: PresenceState }[] {
  return Object.values(presence)
    .filter((p) => p.state !== 'offline')
    .map((p) => ({ userId: p.userId, name: names[p.userId] ?? '', state: p.state }))
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name));
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function relativeTime(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const units: [number, string][] = [[86_400, 'day'], [3_600, 'hour'], [60, 'minute']];
  for (const [size, unit] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** What the DM header says about the peer: "online", "away", "last seen 5 minutes ago", or "offline". */
export function presenceLabel(presence: PresenceDto | undefined, now: Date): string {
  if (!presence) return '';
  if (presence.state !== 'offline') return presence.state;
  return presence.lastSeenAt ? `last seen ${relativeTime(presence.lastSeenAt, now)}` : 'offline';
}
