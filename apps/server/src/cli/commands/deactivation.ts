import { OPERATOR } from '../../services/admin/auditLog.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import { announceUserChange, endEverySession, findUser, userTarget } from '../users.js';

/**
 * Deactivates a user as the admin screen does: they cannot sign in, every session ends, their
 * messages stay. Never the last active admin: the server would have nobody to administer it.
 */
export async function deactivate(ctx: CliContext, input: { username: string }): Promise<void> {
  const user = await findUser(ctx, input.username);
  if (user.deactivatedAt) {
    ctx.out.line(`${user.username} is already deactivated.`);
    return;
  }
  if (user.role === 'admin' && (await ctx.stores.users.countActiveAdmins()) <= 1) {
    throw failure(`${user.username} is the last active admin; make another admin first (pnpm confab create-admin <username>).`);
  }
  const changed = await ctx.stores.users.setDeactivated(user.id, { deactivatedAt: ctx.now() });
  if (!changed) throw failure(`${user.username} was removed meanwhile.`);
  await ctx.audit.record(OPERATOR, 'user.deactivate', userTarget(user));
  ctx.out.line(`Deactivated ${user.username}: they cannot sign in; their messages stay.`);
  await endEverySession(ctx, changed);
  await announceUserChange(ctx, changed);
}

/** Lets a deactivated (or banned) user sign in again; messages removed by a ban stay removed. */
export async function reactivate(ctx: CliContext, input: { username: string }): Promise<void> {
  const user = await findUser(ctx, input.username);
  if (!user.deactivatedAt) {
    ctx.out.line(`${user.username} is not deactivated.`);
    return;
  }
  const changed = await ctx.stores.users.setDeactivated(user.id, { deactivatedAt: null });
  if (!changed) throw failure(`${user.username} was removed meanwhile.`);
  await ctx.audit.record(OPERATOR, 'user.reactivate', userTarget(user));
  ctx.out.line(`Reactivated ${user.username}: they can sign in again.`);
  await announceUserChange(ctx, changed);
}
