import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';
import { postJson } from './client.js';

export const PASSWORD = 'correct horse battery';

/** A log line as the server writes it. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** A logger writing JSON lines into `lines`, as the server writes them to stdout. */
export function capturingLogger(level = 'info'): { lines: LogLine[]; logger: Logger } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of String(chunk).split('\n')) if (text) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { lines, logger: createLogger({ level, pretty: false }, destination) };
}

/** `POST /api/auth/register`, answered as it is (status and body), for tests of refusals. */
export function register(url: string, body: Record<string, unknown>) {
  return postJson(url, '/api/auth/register', { password: PASSWORD, ...body });
}

/** `POST /api/auth/login`. */
export function signIn(url: string, username: string, password = PASSWORD) {
  return postJson(url, '/api/auth/login', { username, password });
}

/** `GET /api/auth/me` with the cookie: the status and body. */
export async function whoAmI(url: string, cookie: string): Promise<{ status: number; body: { user?: { role?: string; id: string } } }> {
  const res = await fetch(`${url}/api/auth/me`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as { user?: { role?: string; id: string } } };
}

/** `GET /api/settings`. */
export async function publicSettings(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${url}/api/settings`)).json()) as Record<string, unknown>;
}
