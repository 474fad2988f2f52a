import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/auth/passwords.js';
import { createSessionTokens } from '../../src/auth/sessionTokens.js';
import { SESSION_COOKIE } from '../../src/http/sessionCookie.js';
import { credentialOf } from '../../src/services/accountService.js';
import type { Stores } from '../../src/store/ports.js';
import type { SeededUser } from './spec.js';

/**
 * Creates users, each with a session, straight through the store, as registration would but
 * with one password hash for all: argon2 costs tens of ms per user and is not what connecting
 * costs. A mismatch with what the server expects shows as `unauthorized` on connect.
 */
export async function seedUsers(stores: Stores, options: { count: number; sessionSecret: string; ttlMs: number }): Promise<SeededUser[]> {
  const passwordHash = await hashPassword('bench password');
  const tokens = createSessionTokens({ secret: options.sessionSecret, ttlMs: options.ttlMs, now: () => new Date() });
  const tag = randomBytes(3).toString('hex');
  const seeded: SeededUser[] = [];
  // Small concurrent batches: fast on the memory store, and a database sees a steady stream.
  for (let from = 0; from < options.count; from += 100) {
    const batch = Array.from({ length: Math.min(100, options.count - from) }, async (_, k) => {
      const name = `b${tag}_${from + k}`;
      const user = await stores.users.create({ username: name, displayName: name, passwordHash, createdAt: new Date() });
      if (user === 'username_taken') throw new Error(`username ${name} is taken`);
      const session = await tokens.issue(user.id);
      await stores.sessions.create({ id: session.sessionId, userId: user.id, expiresAt: session.expiresAt, credential: credentialOf(passwordHash) });
      return { id: user.id, cookie: `${SESSION_COOKIE}=${session.token}` };
    });
    seeded.push(...(await Promise.all(batch)));
  }
  return seeded;
}
