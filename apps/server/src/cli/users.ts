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

/** The audit log's target for a user. */
export function userTarget(user: Pick<UserRecord, 'id' | 'username'>) {
  return { kind: 'user' as const, id: user.id, label: user.username };
}

/**
 * Ends every session of the user in the database, then their sockets on every instance (with
 * Redis). A database change already made is not undone when Redis cannot be reached: the
 * instances then end those sockets at their next session check, and the operator is told.
 */
export async function endEverySession(ctx: CliContext, user: UserRecord): Promise<void> {
  const ended = await ctx.stores.sessions.revokeAllForUser(user.id);
  ctx.out.line(`Ended ${ended} session${ended === 1 ? '' : 's'} of ${user.username}.`);
  if (!ctx.instances) return;
  try {
    await ctx.instances.endUserSockets(user.id);
    ctx.out.line('Their open connections were closed on every instance.');
  } catch (err) {
    ctx.out.error(`warning: Redis could not be reached (${(err as Error).message}); each instance closes their open connections at its next session check.`);
  }
}

/** Tells the instances that the user's role or deactivation changed (with Redis); a failure is only a warning (they also re-read it periodically). */
export async function announceUserChange(ctx: CliContext, user: UserRecord): Promise<void> {
  if (!ctx.instances) return;
  try {
    await ctx.instances.usersChanged([user.id]);
  } catch (err) {
    ctx.out.error(`warning: Redis could not be reached (${(err as Error).message}); the instances see the change when they next read the user.`);
  }
}
