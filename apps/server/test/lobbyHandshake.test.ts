import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { connectError, connectLobby, lobbyClient, postJson, registerUser, type LobbyClient } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

/** The status and body a raw WebSocket handshake from this Origin gets. */
function upgrade(baseUrl: string, origin: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
      socket.write(
        [
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          `Origin: ${origin}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.once('data', (chunk) => {
      socket.destroy();
      const text = chunk.toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.split('\r\n\r\n')[1] ?? '' });
    });
    socket.once('error', reject);
  });
}

describe('the /lobby handshake', () => {
  it('without a session is refused as unauthorized', async () => {
    const server = await harness.start();
    const err = await connectError(harness.track(lobbyClient(server.url)));
    expect(err.data).toEqual({ code: 'unauthorized', message: expect.any(String) });
  });

  it('to the main namespace "/" is refused the same way without a session (it serves nothing either way)', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const main = (headers: Record<string, string>) =>
      harness.track(io(server.url, { autoConnect: false, reconnection: false, forceNew: true, transports: ['websocket'], extraHeaders: headers }) as unknown as LobbyClient);
    expect((await connectError(main({}))).data?.code).toBe('unauthorized');
    const signedIn = main({ cookie: alice.cookie });
    await new Promise<void>((resolve, reject) => {
      signedIn.once('connect', resolve);
      signedIn.once('connect_error', reject);
      signedIn.connect();
    });
    expect(signedIn.connected).toBe(true);
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

  it('naming another user than the session\'s is refused as unauthorized on /lobby and /dm, and connects nothing', async () => {
    // A tab queued messages as Alice; another tab of the browser then signed in as Bob. The first
    // tab's reconnect carries Bob's cookie but names Alice: it must not become Bob's socket.
    const server = await harness.start();
    const [alice, bob] = [await registerUser(server.url), await registerUser(server.url)];
    for (const nsp of ['/lobby', '/dm']) {
      const stale = harness.track(
        io(`${server.url}${nsp}`, { autoConnect: false, reconnection: false, forceNew: true, transports: ['websocket'], extraHeaders: { cookie: bob.cookie }, auth: { userId: alice.user.id } }) as LobbyClient,
      );
      const err = await connectError(stale);
      expect(err.data).toEqual({ code: 'unauthorized', message: 'This browser is now signed in as another user; sign in again.' });
      expect(server.app.io.of(nsp).sockets.size).toBe(0);
    }
    const matching = harness.track(
      io(`${server.url}/lobby`, { autoConnect: false, reconnection: false, forceNew: true, transports: ['websocket'], extraHeaders: { cookie: bob.cookie }, auth: { userId: bob.user.id } }) as LobbyClient,
    );
    await new Promise<void>((resolve, reject) => {
      matching.once('connect', resolve);
      matching.once('connect_error', reject);
      matching.connect();
    });
    expect(server.app.io.of('/lobby').sockets.size).toBe(1);
  });

  it('after sign-out the same cookie is refused', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const res = await postJson(server.url, '/api/auth/logout', {}, { cookie: alice.cookie });
    expect(res.status).toBe(204);
    const err = await connectError(harness.track(lobbyClient(server.url, { cookie: alice.cookie })));
    expect(err.data?.code).toBe('unauthorized');
  });

  it('from a foreign Origin is refused before any connection exists (403, origin_not_allowed), even with a valid session', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    for (const transport of ['polling', 'websocket'] as const) {
      const socket = harness.track(lobbyClient(server.url, { cookie: alice.cookie, origin: 'https://evil.example' }, [transport]));
      const err = await connectError(socket);
      expect(err.message).toBe(transport === 'polling' ? 'xhr poll error' : 'websocket error');
    }
    // The HTTP answer a browser (or any client) gets to the handshake request, for both transports.
    const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example', cookie: alice.cookie } });
    expect(poll.status).toBe(403);
    expect(await poll.json()).toEqual({ code: 4, message: expect.stringMatching(/^origin_not_allowed: /) });
    // Engine.IO answers a refused WebSocket upgrade with 400 and the reason as the body.
    expect(await upgrade(server.url, 'https://evil.example')).toEqual({ status: 400, body: expect.stringMatching(/^origin_not_allowed: /) });
    // No Engine.IO connection and no namespace socket was ever created.
    expect(server.app.io.engine.clientsCount).toBe(0);
    expect(server.app.io.of('/lobby').sockets.size).toBe(0);
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
    // With an allowlist, only the listed origins: not even the server's own address.
    await connectError(harness.track(lobbyClient(listed.url, { cookie: bob.cookie, origin: listed.url })));
    expect((await upgrade(listed.url, listed.url)).status).toBe(400);
    expect((await upgrade(listed.url, 'https://chat.example')).status).toBe(101);
  });
});
