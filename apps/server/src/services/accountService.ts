import { createHash } from 'node:crypto';
import { fail, ok, type Ack, type UserDto, type UserRole } from '@confab/shared';
import type { ChangePasswordInput, RegisterInput, SignInInput } from '../validated.js';
import type { SessionStore, UserRecord, UserStore } from '../store/ports.js';
import type { IssuedSession, SessionTokens } from '../auth/sessionTokens.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/passwords.js';
import type { Logger } from '../logger.js';
import type { RegistrationPolicy, Seat } from './admin/registration.js';
import { toSessionUserDto, toUserDto } from './toDto.js';

export interface SignedIn {
  user: UserDto;
  session: IssuedSession;
}

export interface Authenticated {
  /** As others see the user (no role: sockets hand this on). */
  user: UserDto;
  /** The user's server-wide role, read with the session. */
  role: UserRole;
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

const OPEN_SEAT: Seat = { mode: 'open', isFirstCandidate: false, take: async () => ok(undefined), release: async () => {} };
const OPEN_REGISTRATION: RegistrationPolicy = {
  admit: async () => ok(OPEN_SEAT),
  roleAtRegistration: () => 'member',
  settle: async (user) => ok(user),
  atSignIn: async (user) => user,
};

const usernameTaken = () => fail('username_taken', 'That username is taken.', { field: 'username' });

/** A deactivated (or banned) account has no session: every check of one refuses it. */
const isActive = (user: UserRecord | null): user is UserRecord => user !== null && !user.deactivatedAt;

/** Registration, sign-in, sign-out and session checks. */
export function createAccountService(deps: {
  users: UserStore;
  sessions: SessionStore;
  tokens: SessionTokens;
  now: () => Date;
  /** Who may register and who is an admin (services/admin/registration.ts); without it, anyone may and nobody is. */
  registration?: RegistrationPolicy;
  logger?: Logger;
}) {
  const policy = deps.registration ?? OPEN_REGISTRATION;

  /** A session bound to the password the user has now (see `credentialOf`). */
  async function startSession(user: UserRecord): Promise<SignedIn> {
    const session = await deps.tokens.issue(user.id);
    await deps.sessions.create({ id: session.sessionId, userId: user.id, expiresAt: session.expiresAt, credential: credentialOf(user.passwordHash) });
    return { user: toSessionUserDto(user), session };
  }

  /**
   * Refusals (`registration_closed`, `invitation_invalid`, `username_taken`) store nothing. In
   * order: who may register (an invitation is checked, no use taken), then the username, then an
   * invitation's use is taken, atomically, and only then is the account created. So a registration
   * bound to fail for its username never holds a use that another could have had, and a caller with
   * no usable invitation is refused as such before its username is looked at (it learns nothing of
   * who has an account). A username taken in the instant between the check and the creation gives
   * its use back.
   */
  async function register(input: RegisterInput): Promise<Ack<SignedIn>> {
    const admitted = await policy.admit(input.invitation);
    if (!admitted.ok) return admitted;
    const seat = admitted.data;
    // Before the username check: hashing takes tens of milliseconds, which would otherwise widen
    // the window in which a name found free is taken by another.
    const passwordHash = await hashPassword(input.password);
    if (await deps.users.findByUsername(input.username)) return usernameTaken();
    const taken = await seat.take();
    if (!taken.ok) return taken;
    const giveBack = () =>
      seat.release().catch((err: unknown) => deps.logger?.warn({ err }, 'an invitation use taken for a failed registration could not be given back'));
    let created: UserRecord | 'username_taken';
    try {
      created = await deps.users.create({
        username: input.username,
        displayName: input.displayName ?? input.username,
        passwordHash,
        createdAt: deps.now(),
        role: policy.roleAtRegistration(input.username),
      });
    } catch (err) {
      await giveBack();
      throw err;
    }
    if (created === 'username_taken') {
      await giveBack();
      return usernameTaken();
    }
    const settled = await policy.settle(created, seat);
    if (!settled.ok) return settled;
    return ok(await startSession(settled.data));
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
    // Only after the password: a wrong one must not tell whether the account is deactivated.
    if (!isActive(user)) return fail('account_deactivated', 'This account is deactivated: an admin can reactivate it.');
    return ok(await startSession(await policy.atSignIn(user)));
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
    if (!isActive(user) || session.credential !== credentialOf(user.passwordHash)) return null;
    return { user: toUserDto(user), role: user.role, sessionId: claims.sessionId, expiresAt: session.expiresAt };
  }

  /**
   * `GET /api/auth/me`: the session's user, or why there is none. A genuine token (signed by this
   * server, unexpired) whose user is deactivated is answered `account_deactivated` whatever became
   * of its session (deactivation ends them all), so an open tab can say so rather than "signed
   * out"; only that token's holder learns it. Anything else without an active session is
   * `unauthorized`. Reactivation starts no session: an old token then stays `unauthorized`.
   */
  async function whoAmI(token: string | undefined): Promise<Ack<Authenticated>> {
    const session = await authenticate(token);
    if (session) return ok(session);
    const claims = token ? await deps.tokens.verify(token) : null;
    const user = claims ? await deps.users.findById(claims.userId) : null;
    if (user?.deactivatedAt) return fail('account_deactivated', 'This account is deactivated: an admin can reactivate it.');
    return fail('unauthorized', 'Not signed in.');
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
    if (!isActive(user)) return fail('unauthorized', 'Sign in first.');
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

  /** Whether a session is still active: not revoked, not expired, its password unchanged and its account active. */
  async function isSessionActive(sessionId: string): Promise<boolean> {
    const session = await deps.sessions.findActive(sessionId, deps.now());
    if (!session) return false;
    const user = await deps.users.findById(session.userId);
    return isActive(user) && session.credential === credentialOf(user.passwordHash);
  }

  return { register, signIn, signOut, authenticate, whoAmI, changePassword, isSessionActive };
}

export type AccountService = ReturnType<typeof createAccountService>;
