import {
  adminAuditSchema,
  adminInvitationsSchema,
  adminReportResolveSchema,
  adminReportsSchema,
  adminSettingsUpdateSchema,
  adminUserRefSchema,
  adminUserRoleSchema,
  adminUsersSchema,
  fail,
  invitationCreateSchema,
  invitationRefSchema,
  ok,
  validate,
  type Ack,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type InterServerEvents,
  type SocketData,
} from '@confab/shared';
import type { Namespace } from 'socket.io';
import { z } from 'zod';
import type { RateLimits } from '../../limits/rateLimits.js';
import type { Logger } from '../../logger.js';
import { createClientLog, type ClientLogLimit } from '../../logging/sampledLog.js';
import type { AuditLog } from '../../services/admin/auditLog.js';
import type { Invitations } from '../../services/admin/invitations.js';
import type { LiveSettings } from '../../services/admin/liveSettings.js';
import type { Moderation } from '../../services/admin/moderation.js';
import type { SettingsAdmin } from '../../services/admin/settingsAdmin.js';
import type { UserAdmin } from '../../services/admin/userAdmin.js';
import { toUserDto } from '../../services/toDto.js';
import type { UserRecord, UserStore } from '../../store/ports.js';
import { handleEvent } from '../handler.js';
import { sessionRoom, userRoom } from '../rooms.js';

export type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, InterServerEvents, SocketData>;

export interface AdminDeps {
  users: Pick<UserStore, 'findById'>;
  live: Pick<LiveSettings, 'fresh'>;
  settings: SettingsAdmin;
  userAdmin: UserAdmin;
  invitations: Invitations;
  audit: AuditLog;
  moderation: Pick<Moderation, 'listReports' | 'resolveReport'>;
  rateLimits: RateLimits;
  logger: Logger;
  clientLogLimit?: ClientLogLimit;
}

/** Who may use an event: admins only, or also members while `membersCanInvite` (for their own invitations). */
type Audience = 'admins' | 'inviters';

/** The caller as read when the event arrived. */
interface Caller {
  user: UserRecord;
  isAdmin: boolean;
}

const noPayload = z.strictObject({});
const payloadList = z.array(z.unknown());
const FORBIDDEN = 'Only admins may do this.';

/**
 * `/admin`: server administration. Any signed-in user may connect (the same handshake as the
 * other namespaces), but every event reads the caller's account again when it arrives, so a
 * demotion or a deactivation applies to the very next event, on every instance. Refusals change
 * nothing; every change is in the audit log (the services write it).
 */
export function registerAdmin(admin: AdminNamespace, deps: AdminDeps): void {
  async function callerFor(userId: string, audience: Audience): Promise<Ack<Caller>> {
    const user = await deps.users.findById(userId);
    if (!user || user.deactivatedAt) return fail('forbidden', FORBIDDEN);
    if (user.role === 'admin') return ok({ user, isAdmin: true });
    if (audience === 'inviters' && (await deps.live.fresh()).membersCanInvite) return ok({ user, isAdmin: false });
    return fail('forbidden', audience === 'inviters' ? 'Only admins may manage invitations on this server.' : FORBIDDEN);
  }

  admin.on('connection', (socket) => {
    const userId = socket.data.user.id;
    const logger = createClientLog(deps.logger.child({ nsp: '/admin', socketId: socket.id, userId }), deps.clientLogLimit);
    socket.once('disconnect', () => logger.flush());
    socket.join([userRoom(userId), sessionRoom(socket.data.sessionId)]);

    /**
     * Takes a rate-limit point, reads the caller, then validates and runs. The caller comes
     * before the payload so that one who may not use the event is told `forbidden` whatever they
     * send, never what is wrong with it. `handleEvent` gets the payloads as one list, unchecked,
     * for its ack handling and its failure logging.
     */
    function on<S extends z.ZodType, T>(event: keyof AdminClientToServerEvents, schema: S, audience: Audience, run: (caller: Caller, input: z.output<S>) => Promise<Ack<T>>): void {
      const handler = handleEvent(logger, event, payloadList, async (payloads) => {
        const limited = await deps.rateLimits.check('admin', userId);
        if (limited) return limited;
        const caller = await callerFor(userId, audience);
        if (!caller.ok) return caller;
        if (payloads.length !== 1) return fail('invalid_payload', 'Send exactly one payload object and an ack callback.', { field: '' });
        const input = validate(schema, payloads[0]);
        return input.ok ? run(caller.data, input.data) : input;
      });
      socket.on(event, (...args: unknown[]) => {
        const ack = typeof args.at(-1) === 'function' ? args.pop() : undefined;
        return ack === undefined ? handler(args) : handler(args, ack);
      });
    }
    const author = (caller: Caller) => ({ id: caller.user.id, name: caller.user.displayName });

    on('admin:settings', noPayload, 'admins', async () => ok(await deps.settings.get()));
    on('admin:settings:update', adminSettingsUpdateSchema, 'admins', async (caller, input) => ok(await deps.settings.update(author(caller), input)));
    on('admin:users', adminUsersSchema, 'admins', async (_caller, input) => ok(await deps.userAdmin.list(input)));
    on('admin:user:role', adminUserRoleSchema, 'admins', (caller, input) => deps.userAdmin.setRole(caller.user, input));
    on('admin:user:deactivate', adminUserRefSchema, 'admins', (caller, input) => deps.userAdmin.deactivate(caller.user, input.userId));
    on('admin:user:reactivate', adminUserRefSchema, 'admins', (caller, input) => deps.userAdmin.reactivate(caller.user, input.userId));
    on('admin:user:ban', adminUserRefSchema, 'admins', (caller, input) => deps.userAdmin.ban(caller.user, input.userId, toUserDto(caller.user)));
    on('admin:reports', adminReportsSchema, 'admins', (_caller, input) => deps.moderation.listReports(input));
    on('admin:report:resolve', adminReportResolveSchema, 'admins', (caller, input) => deps.moderation.resolveReport(toUserDto(caller.user), input));
    on('admin:audit', adminAuditSchema, 'admins', async (_caller, input) => ok(await deps.audit.list(input)));
    on('invitation:list', adminInvitationsSchema, 'inviters', async (caller, input) => ok(await deps.invitations.list({ ...input, ...(caller.isAdmin ? {} : { createdBy: caller.user.id }) })));
    on('invitation:create', invitationCreateSchema, 'inviters', async (caller, input) => ok(await deps.invitations.create(author(caller), input)));
    on('invitation:revoke', invitationRefSchema, 'inviters', (caller, input) => deps.invitations.revoke(author(caller), input.id, caller.isAdmin ? undefined : caller.user.id));
  });
}
