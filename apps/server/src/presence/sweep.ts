import type { PresenceDto } from '@confab/shared';
import { aggregatePresence, groupByUser } from './aggregate.js';
import type { PresenceServiceDeps } from './presenceService.js';
import type { PublishedPresence } from './registry.js';

export type PresenceSweepDeps = Pick<PresenceServiceDeps, 'registry' | 'now' | 'awayAfterMs' | 'sweepMs' | 'publish' | 'reannounce' | 'logger'> & {
  /** While true, users without connections are not claimed offline (their instance may not have re-written them yet). */
  holdsOffline?: () => boolean;
};

/** A published state as clients get it. */
export function toDto(userId: string, p: PublishedPresence): PresenceDto {
  return { userId, state: p.state, lastSeenAt: p.lastSeenAt, rev: p.rev };
}

/**
 * One pass over everyone: reads the connections, versions and published states once (not per
 * user), claims only the states that differ from what is published (idle users turn away, the
 * users of a crashed instance offline, a claim that a stale read got wrong is put right), and
 * offers this instance's clients again what changed within the last two sweeps (the broadcast
 * passes on only what they never got), so a message lost between instances is repaired by the
 * next sweep.
 */
export function createPresenceSweep(deps: PresenceSweepDeps) {
  return async function sweep(): Promise<void> {
    try {
      await deps.registry.reapExpired(deps.now());
      // Versions before the data they guard: a change in between makes that user's claim stale.
      const versions = await deps.registry.versions();
      const [connections, published] = await Promise.all([deps.registry.connections(), deps.registry.published()]);
      const byUser = groupByUser(connections);
      const goneButShown = [...published.states].filter(([id, p]) => p.state !== 'offline' && !byUser.has(id)).map(([id]) => id);
      const lastSeen = await deps.registry.lastSeen(goneButShown);
      const now = deps.now();

      // Decided without awaiting, so a sweep of thousands of unchanged users allocates no promise per user.
      const changed = [];
      for (const userId of new Set([...byUser.keys(), ...goneButShown])) {
        const presence = aggregatePresence(userId, byUser.get(userId) ?? [], lastSeen.get(userId), now, deps.awayAfterMs);
        if (presence.state === 'offline' && deps.holdsOffline?.()) continue;
        if ((published.states.get(userId)?.state ?? 'offline') !== presence.state) changed.push(presence);
      }
      await Promise.all(
        changed.map(async (presence) => {
          // Stale: the user's connections changed since the read, and that change recomputes them.
          const claim = await deps.registry.claimChange(presence, versions.get(presence.userId) ?? 0);
          if (claim.kind === 'claimed') deps.publish({ ...presence, rev: claim.rev });
        }),
      );

      const recentSince = published.now - 2 * deps.sweepMs;
      const recent = [...published.states].filter(([, p]) => p.at >= recentSince);
      deps.reannounce(recent.map(([id, p]) => toDto(id, p)), recentSince);
      // Offline states are kept a while so the re-announcement can carry them; the revision covers them after.
      const pruneBefore = published.now - 4 * deps.sweepMs;
      if ([...published.states.values()].some((p) => p.state === 'offline' && p.at < pruneBefore)) await deps.registry.pruneOffline(pruneBefore);
    } catch (err) {
      deps.logger.warn({ err }, 'presence sweep failed');
    }
  };
}
