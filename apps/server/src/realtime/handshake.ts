import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import type { ConnectErrorData, ErrorCode } from '@confab/shared';
import type { Socket } from 'socket.io';
import type { Config } from '../config.js';
import type { RateLimits } from '../limits/rateLimits.js';
import type { AccountService } from '../services/accountService.js';
import { isOriginAllowed } from '../http/origin.js';
import { SESSION_COOKIE } from '../http/sessionCookie.js';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../store/errors.js';

type Next = (err?: Error) => void;

/**
 * The client's address: the first X-Forwarded-For hop when behind a trusted proxy (nginx replaces
 * the header, so the client cannot choose it), else the connection's own.
 */
export function clientAddress(headers: IncomingHttpHeaders, remoteAddress: string | undefined, trustProxy: boolean): string {
  const forwarded = headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return trustProxy && first ? first : (remoteAddress ?? '');
}

function refuse(next: Next, code: ErrorCode, message: string, retryAfterMs?: number): void {
  const err = new Error(message) as Error & { data: ConnectErrorData };
  err.data = retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  next(err);
}

/** What a refused handshake's HTTP 403 body carries as `message` (Engine.IO wraps it as `{"code":4,"message":…}`). */
export const ORIGIN_REFUSAL = 'origin_not_allowed: this page\'s origin may not connect to this server (ALLOWED_ORIGINS)';

/**
 * Engine.IO's `allowRequest`: runs on every handshake request (polling or WebSocket) before any
 * connection exists, so a foreign page (cross-site WebSocket hijacking) gets a 403 and the server
 * creates no socket for it, in any namespace.
 */
export function createOriginGate(config: Pick<Config, 'allowedOrigins'>) {
  return (request: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const isAllowed = isOriginAllowed(request.headers.origin, request.headers.host, config.allowedOrigins);
    callback(isAllowed ? null : ORIGIN_REFUSAL, isAllowed);
  };
}

/**
 * Namespace middleware (the Origin was checked before, by the origin gate): a socket connects only
 * within the connection rate limit and with an active session; otherwise the client gets a
 * `connect_error` whose `data.code` says why.
 */
export function createHandshakeGuard(deps: { accounts: AccountService; config: Config; rateLimits: RateLimits; logger: Logger }) {
  return async (socket: Socket, next: Next): Promise<void> => {
    const { headers } = socket.handshake;
    try {
      const limited = await deps.rateLimits.check('connectionsPerAddress', clientAddress(headers, socket.handshake.address, deps.config.trustProxy));
      if (limited) return refuse(next, 'rate_limited', limited.error.message, limited.error.retryAfterMs);
      const token = fastifyCookie.parse(headers.cookie ?? '')[SESSION_COOKIE];
      const session = await deps.accounts.authenticate(token);
      if (!session) return refuse(next, 'unauthorized', 'Sign in first.');
      // A client may name the user it expects: the browser's cookie can meanwhile belong to
      // someone else (another tab signed in), and what this one queued must not go out as them.
      const expected: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.userId;
      if (expected !== undefined && expected !== session.user.id) {
        return refuse(next, 'unauthorized', 'This browser is now signed in as another user; sign in again.');
      }
      socket.data.user = session.user;
      socket.data.sessionId = session.sessionId;
      socket.data.sessionExpiresAt = session.expiresAt.getTime();
      next();
    } catch (err) {
      if (err instanceof StoreUnavailableError) deps.logger.warn({ err: err.message, nsp: socket.nsp.name }, 'handshake refused: store unavailable');
      else deps.logger.error({ err, nsp: socket.nsp.name }, 'handshake failed');
      refuse(next, 'unavailable', 'The server cannot check your session right now.');
    }
  };
}
