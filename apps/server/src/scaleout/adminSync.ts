import type { InterServerEvents, UserUpdateDto } from '@confab/shared';
import type { Namespace } from 'socket.io';
import type { Logger } from '../logger.js';
import type { DeactivatedUsers } from '../services/admin/deactivatedUsers.js';
import type { LiveSettings } from '../services/admin/liveSettings.js';

/** How often every instance reads settings and deactivated users again, in case an announcement was lost (a PUBLISH dropped by a reset). */
export const ADMIN_RESYNC_MS = 30_000;
/**
 * How long a settings change waits for the other instances to confirm they applied it. One that
 * does not answer in time (stopping, or cut off from Redis) applies it at its next resync.
 */
export const SETTINGS_ACK_TIMEOUT_MS = 5_000;

/**
 * Keeps every instance's copies of what admins change (the settings in force, the deactivated
 * users) current: a change made here is applied here and announced to the other instances
 * through the adapter (`settings:changed`, `users:changed`), which read it again from the
 * database; and every `resyncMs` each instance reads both anyway.
 */
export function startAdminSync(deps: {
  /** The namespace whose adapter carries the announcements (any namespace every instance has). */
  carrier: Namespace<never, never, InterServerEvents>;
  hasPeers: boolean;
  live: Pick<LiveSettings, 'fresh'>;
  deactivated: Pick<DeactivatedUsers, 'refresh' | 'all' | 'has'>;
  /**
   * Ends this instance's sockets of these (deactivated) users. Called after every read of them:
   * a deactivation whose broadcast was lost, or made from the command line on a server without
   * Redis (nothing to announce it), still ends their sockets within a resync.
   */
  endLocalSockets?: (userIds: string[]) => void;
  /**
   * Tells this instance's own sockets what changed: `updates`, whose deactivation changed since
   * this instance last read them (`user:updated`), and `sessionsChanged`, the users named by a
   * change who are still active (`session:changed`: their role may have changed). Every instance
   * tells only its own sockets, once it has read the change, so each socket hears it once.
   */
  tellLocalSockets?: (news: { updates: UserUpdateDto[]; sessionsChanged: string[] }) => void;
  logger: Logger;
  resyncMs?: number;
}) {
  const reloadSettings = () => deps.live.fresh().then(() => undefined);
  /**
   * Reads the deactivated users again; `userIds` are those a change named (none for a resync,
   * which can see deactivations made behind this instance's back but not role changes).
   */
  const refreshUsers = async (userIds: readonly string[] = []) => {
    let updates: UserUpdateDto[] = [];
    try {
      const changes = await deps.deactivated.refresh();
      // Their sockets end before the others hear of it: a deactivated user's tab learns it from the refusal.
      deps.endLocalSockets?.(deps.deactivated.all());
      updates = [
        ...changes.deactivated.map((userId) => ({ userId, deactivated: true })),
        ...changes.reactivated.map((userId) => ({ userId, deactivated: false })),
      ];
    } finally {
      // Even when the read failed: a role change is in the database, and their tabs read it from there.
      const sessionsChanged = [...new Set(userIds)].filter((id) => !deps.deactivated.has(id));
      if (updates.length > 0 || sessionsChanged.length > 0) deps.tellLocalSockets?.({ updates, sessionsChanged });
    }
  };
  const inBackground = (what: string, run: () => Promise<void>) => {
    run().catch((err: unknown) => deps.logger.warn({ err }, `could not read the ${what} again; the next resync retries`));
  };
  const resync = () => {
    inBackground('settings', reloadSettings);
    inBackground('deactivated users', () => refreshUsers());
  };

  deps.carrier.on('settings:changed', (applied) => {
    // Confirmed even when the read failed: the instance that asked must not wait for one that cannot read.
    reloadSettings()
      .catch((err: unknown) => deps.logger.warn({ err }, 'could not read the settings again; the next resync retries'))
      .finally(() => applied());
  });
  deps.carrier.on('users:changed', (userIds) => inBackground('deactivated users', () => refreshUsers(userIds)));
  const timer = setInterval(resync, deps.resyncMs ?? ADMIN_RESYNC_MS);
  timer.unref();

  return {
    /**
     * The settings changed here (and were applied here): tell the other instances, and resolve
     * once each has applied them (or `SETTINGS_ACK_TIMEOUT_MS` passed), so that an admin's ack
     * means the change is in force everywhere.
     */
    async settingsChanged(): Promise<void> {
      if (!deps.hasPeers) return;
      let timer: NodeJS.Timeout | undefined;
      // The adapter never answers when it cannot count the instances (Redis unreachable): hence a timer of its own.
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), SETTINGS_ACK_TIMEOUT_MS)));
      const confirmed = deps.carrier.serverSideEmitWithAck('settings:changed').then(
        () => 'confirmed' as const,
        () => 'timeout' as const,
      );
      const outcome = await Promise.race([confirmed, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') deps.logger.warn('not every instance confirmed a settings change in time; each applies it at its next resync');
    },
    /**
     * These users changed here: tell the other instances, and read them again here (which tells
     * this instance's sockets; the peers tell theirs, since `serverSideEmit` skips the sender).
     * Never rejects: the change is made, and a failed read is logged and repaired by the next resync.
     */
    async usersChanged(userIds: string[]): Promise<void> {
      if (deps.hasPeers) deps.carrier.serverSideEmit('users:changed', userIds);
      try {
        await refreshUsers(userIds);
      } catch (err) {
        deps.logger.warn({ err, userIds }, 'could not read the deactivated users again after a change made here; the next resync retries');
      }
    },
    /** Announcements may have been missed (the Redis link was interrupted): read everything again. */
    resync,
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type AdminSync = ReturnType<typeof startAdminSync>;
