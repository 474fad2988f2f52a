import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import { createAuditLog } from './auditLog.js';
import { createDeactivatedUsers } from './deactivatedUsers.js';
import { createInvitations } from './invitations.js';
import { createLiveSettings } from './liveSettings.js';
import { createRegistrationPolicy } from './registration.js';
import { createRoles } from './roles.js';

/**
 * What administration keeps and decides, read at start-up: the settings in force, the
 * deactivated users, the roles (promoting `ADMIN_USERNAMES`, warning when there is no admin),
 * invitations and the registration rules. The `/admin` events' services are made once the
 * namespaces exist (they end sessions and announce changes through them).
 */
export async function startAdministration(deps: { stores: Stores; config: Config; now: () => Date; logger: Logger }) {
  const { stores, now, logger } = deps;
  const live = createLiveSettings({ settings: stores.settings, defaults: deps.config, logger });
  await live.fresh();
  const audit = createAuditLog({ audit: stores.audit, now });
  const deactivatedUsers = createDeactivatedUsers({ users: stores.users });
  await deactivatedUsers.refresh();
  const roles = createRoles({ users: stores.users, settings: stores.settings, adminUsernames: deps.config.adminUsernames, logger, audit });
  await roles.atStartUp();
  const mayInvite = async (userId: string): Promise<boolean> => {
    const maker = await stores.users.findById(userId);
    if (!maker || maker.deactivatedAt) return false;
    return maker.role === 'admin' || (await live.fresh()).membersCanInvite;
  };
  const invitations = createInvitations({ invitations: stores.invitations, audit, now, mayInvite });
  const registration = createRegistrationPolicy({ users: stores.users, live, invitations, roles });
  return { live, audit, deactivatedUsers, roles, invitations, registration };
}
