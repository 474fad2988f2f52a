import { describe, expect, it } from 'vitest';
import { postJson, registerUser, sessionCookieFrom, uniqueName } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

async function me(url: string, cookie?: string) {
  const res = await fetch(`${url}/api/auth/me`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, body: await res.json() };
}

describe('accounts over HTTP', () => {
  it('registering signs the user in with an httpOnly cookie and never returns password data', async () => {
    const server = await harness.start();
    const res = await postJson(server.url, '/api/auth/register', { username: 'Alice_1', password: 'correct horse', displayName: '  Alice  ' });
    expect(res.status).toBe(201);
    // The server's first account is its admin.
    expect(res.body).toEqual({ user: { id: expect.stringMatching(/^[0-9a-f]{24}$/), username: 'Alice_1', displayName: 'Alice', role: 'admin' } });
    const setCookie = res.headers.getSetCookie().join(';');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(await me(server.url, sessionCookieFrom(res.headers))).toEqual({ status: 200, body: res.body });
  });

  it('usernames are unique regardless of letter case, and the refusal creates nothing', async () => {
    const server = await harness.start();
    await registerUser(server.url, { username: 'Bob' });
    const res = await postJson(server.url, '/api/auth/register', { username: 'bOB', password: 'another password' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'username_taken', field: 'username' });
    expect(res.headers.getSetCookie()).toEqual([]);
    const signIn = await postJson(server.url, '/api/auth/login', { username: 'bob', password: 'another password' });
    expect(signIn.status).toBe(401);
  });

  it.each([
    [{ username: 'ab', password: 'long enough' }, 'username'],
    [{ username: 'has space', password: 'long enough' }, 'username'],
    [{ username: 'x'.repeat(33), password: 'long enough' }, 'username'],
    [{ username: 'valid', password: 'short' }, 'password'],
    [{ username: { $gt: '' }, password: 'long enough' }, 'username'],
    [{ username: 'valid', password: 'long enough', isAdmin: true }, ''],
    [{ username: 'valid', password: 'long enough', displayName: 'bad\u0000name' }, 'displayName'],
  ])('registration with %j is refused as invalid_payload on %s', async (body, field) => {
    const server = await harness.start();
    const res = await postJson(server.url, '/api/auth/register', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_payload', field });
  });

  it('signs in case-insensitively; a wrong password and an unknown user get the same answer', async () => {
    const server = await harness.start();
    const name = uniqueName('Carol');
    await registerUser(server.url, { username: name, password: 'the right one' });

    const good = await postJson(server.url, '/api/auth/login', { username: name.toUpperCase(), password: 'the right one' });
    expect(good.status).toBe(200);
    expect(good.body.user.username).toBe(name);

    const wrong = await postJson(server.url, '/api/auth/login', { username: name, password: 'the wrong one' });
    const unknown = await postJson(server.url, '/api/auth/login', { username: 'nobody_here', password: 'the wrong one' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('signing out revokes the session', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    expect((await me(server.url, alice.cookie)).status).toBe(200);
    const out = await postJson(server.url, '/api/auth/logout', {}, { cookie: alice.cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join(';')).toMatch(/confab_session=;/);
    expect(await me(server.url, alice.cookie)).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: expect.any(String) } } });
  });

  it('a state-changing call from a foreign Origin is refused and changes nothing', async () => {
    const server = await harness.start();
    const res = await postJson(server.url, '/api/auth/register', { username: 'mallory', password: 'long enough' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('origin_not_allowed');
    const signIn = await postJson(server.url, '/api/auth/login', { username: 'mallory', password: 'long enough' });
    expect(signIn.status).toBe(401);
  });

  it('an oversized or malformed body gets a JSON error, without a stack trace', async () => {
    const server = await harness.start();
    const big = await postJson(server.url, '/api/auth/register', { username: 'big', password: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('invalid_payload');
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('invalid_payload');
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('health and readiness answer', async () => {
    const server = await harness.start();
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', instance: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
