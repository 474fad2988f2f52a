import type { CliContext } from '../context.js';
import { findUser, operatorUserAdmin } from '../users.js';

/**
 * Deactivates a user as the admin screen does: they cannot sign in, every session ends and
 * their open connections close; their messages stay. Never the last active admin.
 */
export async function deactivate(ctx: CliContext, input: { username: string }): Promise<void> {
  const user = await findUser(ctx, input.username);
  if (user.deactivatedAt) {
    ctx.out.line(`${user.username} is already deactivated.`);
    return;
  }
  await operatorUserAdmin(ctx).deactivate(user);
  ctx.out.line(`Deactivated ${user.username}: they cannot sign in, their sessions ended; their messages stay.`);
}

/** Lets a deactivated (or banned) user sign in again; messages removed by a ban stay removed. */
export async function reactivate(ctx: CliContext, input: { username: string }): Promise<void> {
  const user = await findUser(ctx, input.username);
  if (!user.deactivatedAt) {
    ctx.out.line(`${user.username} is not deactivated.`);
    return;
  }
  await operatorUserAdmin(ctx).reactivate(user);
  ctx.out.line(`Reactivated ${user.username}: they can sign in again.`);
}
