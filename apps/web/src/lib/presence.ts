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
