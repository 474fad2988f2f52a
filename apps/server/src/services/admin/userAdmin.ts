import { fail, ok, type Ack, type AdminUserDto, type AdminUserPage, type UserDto, type UserRole } from '@confab/shared';
import type { Logger } from '../../logger.js';
import type { SessionStore, UserRecord, UserStore } from '../../store/ports.js';
import { toAdminUserDto as toDto, userTarget } from './adminDtos.js';
import type { AuditLog } from './auditLog.js';
import type { Moderation } from './moderation.js';
import type { Roles } from './roles.js';

const NO_SUCH_USER = 'There is no such user.';

/** Who acts: an admin's record, read when the request arrived. */
type Actor = Pick<UserDto, 'id' | 'displayName'>;

/**
 * What admins do to accounts: list them, change roles, deactivate, reactivate and ban. Every
 * change is written to the audit log and announced to every instance (`usersChanged`), and
 * deactivation ends the user's sessions and sockets everywhere (`endUserSessions`).
 */
export function createUserAdmin(deps: {
  users: UserStore;
  sessions: Pick<SessionStore, 'revokeAllForUser'>;
  roles: Roles;
  audit: AuditLog;
  moderation: Pick<Moderation, 'removeAllBy'>;
  now: () => Date;
  logger: Logger;
  /** Disconnects every socket of the user on every instance (realtime/sessionEnforcement.ts). */
  endUserSessions(userId: string): Promise<void>;
  /** Tells this and every other instance that these users changed (the deactivated-users cache); never rejects. */
  usersChanged(userIds: string[]): Promise<void>;
}) {
  const author = (actor: Actor) => ({ id: actor.id, name: actor.displayName });
  const toAdminUserDto = (user: UserRecord) => toDto(user, deps.roles.isConfiguredAdmin(user.username));

  /**
   * A user named in `ADMIN_USERNAMES` is an active admin while listed: the configuration would
   * make them one again at the next start-up or sign-in, so no admin (nor the operator's command
   * line) demotes, deactivates or bans them; the operator removes the name first.
   */
  const configuredRefusal = (target: UserRecord): Ack<never> =>
    fail('forbidden', `${target.username} is named in the server's ADMIN_USERNAMES, so they stay an active admin while listed there: remove the name from ADMIN_USERNAMES (and restart the server) first.`);

  async function find(userId: string): Promise<Ack<UserRecord>> {
    const user = await deps.users.findById(userId);
    return user ? ok(user) : fail('not_found', NO_SUCH_USER);
  }

  /**
   * Ends what a deactivated user still holds: sessions in the store, then live sockets, here and
   * elsewhere; then tells the instances. In that order: what ends the user's access comes first,
   * and an announcement that could not be read everywhere is repaired by the next resync.
   */
  async function endEverything(user: UserRecord): Promise<void> {
    await deps.sessions.revokeAllForUser(user.id);
    await deps.endUserSessions(user.id);
    await deps.usersChanged([user.id]);
  }

  /** Deactivates an active user (nothing to do for a deactivated one); `last_admin` if they are the last active admin. */
  async function deactivateOnce(actor: Actor, target: UserRecord): Promise<Ack<UserRecord>> {
    if (target.id === actor.id) return fail('forbidden', 'You cannot deactivate or ban your own account.');
    // Before the check for an account already deactivated: a ban would still remove their messages.
    if (deps.roles.isConfiguredAdmin(target.username)) return configuredRefusal(target);
    if (target.deactivatedAt) return ok(target);
    const deactivated = await deps.roles.deactivate(target, deps.now());
    if (!deactivated) return fail('not_found', NO_SUCH_USER);
    if (deactivated.ok) await endEverything(deactivated.data);
    return deactivated;
  }

  return {
    async list(input: { query: string; afterUsername?: string; limit: number }): Promise<AdminUserPage> {
      const found = await deps.users.search({ prefix: input.query, ...(input.afterUsername ? { afterUsername: input.afterUsername } : {}), limit: input.limit + 1 });
      return { users: found.slice(0, input.limit).map(toAdminUserDto), hasMore: found.length > input.limit };
    },

    async setRole(actor: Actor, input: { userId: string; role: UserRole }): Promise<Ack<AdminUserDto>> {
      const target = await find(input.userId);
      if (!target.ok) return target;
      if (target.data.role === input.role) return ok(toAdminUserDto(target.data));
      if (input.role !== 'admin' && deps.roles.isConfiguredAdmin(target.data.username)) return configuredRefusal(target.data);
      const changed = await deps.roles.setRole(target.data, input.role);
      if (!changed) return fail('not_found', NO_SUCH_USER);
      if (!changed.ok) return changed;
      await deps.usersChanged([target.data.id]);
      await deps.audit.record(author(actor), 'user.role', userTarget(target.data), { role: input.role });
      return ok(toAdminUserDto(changed.data));
    },

    async deactivate(actor: Actor, userId: string): Promise<Ack<AdminUserDto>> {
      const target = await find(userId);
      if (!target.ok) return target;
      const deactivated = await deactivateOnce(actor, target.data);
      if (!deactivated.ok) return deactivated;
      if (!target.data.deactivatedAt) await deps.audit.record(author(actor), 'user.deactivate', userTarget(target.data));
      return ok(toAdminUserDto(deactivated.data));
    },

    async reactivate(actor: Actor, userId: string): Promise<Ack<AdminUserDto>> {
      const target = await find(userId);
      if (!target.ok) return target;
      if (!target.data.deactivatedAt) return ok(toAdminUserDto(target.data));
      const reactivated = await deps.users.setDeactivated(userId, { deactivatedAt: null });
      if (!reactivated) return fail('not_found', NO_SUCH_USER);
      await deps.usersChanged([userId]);
      await deps.audit.record(author(actor), 'user.reactivate', userTarget(target.data));
      return ok(toAdminUserDto(reactivated));
    },

    /**
     * Deactivates, marks the ban, then removes every message of theirs (moderation.removeAllBy).
     * Banning again removes what a failed ban left behind: the removal skips what is removed.
     */
    async ban(actor: Actor, userId: string, moderator: UserDto): Promise<Ack<{ user: AdminUserDto; removedMessages: number }>> {
      const target = await find(userId);
      if (!target.ok) return target;
      const deactivated = await deactivateOnce(actor, target.data);
      if (!deactivated.ok) return deactivated;
      // Marked only once the deactivation stood: a refused one (the last admin) leaves no ban behind.
      const banned = await deps.users.setDeactivated(userId, { deactivatedAt: deactivated.data.deactivatedAt ?? deps.now(), bannedAt: deps.now() });
      if (!banned) return fail('not_found', NO_SUCH_USER);
      await deps.usersChanged([userId]);
      const removedMessages = await deps.moderation.removeAllBy(userId, moderator);
      await deps.audit.record(author(actor), 'user.ban', userTarget(target.data), { removedMessages: String(removedMessages) });
      deps.logger.info({ userId, by: actor.id, removedMessages }, 'user banned');
      return ok({ user: toAdminUserDto(banned), removedMessages });
    },
  };
}

export type UserAdmin = ReturnType<typeof createUserAdmin>;
