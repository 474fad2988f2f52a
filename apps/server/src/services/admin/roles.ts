import { fail, ok, type Ack, type UserRole } from '@confab/shared';
import type { Logger } from '../../logger.js';
import type { SettingsStore, UserRecord, UserStore } from '../../store/ports.js';
import { userTarget } from './adminDtos.js';
import { OPERATOR, type AuditLog } from './auditLog.js';

const LAST_ADMIN = 'The server needs at least one active admin: promote someone else first.';

/** What the audit log says of a promotion the configuration made: the operator did it, by `ADMIN_USERNAMES`. */
export const BY_CONFIGURATION = { role: 'admin', by: 'ADMIN_USERNAMES' } as const;

/**
 * Who is an admin: the server's first account, the usernames in `ADMIN_USERNAMES` (promoted at
 * start-up, registration and sign-in, each promotion in the audit log as the operator's), and
 * whoever an admin promotes. Never zero active admins through a demotion or a deactivation.
 */
export function createRoles(deps: {
  users: UserStore;
  settings: Pick<SettingsStore, 'claimFirstAccount'>;
  adminUsernames: readonly string[];
  logger: Logger;
  /** Where promotions by `ADMIN_USERNAMES` are recorded; absent only where none is made (the command line's user commands). */
  audit?: Pick<AuditLog, 'record'>;
}) {
  const configured = new Set(deps.adminUsernames.map((name) => name.toLowerCase()));
  const isConfiguredAdmin = (username: string) => configured.has(username.toLowerCase());

  /**
   * Records a promotion the configuration made. Never fails: the promotion stands (the account
   * exists, an invitation's use is taken, a sign-in went through), so a failed audit write is
   * logged with what it would have said rather than turning what happened into an error.
   */
  async function recordConfigured(user: UserRecord): Promise<void> {
    const context = { userId: user.id, username: user.username };
    deps.logger.info(context, `${user.username} is an admin (ADMIN_USERNAMES)`);
    try {
      await deps.audit?.record(OPERATOR, 'user.role', userTarget(user), { ...BY_CONFIGURATION });
    } catch (err) {
      deps.logger.error({ err, ...context, action: 'user.role', details: BY_CONFIGURATION }, `could not write the audit entry of ${user.username}'s promotion by ADMIN_USERNAMES`);
    }
  }

  /**
   * Makes a user named in `ADMIN_USERNAMES` an admin, if they are not one (yet, or again). Only
   * from member to admin, in one conditional write: of instances starting together, or sign-ins
   * of one user at once, exactly one promotes, and only it records the promotion.
   */
  async function promoteConfigured(user: UserRecord): Promise<UserRecord> {
    if (user.role === 'admin') return user;
    const promoted = await deps.users.replaceRole(user.id, { from: 'member', to: 'admin' });
    // Promoted by another meanwhile: the user as stored now.
    if (!promoted) return (await deps.users.findById(user.id)) ?? user;
    await recordConfigured(promoted);
    return promoted;
  }

  /**
   * Applies a change that may leave the server without an active admin, then counts them, and if
   * none is left, undoes it and refuses. Checking first and changing after would let two admins
   * demoting each other both pass, on a database that does not isolate updates (FerretDB): changed
   * first, each sees the other's change, so at worst both are refused and undone.
   */
  async function keepingAnAdmin<T>(target: UserRecord, change: () => Promise<T | null>, undo: () => Promise<unknown>): Promise<Ack<T> | null> {
    const changed = await change();
    if (changed === null) return null;
    const wasActiveAdmin = target.role === 'admin' && !target.deactivatedAt;
    if (!wasActiveAdmin || (await deps.users.countActiveAdmins()) > 0) return ok(changed);
    await undo();
    return fail('last_admin', LAST_ADMIN);
  }

  return {
    isConfiguredAdmin,
    /** The role a new account starts with (the first account is promoted after, see `claimFirst`). */
    roleAtRegistration: (username: string): UserRole => (isConfiguredAdmin(username) ? 'admin' : 'member'),

    /**
     * Claims the server's first-account mark for a user created while the server had none: the
     * one caller that gets it is promoted (and logged, once for good). Resolves with whether it
     * did and the user as stored now.
     */
    async claimFirst(user: UserRecord): Promise<{ isFirst: boolean; user: UserRecord }> {
      if (!(await deps.settings.claimFirstAccount(user.id))) return { isFirst: false, user };
      const promoted = user.role === 'admin' ? user : ((await deps.users.setRole(user.id, 'admin')) ?? user);
      deps.logger.info({ userId: user.id, username: user.username }, `first account ${user.username} is the server's admin`);
      return { isFirst: true, user: promoted };
    },

    /** After registration: an account created as an admin because `ADMIN_USERNAMES` names it is recorded as the operator's promotion. */
    async atRegistration(user: UserRecord): Promise<void> {
      if (user.role === 'admin' && isConfiguredAdmin(user.username)) await recordConfigured(user);
    },

    /** At sign-in: a username in `ADMIN_USERNAMES` is promoted if it is not an admin (yet, or again). */
    atSignIn: (user: UserRecord): Promise<UserRecord> => (isConfiguredAdmin(user.username) ? promoteConfigured(user) : Promise.resolve(user)),

    /** At start-up: promotes the existing accounts named in `ADMIN_USERNAMES`, then warns when there is still no active admin. */
    async atStartUp(): Promise<void> {
      for (const username of configured) {
        const user = await deps.users.findByUsername(username);
        if (user) await promoteConfigured(user);
      }
      if ((await deps.users.countActiveAdmins()) === 0 && (await deps.users.count()) > 0) {
        deps.logger.warn('this server has accounts but no active admin: create one with `pnpm confab create-admin`, or name one in ADMIN_USERNAMES');
      }
    },

    /** Sets a user's role; demoting the last active admin is refused with `last_admin`. Null when there is no such user. */
    async setRole(target: UserRecord, role: UserRole): Promise<Ack<UserRecord> | null> {
      if (target.role === role) return ok(target);
      if (role === 'admin') {
        const promoted = await deps.users.setRole(target.id, 'admin');
        return promoted ? ok(promoted) : null;
      }
      return keepingAnAdmin(
        target,
        () => deps.users.setRole(target.id, 'member'),
        () => deps.users.setRole(target.id, 'admin'),
      );
    },

    /** Deactivates an active user (a ban's first step too); refused with `last_admin` if it would leave no active admin. */
    async deactivate(target: UserRecord, at: Date): Promise<Ack<UserRecord> | null> {
      return keepingAnAdmin(
        target,
        () => deps.users.setDeactivated(target.id, { deactivatedAt: at }),
        () => deps.users.setDeactivated(target.id, { deactivatedAt: null }),
      );
    },
  };
}

export type Roles = ReturnType<typeof createRoles>;
