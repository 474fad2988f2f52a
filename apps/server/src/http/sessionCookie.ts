import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** Name of the httpOnly cookie that carries the session token. */
export const SESSION_COOKIE = 'confab_session';

function isSecure(request: FastifyRequest, config: Config): boolean {
  if (config.cookieSecure === 'always') return true;
  if (config.cookieSecure === 'never') return false;
  return request.protocol === 'https';
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure(request, config),
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isSecure(request, config), path: '/' });
}
