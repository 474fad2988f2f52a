import type { FastifyInstance, FastifyReply } from 'fastify';
import { changePasswordSchema, registerSchema, signInSchema, validate, type AckError, type ErrorCode, type SessionResponse } from '@confab/shared';
import type { RateLimits } from '../limits/rateLimits.js';
import type { Config } from '../config.js';
import type { AccountService } from '../services/accountService.js';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from './sessionCookie.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  registration_closed: 403,
  invitation_invalid: 403,
  account_deactivated: 403,
  not_found: 404,
  username_taken: 409,
  last_admin: 409,
  file_too_large: 413,
  quota_exceeded: 413,
  rate_limited: 429,
  unavailable: 503,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/** `/api/auth/*`: register, sign in, sign out, who am I (the session responses carry the user's role). */
export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    accounts: AccountService;
    config: Config;
    rateLimits: RateLimits;
    /** Ends the session's sockets everywhere; resolves once the end is in the revocation feed (or queued for it while Redis is unreachable). */
    onSessionEnded: (sessionId: string) => Promise<void>;
    /** Likewise for every session of the user but the new one. */
    onUserSessionsEnded: (userId: string, exceptSessionId: string) => Promise<void>;
  },
): void {
  const { accounts, config, rateLimits } = deps;

  function refuseLimited(reply: FastifyReply, limited: { ok: false; error: AckError }) {
    return reply
      .code(429)
      .header('retry-after', String(Math.ceil((limited.error.retryAfterMs ?? 1000) / 1000)))
      .send({ error: limited.error });
  }

  app.post('/api/auth/register', async (request, reply) => {
    const input = validate(registerSchema, request.body);
    if (!input.ok) return reply.code(400).send({ error: input.error });
    const limited = await rateLimits.check('registrationsPerAddress', request.ip);
    if (limited) return refuseLimited(reply, limited);
    const result = await accounts.register(input.data);
    if (!result.ok) return reply.code(statusFor(result.error.code)).send({ error: result.error });
    setSessionCookie(request, reply, config, result.data.session.token, result.data.session.expiresAt);
    request.log.info({ userId: result.data.user.id }, 'user registered');
    return reply.code(201).send({ user: result.data.user } satisfies SessionResponse);
  });

  app.post('/api/auth/login', async (request, reply) => {
    const input = validate(signInSchema, request.body);
    if (!input.ok) return reply.code(400).send({ error: input.error });
    const usernameKey = input.data.username.toLowerCase();
    const limited =
      (await rateLimits.check('signInPerAddress', request.ip)) ?? (await rateLimits.check('signInPerUsername', usernameKey));
    if (limited) return refuseLimited(reply, limited);
    const result = await accounts.signIn(input.data);
    if (!result.ok) return reply.code(statusFor(result.error.code)).send({ error: result.error });
    // Only failures count against a username: signing in clears them.
    await rateLimits.reset('signInPerUsername', usernameKey);
    setSessionCookie(request, reply, config, result.data.session.token, result.data.session.expiresAt);
    return reply.send({ user: result.data.user } satisfies SessionResponse);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const sessionId = await accounts.signOut(request.cookies[SESSION_COOKIE]);
    // Answered only once the end is on its way to every instance: an instance that dies before
    // fails the request, and the client signs out again (revoking twice is harmless).
    if (sessionId) await deps.onSessionEnded(sessionId);
    clearSessionCookie(request, reply, config);
    return reply.code(204).send();
  });

  // Wrong current passwords count against the username like failed sign-ins: a stolen session
  // must not become a way to guess the password.
  app.post('/api/auth/password', async (request, reply) => {
    const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
    if (!session) return reply.code(401).send({ error: { code: 'unauthorized', message: 'Sign in first.' } });
    const input = validate(changePasswordSchema, request.body);
    if (!input.ok) return reply.code(400).send({ error: input.error });
    const usernameKey = session.user.username.toLowerCase();
    const limited = await rateLimits.check('signInPerUsername', usernameKey);
    if (limited) return refuseLimited(reply, limited);
    const result = await accounts.changePassword(session, input.data);
    if (!result.ok) return reply.code(statusFor(result.error.code)).send({ error: result.error });
    await rateLimits.reset('signInPerUsername', usernameKey);
    setSessionCookie(request, reply, config, result.data.session.token, result.data.session.expiresAt);
    request.log.info({ userId: session.user.id }, 'password changed; every other session ended');
    // The answer (with the new cookie) goes out first: every socket, this tab's included,
    // belonged to an ended session, and this tab reconnects with the cookie it carries.
    reply.send({ user: result.data.user } satisfies SessionResponse);
    await deps.onUserSessionsEnded(session.user.id, result.data.session.sessionId);
    return reply;
  });

  app.get('/api/auth/me', async (request, reply) => {
    const session = await accounts.whoAmI(request.cookies[SESSION_COOKIE]);
    if (!session.ok) return reply.code(statusFor(session.error.code)).send({ error: session.error });
    return reply.send({ user: { ...session.data.user, role: session.data.role } } satisfies SessionResponse);
  });
}
