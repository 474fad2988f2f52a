import type { MessageDto } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/testing.js';
import { connectError, connectLobby, lobbyClient, postJson, registerUser, request, roundTrip } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();


describe('rate limits', () => {
  it('messages: a burst above the steady rate, then rate_limited with retryAfterMs; nothing over the limit is stored', async () => {
    const server = await harness.start({
      config: { rateLimits: { messages: { points: 2, durationSeconds: 60, burstPoints: 2, burstDurationSeconds: 60 } } },
    });
    const [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const aliceTab = harness.track(await connectLobby(server.url, alice));
    const bobTab = harness.track(await connectLobby(server.url, bob));

    const acks = [];
    for (let i = 0; i < 5; i += 1) acks.push(await request<MessageDto>(aliceTab, 'message:send', { clientId: `rl-${i}`, body: `m${i}` }));

    expect(acks.slice(0, 4).every((a) => a.ok)).toBe(true);
    expect(acks[4]).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    expect(!acks[4]!.ok && acks[4]!.error.retryAfterMs).toBeGreaterThan(0);
    expect((await roundTrip(bobTab)).map((m) => m.body)).toEqual(['m0', 'm1', 'm2', 'm3']);
    // Limits are per user: Bob is not affected by Alice's flood.
    expect(await request(bobTab, 'message:send', { clientId: 'bob-1', body: 'hi' })).toMatchObject({ ok: true });
  });

  it('typing events are limited too', async () => {
    const server = await harness.start({ config: { rateLimits: { typing: { points: 2, durationSeconds: 60 } } } });
    const alice = await registerUser(server.url);
    const tab = harness.track(await connectLobby(server.url, alice));
    expect(await request(tab, 'typing:start', {})).toEqual({ ok: true, data: null });
    expect(await request(tab, 'typing:stop', {})).toEqual({ ok: true, data: null });
    expect(await request(tab, 'typing:start', {})).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('sign-in attempts per username back off after repeated failures, with Retry-After; other usernames still work', async () => {
    const server = await harness.start({ config: { rateLimits: { signInPerUsername: { points: 3, durationSeconds: 60, blockSeconds: 120 } } } });
    const [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    for (let i = 0; i < 3; i += 1) {
      expect((await postJson(server.url, '/api/auth/login', { username: alice.user.username, password: 'wrong password' })).status).toBe(401);
    }
    const blocked = await postJson(server.url, '/api/auth/login', { username: alice.user.username.toUpperCase(), password: 'correct horse battery' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await postJson(server.url, '/api/auth/login', { username: bob.user.username, password: 'correct horse battery' })).status).toBe(200);
  });

  it('registrations per address', async () => {
    const server = await harness.start({ config: { rateLimits: { registrationsPerAddress: { points: 2, durationSeconds: 3600 } } } });
    await registerUser(server.url);
    await registerUser(server.url);
    const third = await postJson(server.url, '/api/auth/register', { username: 'one_too_many', password: 'correct horse battery' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('rate_limited');
    const login = await postJson(server.url, '/api/auth/login', { username: 'one_too_many', password: 'correct horse battery' });
    expect(login.status).toBe(401);
  });

  it('connections per address: the handshake is refused with rate_limited', async () => {
    const server = await harness.start({ config: { rateLimits: { connectionsPerAddress: { points: 2, durationSeconds: 60 } } } });
    const alice = await registerUser(server.url);
    harness.track(await connectLobby(server.url, alice));
    harness.track(await connectLobby(server.url, alice));
    const third = harness.track(lobbyClient(server.url, { cookie: alice.cookie }));
    expect((await connectError(third)).data).toEqual({ code: 'rate_limited', message: expect.any(String), retryAfterMs: expect.any(Number) });
  });

  it('hold across instances when they share Redis', async () => {
    const stores = createMemoryStores();
    const config = { sessionSecret: 'rate-limit-test-secret-0123456789abcdef0123', rateLimits: { messages: { points: 3, durationSeconds: 60 } } };
    const a = await harness.start({ stores, config, redisUrl: redis.url });
    const b = await harness.start({ stores, config, redisUrl: redis.url });
    const alice = await registerUser(a.url);
    const onA = harness.track(await connectLobby(a.url, alice));
    const onB = harness.track(await connectLobby(b.url, alice));
    const results = [
      await request(onA, 'message:send', { clientId: 'x1', body: '1' }),
      await request(onB, 'message:send', { clientId: 'x2', body: '2' }),
      await request(onA, 'message:send', { clientId: 'x3', body: '3' }),
      await request(onB, 'message:send', { clientId: 'x4', body: '4' }),
    ];
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok', 'rate_limited']);
  });
});
