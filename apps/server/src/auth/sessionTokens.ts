import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export interface SessionClaims {
  userId: string;
  sessionId: string;
}

export interface IssuedSession extends SessionClaims {
  token: string;
  expiresAt: Date;
}

/** Signs and checks the session token carried by the cookie: an HS256 JWT naming the user and the session. */
export function createSessionTokens(options: { secret: string; ttlMs: number; now: () => Date }) {
  const key = new TextEncoder().encode(options.secret);

  async function issue(userId: string): Promise<IssuedSession> {
    const sessionId = randomBytes(18).toString('base64url');
    const issuedAt = options.now();
    const expiresAt = new Date(issuedAt.getTime() + options.ttlMs);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(key);
    return { token, userId, sessionId, expiresAt };
  }

  /** The claims of a genuine, unexpired token; null for anything else. */
  async function verify(token: string): Promise<SessionClaims | null> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        currentDate: options.now(),
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, sessionId: payload.sid };
    } catch {
      return null;
    }
  }

  return { issue, verify };
}

export type SessionTokens = ReturnType<typeof createSessionTokens>;
