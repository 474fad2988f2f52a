import { describe, expect, it } from 'vitest';
import { connectError, connectLobby, lobbyClient, postJson, registerUser } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

describe('the /lobby handshake', () => {
  it('without a session is refused as unauthorized', async () => {
    const server = await harness.start();
    const err = await connectError(harness.track(lobbyClient(server.url)));
    expect(err.data).toEqual({ code: 'unauthorized', message: expect.any(String) });
  });

  it('with a forged session token is refused as unauthorized', async () => {
    const server = await harness.start();
    const { cookie } = await registerUser(server.url);
    const [header, payload] = cookie.replace('confab_session=', '').split('.');
    const forged = `confab_session=${header}.${payload}.${'A'.repeat(43)}`;
    const err = await connectError(harness.track(lobbyClient(server.url, { cookie: forged })));
    expect(err.data?.code).toBe('unauthorized');
  });

  it('with a token signed by another server is refused as unauthorized', async () => {
    const other = await harness.start({ config: { sessionSecret: 'another-secret-that-is-long-enough-123456' } });
    const { cookie } = await registerUser(other.url);
    const server = await harness.start();
    const err = await connectError(harness.track(lobbyClient(server.url, { cookie })));
    expect(err.data?.code).toBe('unauthorized');
  });

  it('with an expired session is refused as unauthorized', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const server = await harness.start({ now: () => now, config: { sessionTtlMs: 60_000 } });
    const alice = await registerUser(server.url);
    harness.track(await connectLobby(server.url, alice));
    now = new Date(now.getTime() + 61_000);
    const err = await connectError(harness.track(lobbyClient(server.url, { cookie: alice.cookie })));
    expect(err.data?.code).toBe('unauthorized');
  });

  it('after sign-out the same cookie is refused', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const res = await postJson(server.url, '/api/auth/logout', {}, { cookie: alice.cookie });
    expect(res.status).toBe(204);
    const err = await connectError(harness.track(lobbyClient(server.url, { cookie: alice.cookie })));
    expect(err.data?.code).toBe('unauthorized');
  });

  it('from a foreign Origin is refused as origin_not_allowed, even with a valid session', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const err = await connectError(harness.track(lobbyClient(server.url, { cookie: alice.cookie, origin: 'https://evil.example' })));
    expect(err.data?.code).toBe('origin_not_allowed');
  });

  it('from the app\'s own origin, or an allowlisted one, is accepted', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const own = harness.track(await connectLobby(server.url, alice, { origin: server.url }));
    expect(own.connected).toBe(true);

    const listed = await harness.start({ config: { allowedOrigins: ['https://chat.example'] } });
    const bob = await registerUser(listed.url);
    const ok = harness.track(await connectLobby(listed.url, bob, { origin: 'https://chat.example' }));
    expect(ok.connected).toBe(true);
    const err = await connectError(harness.track(lobbyClient(listed.url, { cookie: bob.cookie, origin: listed.url })));
    expect(err.data?.code).toBe('origin_not_allowed');
  });
});
