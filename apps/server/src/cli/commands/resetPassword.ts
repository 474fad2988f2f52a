import { hashPassword } from '../../auth/passwords.js';
import { userTarget } from '../../services/admin/adminDtos.js';
import { OPERATOR } from '../../services/admin/auditLog.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import type { NewPassword } from '../passwordInput.js';
import { endEverySession, findUser } from '../users.js';

/**
 * Sets a new password (read from stdin, or generated and shown once) and ends every session of
 * the user: the new password hash alone already refuses sessions issued against the old one.
 */
export async function resetPassword(ctx: CliContext, input: { username: string; password: NewPassword }): Promise<void> {
  const user = await findUser(ctx, input.username);
  const { password } = input;
  if (!(await ctx.stores.users.setPasswordHash(user.id, await hashPassword(password.password)))) {
    throw failure(`${user.username} was removed meanwhile.`);
  }
  await ctx.audit.record(OPERATOR, 'user.password_reset', userTarget(user));
  ctx.out.line(`Set a new password for ${user.username}.`);
  await endEverySession(ctx, user);
  if (user.deactivatedAt) ctx.out.line(`${user.username} is deactivated and cannot sign in until reactivated (pnpm confab reactivate ${user.username}).`);
  if (password.isGenerated) {
    ctx.out.line('The new password, shown only now (they can change it after signing in):');
    ctx.out.line(password.password);
  }
}
