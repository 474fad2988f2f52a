import { fail, ok, type Ack, type UserDto } from '@confab/shared';
import type { ChangePasswordInput, RegisterInput, SignInInput } from '../validated.js';
import type { SessionStore, UserStore } from '../store/ports.js';
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
}

/** Registration, sign-in, sign-out and session checks. */
export function createAccountService(deps: {
  users: UserStore;
  sessions: SessionStore;
  tokens: SessionTokens;
  now: () => Date;
}) {
  async function startSession(user: UserDto): Promise<SignedIn> {
    const session = await deps.tokens.issue(user.id);
    await deps.sessions.create({ id: session.sessionId, userId: user.id, expiresAt: session.expiresAt });
    return { user, session };
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
    return ok(await startSession(toUserDto(created)));
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
    return ok(await startSession(toUserDto(user)));
  }

  /** The user behind a session token, if the token is genuine and its session still active. */
  async function authenticate(token: string | undefined): Promise<Authenticated | null> {
    if (!token) return null;
    const claims = await deps.tokens.verify(token);
    if (!claims) return null;
    const session = await deps.sessions.findActive(claims.sessionId, deps.now());
    if (!session || session.userId !== claims.userId) return null;
    const user = await deps.users.findById(claims.userId);
    return user ? { user: toUserDto(user), sessionId: claims.sessionId } : null;
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
   * the caller. Its caller disconnects the user's sockets.
   */
  async function changePassword(session: Authenticated, input: ChangePasswordInput): Promise<Ack<SignedIn>> {
    const user = await deps.users.findById(session.user.id);
    if (!user) return fail('unauthorized', 'Sign in first.');
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      return fail('invalid_credentials', 'The current password is wrong.', { field: 'currentPassword' });
    }
    const passwordHash = await hashPassword(input.newPassword);
    // Sessions end first: should the second write fail, everyone is signed out and the old
    // password still works, rather than old sessions outliving a changed password.
    await deps.sessions.revokeAllForUser(user.id);
    if (!(await deps.users.setPasswordHash(user.id, passwordHash))) return fail('unauthorized', 'Sign in first.');
    return ok(await startSession(toUserDto(user)));
  }

  /** Whether a session is still active: not revoked, not expired. */
  async function isSessionActive(sessionId: string): Promise<boolean> {
    return (await deps.sessions.findActive(sessionId, deps.now())) !== null;
  }

  return { register, signIn, signOut, authenticate, changePassword, isSessionActive };
}

export type AccountService = ReturnType<typeof createAccountService>;
