import { createHash } from 'node:crypto';
import { fail, ok, type Ack, type UserDto } from '@confab/shared';
import type { ChangePasswordInput, RegisterInput, SignInInput } from '../validated.js';
import type { SessionStore, UserRecord, UserStore } from '../store/ports.js';
import type { IssuedSession, SessionTokens } from '../auth/sessionTokens.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/passwords.js';
import { toUserDto } from './toDto.js';

export interface SignedIn {
  user: UserDto;
  session: IssuedSession;
}

export interface Authenticated {
  user: UserDto;
  sessionId: string;
  expiresAt: Date;
}

/**
 * What a session remembers of the password it was issued against. argon2id hashes carry a
 * random salt, so every password change, even to the same password, gives a new fingerprint.
 */
export function credentialOf(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
}

/** Registration, sign-in, sign-out and session checks. */
export function createAccountService(deps: {
  users: UserStore;
  sessions: SessionStore;
  tokens: SessionTokens;
  now: () => Date;
}) {
  /** A session bound to the password the user has now (see `credentialOf`). */
  async function startSession(user: UserRecord): Promise<SignedIn> {
    const session = await deps.tokens.issue(user.id);
    await deps.sessions.create({ id: session.sessionId, userId: user.id, expiresAt: session.expiresAt, credential: credentialOf(user.passwordHash) });
    return { user: toUserDto(user), session };
  }

  async function register(input: RegisterInput): Promise<Ack<SignedIn>> {
    const passwordHash = await hashPassword(input.password);
    const created = await deps.users.create({
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash,
      createdAt: deps.now(),
    });
    if (created === 'username_taken') return fail('username_taken', 'That username is taken.', { field: 'username' });
    return ok(await startSession(created));
  }

  async function signIn(input: SignInInput): Promise<Ack<SignedIn>> {
    const user = await deps.users.findByUsername(input.username);
    if (!user) {
      await verifyAgainstDummy(input.password);
      return fail('invalid_credentials', 'Wrong username or password.');
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      return fail('invalid_credentials', 'Wrong username or password.');
    }
    return ok(await startSession(user));
  }

  /** The user behind a session token, if the token is genuine and its session still active. */
  async function authenticate(token: string | undefined): Promise<Authenticated | null> {
    if (!token) return null;
    const claims = await deps.tokens.verify(token);
    if (!claims) return null;
    const session = await deps.sessions.findActive(claims.sessionId, deps.now());
    if (!session || session.userId !== claims.userId) return null;
    const user = await deps.users.findById(claims.userId);
    // Issued against another password: a change ended it, even one that raced its creation.
    if (!user || session.credential !== credentialOf(user.passwordHash)) return null;
    return { user: toUserDto(user), sessionId: claims.sessionId, expiresAt: session.expiresAt };
  }

  /** Revokes the token's session; returns its id, so its live sockets can be disconnected. */
  async function signOut(token: string | undefined): Promise<string | null> {
    const claims = token ? await deps.tokens.verify(token) : null;
    if (!claims) return null;
    await deps.sessions.revoke(claims.sessionId);
    return claims.sessionId;
  }

  /**
   * Sets a new password for the signed-in user who proves the current one, then ends every
   * session of theirs (a stolen session dies with the old password) and starts a fresh one for
   * the caller. Its caller disconnects the user's sockets (`endUserSessions` in
   * realtime/sessionEnforcement.ts).
   */
  async function changePassword(session: Authenticated, input: ChangePasswordInput): Promise<Ack<SignedIn>> {
    const user = await deps.users.findById(session.user.id);
    if (!user) return fail('unauthorized', 'Sign in first.');
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      return fail('invalid_credentials', 'The current password is wrong.', { field: 'currentPassword' });
    }
    const passwordHash = await hashPassword(input.newPassword);
    // The new hash alone ends every session issued against the old one (see `authenticate` and
    // `isSessionActive`); deleting them is housekeeping.
    if (!(await deps.users.setPasswordHash(user.id, passwordHash))) return fail('unauthorized', 'Sign in first.');
    await deps.sessions.revokeAllForUser(user.id);
    return ok(await startSession({ ...user, passwordHash }));
  }

  /** Whether a session is still active: not revoked, not expired, and its password unchanged. */
  async function isSessionActive(sessionId: string): Promise<boolean> {
    const session = await deps.sessions.findActive(sessionId, deps.now());
    if (!session) return false;
    const user = await deps.users.findById(session.userId);
    return user !== null && session.credential === credentialOf(user.passwordHash);
  }

  return { register, signIn, signOut, authenticate, changePassword, isSessionActive };
}

export type AccountService = ReturnType<typeof createAccountService>;
