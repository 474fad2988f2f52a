import type { InterServerEvents } from '@confab/shared';
import type { Namespace } from 'socket.io';
import type { Logger } from '../logger.js';
import type { DeactivatedUsers } from '../services/admin/deactivatedUsers.js';
import type { LiveSettings } from '../services/admin/liveSettings.js';

/** How often every instance reads settings and deactivated users again, in case an announcement was lost (a PUBLISH dropped by a reset). */
export const ADMIN_RESYNC_MS = 30_000;

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
  deactivated: Pick<DeactivatedUsers, 'refresh'>;
  logger: Logger;
  resyncMs?: number;
}) {
  const reloadSettings = () => deps.live.fresh().then(() => undefined);
  const refreshUsers = () => deps.deactivated.refresh();
  const inBackground = (what: string, run: () => Promise<void>) => {
    run().catch((err: unknown) => deps.logger.warn({ err }, `could not read the ${what} again; the next resync retries`));
  };
  const resync = () => {
    inBackground('settings', reloadSettings);
    inBackground('deactivated users', refreshUsers);
  };

  deps.carrier.on('settings:changed', () => inBackground('settings', reloadSettings));
  deps.carrier.on('users:changed', () => inBackground('deactivated users', refreshUsers));
  const timer = setInterval(resync, deps.resyncMs ?? ADMIN_RESYNC_MS);
  timer.unref();

  return {
    /** The settings changed here (and were applied here): tell the other instances. */
    settingsChanged(): void {
      if (deps.hasPeers) deps.carrier.serverSideEmit('settings:changed');
    },
    /** These users changed here: read the deactivated ones again here, and tell the other instances. */
    async usersChanged(userIds: string[]): Promise<void> {
      if (deps.hasPeers) deps.carrier.serverSideEmit('users:changed', userIds);
      await refreshUsers();
    },
    /** Announcements may have been missed (the Redis link was interrupted): read everything again. */
    resync,
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type AdminSync = ReturnType<typeof startAdminSync>;
