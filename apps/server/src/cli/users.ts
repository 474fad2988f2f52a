import { OPERATOR } from '../services/admin/auditLog.js';
import { createRoles } from '../services/admin/roles.js';
import { createUserAdmin } from '../services/admin/userAdmin.js';
import type { UserRecord } from '../store/ports.js';
import type { CliContext } from './context.js';
import { failure } from './errors.js';

/** The user with this username (any letter case), or a failure naming it. */
export async function findUser(ctx: Pick<CliContext, 'stores'>, username: string): Promise<UserRecord> {
  const user = await ctx.stores.users.findByUsername(username);
  if (!user) throw failure(`There is no user named ${JSON.stringify(username)}.`);
  return user;
}

/** `alice`, or `alice (Alice Liddell)` when the display name differs. */
export function describeUser(user: Pick<UserRecord, 'username' | 'displayName'>): string {
  return user.displayName === user.username ? user.username : `${user.username} (${user.displayName})`;
}

const warn = (ctx: CliContext, err: unknown, consequence: string) =>
  ctx.out.error(`warning: Redis could not be reached (${(err as Error).message}); ${consequence}`);

/**
 * Closes the user's open connections on every instance (their sessions already ended in the
 * database). A failure is a warning: the change stands, and each instance closes them at its
 * next check of the user's sessions.
 */
export async function endLiveConnections(ctx: CliContext, userId: string): Promise<void> {
  if (!ctx.instances) {
    ctx.out.line('REDIS_URL is not set, so the command line cannot reach the server: connections already open close when they next reconnect (restart the server to close them now).');
    return;
  }
  try {
    await ctx.instances.endUserSockets(userId);
    ctx.out.line('Their open connections were closed on every instance.');
  } catch (err) {
    warn(ctx, err, 'each instance closes their open connections at its next check of their sessions.');
  }
}

/** Ends every session of the user in the database, then their open connections. */
export async function endEverySession(ctx: CliContext, user: UserRecord): Promise<void> {
  const ended = await ctx.stores.sessions.revokeAllForUser(user.id);
  ctx.out.line(`Ended ${ended} session${ended === 1 ? '' : 's'} of ${user.username}.`);
  await endLiveConnections(ctx, user.id);
}

/**
 * What the admin screen does to accounts (services/admin/userAdmin.ts), done by `operator`:
 * the same rules (never the last active admin), audit entries and announcements to the instances.
 */
export function operatorUserAdmin(ctx: CliContext) {
  const roles = createRoles({ users: ctx.stores.users, settings: ctx.stores.settings, adminUsernames: ctx.config.adminUsernames, logger: ctx.logger });
  const admin = createUserAdmin({
    users: ctx.stores.users,
    sessions: ctx.stores.sessions,
    roles,
    audit: ctx.audit,
    moderation: {
      removeAllBy: () => Promise.reject(new Error('banning needs the admin screen: removing messages live reaches every member')),
    },
    now: ctx.now,
    logger: ctx.logger,
    endUserSessions: (userId) => endLiveConnections(ctx, userId),
    async usersChanged(userIds) {
      try {
        await ctx.instances?.usersChanged(userIds);
      } catch (err) {
        warn(ctx, err, 'the instances read the change at their next resync (within 30 s).');
      }
    },
  });
  const actor = { id: OPERATOR.id, displayName: OPERATOR.name };
  const done = async <T>(pending: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const ack = await pending;
    if (!ack.ok) throw failure(ack.error.message);
    return ack.data;
  };
  return {
    promote: (user: UserRecord) => done(admin.setRole(actor, { userId: user.id, role: 'admin' })),
    deactivate: (user: UserRecord) => done(admin.deactivate(actor, user.id)),
    reactivate: (user: UserRecord) => done(admin.reactivate(actor, user.id)),
  };
}
