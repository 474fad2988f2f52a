import { displayNameSchema, usernameSchema } from '@confab/shared';
import type { z } from 'zod';
import { hashPassword } from '../../auth/passwords.js';
import { userTarget } from '../../services/admin/adminDtos.js';
import { OPERATOR } from '../../services/admin/auditLog.js';
import type { CliContext } from '../context.js';
import { failure, invalidArgument } from '../errors.js';
import type { NewPassword } from '../passwordInput.js';
import { describeUser, operatorUserAdmin } from '../users.js';

export interface CreateAdminInput {
  username: string;
  displayName: string | undefined;
  /** Used only for a new account. */
  password: NewPassword;
}

function checked<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidArgument(parsed.error.issues[0]?.message ?? 'invalid value');
  return parsed.data;
}

/** The arguments as registration checks them (before anything is opened): a refusal is a usage error. */
export function checkCreateAdmin(input: { username: string; displayName: string | undefined }): { username: string; displayName: string | undefined } {
  return {
    username: checked(usernameSchema, input.username),
    displayName: input.displayName === undefined ? undefined : checked(displayNameSchema, input.displayName),
  };
}

/**
 * Creates an admin account, or promotes an existing user to admin (their password unchanged).
 * The first account of a fresh server is its first admin, so an account made here on a fresh
 * server takes that place: no later registration becomes admin by being first.
 */
export async function createAdmin(ctx: CliContext, input: CreateAdminInput): Promise<void> {
  const { username, displayName, password } = input;
  const existing = await ctx.stores.users.findByUsername(username);
  if (existing) {
    if (!password.isGenerated || displayName !== undefined) ctx.out.error(`${existing.username} exists: their password and display name are left as they are (reset-password sets a password).`);
    if (existing.role === 'admin') {
      ctx.out.line(`${describeUser(existing)} is already an admin.`);
    } else {
      await operatorUserAdmin(ctx).promote(existing);
      ctx.out.line(`${describeUser(existing)} is now an admin.`);
    }
    if (existing.deactivatedAt) ctx.out.line(`${existing.username} is deactivated and cannot sign in until reactivated (pnpm confab reactivate ${existing.username}).`);
    return;
  }

  const created = await ctx.stores.users.create({
    username,
    displayName: displayName ?? username,
    passwordHash: await hashPassword(password.password),
    createdAt: ctx.now(),
    role: 'admin',
  });
  if (created === 'username_taken') throw failure(`The username ${JSON.stringify(username)} was taken meanwhile.`);
  await ctx.stores.settings.claimFirstAccount(created.id);
  await ctx.audit.record(OPERATOR, 'user.create', userTarget(created), { role: 'admin' });
  ctx.out.line(`Created the admin ${describeUser(created)}.`);
  if (password.isGenerated) {
    ctx.out.line('Their password, shown only now (they can change it after signing in):');
    ctx.out.line(password.password);
  }
}
