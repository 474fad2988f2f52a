import type { PresenceDto } from '@confab/shared';
import type { Logger } from '../logger.js';
import { aggregatePresence } from './aggregate.js';
import type { PresenceRegistry } from './registry.js';

export interface PresenceServiceDeps {
  registry: PresenceRegistry;
  instanceId: string;
  now: () => Date;
  awayAfterMs: number;
  /** Called once per change of a user's aggregated state, to broadcast it. */
  publish: (presence: PresenceDto) => void;
  logger: Logger;
}

/**
 * Aggregates connections into per-user presence and publishes each change once. The registry
 * records the state last published per user (across instances), so a second tab connecting,
 * or one of two closing, publishes nothing; a periodic sweep turns idle users `away` and the
 * users of a crashed instance `offline`.
 */
export function createPresenceService(deps: PresenceServiceDeps) {
  // Recomputations for one user run one after another, so two racing events cannot publish out of order.
  const queues = new Map<string, Promise<void>>();

  function recompute(userId: string): Promise<void> {
    const run = async () => {
      const [connections, lastSeen] = await Promise.all([deps.registry.connections([userId]), deps.registry.lastSeen([userId])]);
      const presence = aggregatePresence(userId, connections, lastSeen.get(userId), deps.now(), deps.awayAfterMs);
      if (await deps.registry.claimChange(userId, presence.state)) deps.publish(presence);
    };
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

  /** After the shared registry may have lost its data: this instance's entries go back first. */
  async function resyncSnapshot(): Promise<PresenceDto[]> {
    await deps.registry.reassert();
    return snapshot();
  }

  /** Everyone online or away now: what a newly connected client starts from. */
  async function snapshot(): Promise<PresenceDto[]> {
    const connections = await deps.registry.connections();
    const userIds = [...new Set(connections.map((c) => c.userId))];
    return userIds.map((id) => aggregatePresence(id, connections, undefined, deps.now(), deps.awayAfterMs));
  }

  /** The presence of given users, offline ones with their last-seen time. */
  async function lookup(userIds: readonly string[]): Promise<PresenceDto[]> {
    const unique = [...new Set(userIds)];
    const [connections, lastSeen] = await Promise.all([deps.registry.connections(unique), deps.registry.lastSeen(unique)]);
    return unique.map((id) => aggregatePresence(id, connections, lastSeen.get(id), deps.now(), deps.awayAfterMs));
  }

  /** Re-evaluates every connected user (idle ones become away) and anyone published but gone. */
  async function sweep(): Promise<void> {
    try {
      await deps.registry.reapExpired(deps.now());
      const [connections, tracked] = await Promise.all([deps.registry.connections(), deps.registry.trackedUsers()]);
      const userIds = new Set([...connections.map((c) => c.userId), ...tracked]);
      await Promise.all([...userIds].map(recompute));
    } catch (err) {
      deps.logger.warn({ err }, 'presence sweep failed');
    }
  }

  return { connected, active, disconnected, snapshot, resyncSnapshot, lookup, sweep };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
