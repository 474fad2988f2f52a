import { displayNameSchema, usernameSchema } from '@confab/shared';
import type { z } from 'zod';
import { hashPassword } from '../../auth/passwords.js';
import { OPERATOR } from '../../services/admin/auditLog.js';
import type { CliContext } from '../context.js';
import { failure, invalidArgument } from '../errors.js';
import { newPassword } from '../passwordInput.js';
import { announceUserChange, describeUser, userTarget } from '../users.js';

export interface CreateAdminInput {
  username: string;
  displayName: string | undefined;
  passwordFromStdin: boolean;
}

function checked<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidArgument(parsed.error.issues[0]?.message ?? 'invalid value');
  return parsed.data;
}

/**
 * Creates an admin account, or promotes an existing user to admin (their password unchanged).
 * The first account of a fresh server is its first admin, so an account made here on a fresh
 * server takes that place: no later registration becomes admin by being first.
 */
export async function createAdmin(ctx: CliContext, input: CreateAdminInput): Promise<void> {
  const username = checked(usernameSchema, input.username);
  const displayName = input.displayName === undefined ? undefined : checked(displayNameSchema, input.displayName);
  const existing = await ctx.stores.users.findByUsername(username);
  if (existing) {
    if (input.passwordFromStdin || displayName !== undefined) ctx.out.error(`${existing.username} exists: their password and display name are left as they are (reset-password sets a password).`);
    if (existing.role === 'admin') {
      ctx.out.line(`${describeUser(existing)} is already an admin.`);
    } else {
      const promoted = await ctx.stores.users.setRole(existing.id, 'admin');
      if (!promoted) throw failure(`${existing.username} was removed meanwhile.`);
      await ctx.audit.record(OPERATOR, 'user.role', userTarget(promoted), { role: 'admin' });
      await announceUserChange(ctx, promoted);
      ctx.out.line(`${describeUser(promoted)} is now an admin.`);
    }
    if (existing.deactivatedAt) ctx.out.line(`${existing.username} is deactivated and cannot sign in until reactivated (pnpm confab reactivate ${existing.username}).`);
    return;
  }

  const password = await newPassword({ fromStdin: input.passwordFromStdin, stdin: ctx.stdin });
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
