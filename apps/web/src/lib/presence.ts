import type { PresenceDto } from '@confab/shared';

export type PresenceState = PresenceDto['state'];
export type PresenceMap = Readonly<Record<string, PresenceDto>>;

/** What a tab shows for a user: their state, or `unknown` while it is not hearing presence live. */
export type ShownPresenceState = PresenceState | 'unknown';

/**
 * Whether `update` may replace what is held for its user: a revision below the held one or the
 * last snapshot's (`floorRev`) is stale. An equal one repeats what is held (the server
 * re-announces recent changes, and `presence:get` answers offline users with the revision it
 * read at), so it may refresh `lastSeenAt` but never change the state.
 */
export function isCurrent(held: PresenceDto | undefined, update: PresenceDto, floorRev: number): boolean {
  const heldRev = Math.max(held?.rev ?? -1, floorRev);
  if (update.rev !== heldRev) return update.rev > heldRev;
  return !held || held.state === update.state;
}

/**
 * The map after a `presence:snapshot` current as of `rev`: it lists everyone online or away, so
 * anyone held with an older revision and missing from it has gone offline meanwhile (their
 * last-seen time is asked again). What is held with a newer revision stays: it overtook the snapshot.
 */
export function mergeSnapshot(current: PresenceMap, snapshot: readonly PresenceDto[], rev: number): PresenceMap {
  const next: Record<string, PresenceDto> = {};
  for (const [userId, p] of Object.entries(current)) next[userId] = p.rev > rev || p.state === 'offline' ? p : { ...p, state: 'offline', rev };
  for (const p of snapshot) {
    const held = current[p.userId];
    if (!held || held.rev <= rev) next[p.userId] = p;
  }
  return next;
}

/**
 * The map after a `presence:changes` batch (or a `presence:get` answer): each entry is taken
 * alone, in order, unless it is stale (see `isCurrent`), so of two entries for one user the
 * newest revision wins. One pass: the map is copied at most once, and returned as it was if
 * nothing changed.
 */
export function mergeUpdates(current: PresenceMap, updates: readonly PresenceDto[], floorRev: number): PresenceMap {
  let next: Record<string, PresenceDto> | undefined;
  for (const update of updates) {
    const held = (next ?? current)[update.userId];
    if (!isCurrent(held, update, floorRev)) continue;
    if (held && held.state === update.state && held.lastSeenAt === update.lastSeenAt && held.rev === update.rev) continue;
    next ??= { ...current };
    next[update.userId] = update;
  }
  return next ?? current;
}

/** One user's change: `mergeUpdates` with a batch of one. */
export function mergeUpdate(current: PresenceMap, update: PresenceDto, floorRev: number): PresenceMap {
  return mergeUpdates(current, [update], floorRev);
}

const ORDER: Record<PresenceState, number> = { online: 0, away: 1, offline: 2 };
// The default locale's order, as `localeCompare` gives it, without building a collator per comparison.
const byName = new Intl.Collator().compare;

/**
 * Online then away, each by name; offline users are left out. Not `isKnown` (the tab is not
 * hearing presence live): the same people, as `unknown`.
 */
export function connectedUsers(
  presence: PresenceMap,
  names: Readonly<Record<string, string>>,
  isKnown = true,
): { userId: string; name: string; state: ShownPresenceState }[] {
  return Object.values(presence)
    .filter((p) => p.state !== 'offline')
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || byName(names[a.userId] ?? '', names[b.userId] ?? ''))
    .map((p) => ({ userId: p.userId, name: names[p.userId] ?? '', state: isKnown ? p.state : 'unknown' }));
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

/**
 * What the DM header says about the peer: "online", "away", "last seen 5 minutes ago", or
 * "offline"; nothing while presence is not `isKnown`.
 */
export function presenceLabel(presence: PresenceDto | undefined, now: Date, isKnown = true): string {
  if (!presence || !isKnown) return '';
  if (presence.state !== 'offline') return presence.state;
  return presence.lastSeenAt ? `last seen ${relativeTime(presence.lastSeenAt, now)}` : 'offline';
}
