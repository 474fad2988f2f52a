import type { MessageDto } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import type { RateLimitRules } from '../src/limits/rateLimits.js';
import { createMemoryStores } from '../src/testing.js';
import { connectError, connectLobby, disconnected, lobbyClient, postJson, registerUser, request, roundTrip, sessionCookieFrom, type TestUser } from './support/client.js';
import { connectDm } from './support/dmClient.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

// Changing the password ends every session of the user, on every instance: two servers share a
// store and a real Redis, and the user has sessions and sockets on both.

const harness = useServer();
const redis = useRedisServer();
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';

async function twoInstances(rateLimits?: Partial<RateLimitRules>) {
  const stores = createMemoryStores();
  const config = { sessionSecret: 'password-change-secret-0123456789abcdef', ...(rateLimits ? { rateLimits } : {}) };
  const a = await harness.start({ stores, config, redisUrl: redis.url });
  const b = await harness.start({ stores, config, redisUrl: redis.url });
  return { a, b };
}


function changePassword(baseUrl: string, cookie: string | undefined, body: unknown) {
  return postJson(baseUrl, '/api/auth/password', body, cookie ? { cookie } : {});
}

async function signIn(baseUrl: string, user: TestUser, password: string) {
  return postJson(baseUrl, '/api/auth/login', { username: user.user.username, password });
}

describe('changing the password', () => {
  it('ends every session of the user on every instance, keeps the caller signed in with a new one, and leaves others alone', async () => {
    const { a, b } = await twoInstances();
    const alice = await registerUser(a.url, { password: PASSWORD });
    const secondSession = sessionCookieFrom((await signIn(b.url, alice, PASSWORD)).headers);
    const bob = await registerUser(a.url);
    const sockets = [
      harness.track(await connectLobby(a.url, alice)),
      await connectDm(b.url, alice),
      harness.track(await connectLobby(b.url, { user: alice.user, cookie: secondSession })),
    ];
    const gone = sockets.map(disconnected);
    const bobTab = harness.track(await connectLobby(a.url, bob));

    const res = await changePassword(a.url, alice.cookie, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

    expect(res.status).toBe(200);
    // Alice registered first: the server's admin, which only session answers say.
    expect(res.body).toEqual({ user: { ...alice.user, role: 'admin' } });
    const newCookie = sessionCookieFrom(res.headers);
    expect(newCookie).not.toBe(alice.cookie);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);
    for (const [server, cookie] of [[a, alice.cookie], [b, secondSession]] as const) {
      expect((await connectError(harness.track(lobbyClient(server.url, { cookie })))).data?.code).toBe('unauthorized');
      expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    }
    // The caller goes on with the new session, on either instance.
    const again = harness.track(await connectLobby(b.url, { user: alice.user, cookie: newCookie }));
    expect(await request<MessageDto>(again, 'message:send', { clientId: 'after-change', body: 'still here' })).toMatchObject({ ok: true });
    expect((await signIn(a.url, alice, PASSWORD)).status).toBe(401);
    expect((await signIn(b.url, alice, NEW_PASSWORD)).status).toBe(200);
    // Bob was never touched.
    expect(bobTab.connected).toBe(true);
    expect((await roundTrip(bobTab)).map((m) => m.body)).toEqual(['still here']);
  });

  it('refuses a wrong current password, a bad body or no session, and changes nothing', async () => {
    const { a } = await twoInstances();
    const alice = await registerUser(a.url, { password: PASSWORD });
    const tab = harness.track(await connectLobby(a.url, alice));
    const cases: [string | undefined, unknown, number, string, string?][] = [
      [alice.cookie, { currentPassword: 'not my password', newPassword: NEW_PASSWORD }, 401, 'invalid_credentials', 'currentPassword'],
      [alice.cookie, { currentPassword: PASSWORD, newPassword: 'short' }, 400, 'invalid_payload', 'newPassword'],
      [alice.cookie, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, userId: 'f'.repeat(24) }, 400, 'invalid_payload'],
      [alice.cookie, { currentPassword: { $ne: null }, newPassword: NEW_PASSWORD }, 400, 'invalid_payload', 'currentPassword'],
      [alice.cookie, [PASSWORD, NEW_PASSWORD], 400, 'invalid_payload'],
      [undefined, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, 401, 'unauthorized'],
    ];
    for (const [cookie, body, status, code, field] of cases) {
      const res = await changePassword(a.url, cookie, body);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
      if (field) expect(res.body.error.field).toBe(field);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect(tab.connected).toBe(true);
    expect((await fetch(`${a.url}/api/auth/me`, { headers: { cookie: alice.cookie } })).status).toBe(200);
    expect((await signIn(a.url, alice, PASSWORD)).status).toBe(200);
    expect((await signIn(a.url, alice, NEW_PASSWORD)).status).toBe(401);
  });

  it('guesses of the current password through a session are throttled like sign-ins, across instances', async () => {
    const { a, b } = await twoInstances({ signInPerUsername: { points: 3, durationSeconds: 60, blockSeconds: 60 } });
    const alice = await registerUser(a.url, { password: PASSWORD });
    for (const server of [a, b, a]) {
      expect((await changePassword(server.url, alice.cookie, { currentPassword: 'guess', newPassword: NEW_PASSWORD })).status).toBe(401);
    }
    const limited = await changePassword(b.url, alice.cookie, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(a.url, alice, NEW_PASSWORD)).status).not.toBe(200);
  });
});
