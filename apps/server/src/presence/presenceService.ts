import type { PresenceDto } from '@confab/shared';
import type { Logger } from '../logger.js';
import { aggregatePresence } from './aggregate.js';
import type { PresenceRegistry } from './registry.js';
import { createPresenceSweep, toDto } from './sweep.js';

export interface PresenceServiceDeps {
  registry: PresenceRegistry;
  instanceId: string;
  now: () => Date;
  awayAfterMs: number;
  /** How often `sweep` runs: changes claimed within two of these are re-announced. */
  sweepMs: number;
  /** Called once per change of a user's aggregated state, to broadcast it to every instance's clients. */
  publish: (presence: PresenceDto) => void;
  /**
   * Recent changes (claimed at or after `since`, ms on the registry's clock), to send again to
   * this instance's own clients where they may have missed them (they ignore what they have).
   */
  reannounce: (presences: PresenceDto[], since: number) => void;
  /**
   * After a Redis gap, how long the other instances may take to write their entries back (their
   * next lease renewal): until then nobody missing from the registry is claimed offline, and the
   * fresh snapshot waits for it. 0 with one instance.
   */
  reassertWaitMs?: number;
  logger: Logger;
}

/** What a client starts from: everyone online or away, current as of revision `rev`. */
export interface PresenceSnapshot {
  presences: PresenceDto[];
  rev: number;
}

/** How often a claim refused as stale (a connection changed while it was computed) is tried again. */
const MAX_ATTEMPTS = 5;

/**
 * Aggregates connections into per-user presence and publishes each change once, under a
 * revision that orders it after every earlier change (clients drop what is older than what they
 * hold). A claim counts only if no connection of the user changed since it was computed, so a
 * stale read cannot overwrite a newer state. A periodic sweep turns idle users `away`, the users
 * of a crashed instance `offline`, and re-announces recent changes to this instance's clients,
 * which repairs broadcasts that were lost or overtaken on the way.
 */
export function createPresenceService(deps: PresenceServiceDeps) {
  // Recomputations for one user run one after another on this instance.
  const queues = new Map<string, Promise<void>>();

  async function computeAndClaim(userId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      // The version first: a change after this read makes the claim stale.
      const version = (await deps.registry.versions([userId])).get(userId) ?? 0;
      const [connections, lastSeen] = await Promise.all([deps.registry.connections([userId]), deps.registry.lastSeen([userId])]);
      const presence = aggregatePresence(userId, connections, lastSeen.get(userId), deps.now(), deps.awayAfterMs);
      const claim = await deps.registry.claimChange(presence, version);
      if (claim.kind === 'claimed') deps.publish({ ...presence, rev: claim.rev });
      if (claim.kind !== 'stale') return;
    }
    // Whoever keeps changing the user's connections recomputes after each change; the sweep checks too.
  }

  function recompute(userId: string): Promise<void> {
    const run = () => computeAndClaim(userId);
    const next = (queues.get(userId) ?? Promise.resolve()).then(run, run).catch((err) => {
      deps.logger.warn({ err, userId }, 'presence update failed');
    });
    queues.set(userId, next);
    void next.finally(() => {
      if (queues.get(userId) === next) queues.delete(userId);
    });
    return next;
  }

  async function connected(userId: string, connectionId: string): Promise<void> {
    await deps.registry.add({ connectionId, userId, instanceId: deps.instanceId, lastActiveAt: deps.now() });
    await recompute(userId);
  }

  async function active(userId: string, connectionId: string): Promise<void> {
    await deps.registry.markActive(connectionId, deps.now());
    await recompute(userId);
  }

  async function disconnected(userId: string, connectionId: string): Promise<void> {
    await deps.registry.remove(connectionId, deps.now());
    await recompute(userId);
  }

  /** Everyone online or away, read in one step with the revision it is current at. */
  async function snapshot(): Promise<PresenceSnapshot> {
    const published = await deps.registry.published();
    const presences = [...published.states].filter(([, p]) => p.state !== 'offline').map(([id, p]) => toDto(id, p));
    return { presences, rev: published.rev };
  }

  /**
   * The presence of given users as published, offline ones with their last-seen time. An offline
   * user carries the revision read with it: they were offline as of then.
   */
  async function lookup(userIds: readonly string[]): Promise<PresenceDto[]> {
    const unique = [...new Set(userIds)];
    const [published, lastSeen] = await Promise.all([deps.registry.published(unique), deps.registry.lastSeen(unique)]);
    return unique.map((id) => {
      const held = published.states.get(id);
      if (held && held.state !== 'offline') return toDto(id, held);
      return { userId: id, state: 'offline', lastSeenAt: lastSeen.get(id)?.toISOString() ?? held?.lastSeenAt ?? null, rev: published.rev };
    });
  }

  // Until then a user without connections may only be one whose instance has not written its entries back yet.
  let holdOfflineUntil = 0;
  const sweep = createPresenceSweep({ ...deps, holdsOffline: () => Date.now() < holdOfflineUntil });

  /**
   * After the shared registry may have lost its data: this instance's entries go back, the other
   * instances get one lease renewal to write theirs back (nobody is claimed offline meanwhile),
   * then every state is claimed again and read.
   */
  async function resyncSnapshot(): Promise<PresenceSnapshot> {
    const waitMs = deps.reassertWaitMs ?? 0;
    holdOfflineUntil = Date.now() + waitMs;
    await deps.registry.reassert();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
    holdOfflineUntil = 0;
    await sweep();
    return snapshot();
  }

  return { connected, active, disconnected, snapshot, resyncSnapshot, lookup, sweep };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
