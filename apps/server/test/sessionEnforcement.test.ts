import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/testing.js';
import { connectError, connectLobby, disconnected, lobbyClient, postJson, registerUser, request, type LobbyClient } from './support/client.js';
import { connectDm } from './support/dmClient.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();

describe('ending a session', () => {
  it('signing out disconnects that session\'s live sockets at once, and they cannot come back', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const lobby = harness.track(await connectLobby(server.url, alice));
    const dm = await connectDm(server.url, alice);
    const otherSession = await postJson(server.url, '/api/auth/login', { username: alice.user.username, password: 'correct horse battery' });
    const otherCookie = otherSession.headers.getSetCookie()[0]!.split(';')[0]!;
    const otherTab = harness.track(await connectLobby(server.url, { user: alice.user, cookie: otherCookie }));
    const lobbyGone = disconnected(lobby);
    const dmGone = disconnected(dm);

    const res = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: alice.cookie, 'content-type': 'application/json' }, body: '{}' });

    expect(res.status).toBe(204);
    expect(await lobbyGone).toBe('io server disconnect');
    expect(await dmGone).toBe('io server disconnect');
    // The other session (another device) is untouched.
    expect(await request(otherTab, 'message:sync', { afterSeq: 0 })).toMatchObject({ ok: true });
    const again = harness.track(lobbyClient(server.url, { cookie: alice.cookie }));
    expect((await connectError(again)).data?.code).toBe('unauthorized');
  });

  it('reaches sockets on another instance (through the Redis adapter)', async () => {
    const stores = createMemoryStores();
    const config = { sessionSecret: 'session-enforcement-secret-0123456789abcdef' };
    const a = await harness.start({ stores, config, redisUrl: redis.url });
    const b = await harness.start({ stores, config, redisUrl: redis.url });
    const alice = await registerUser(a.url);
    const onB = harness.track(await connectLobby(b.url, alice));
    const gone = disconnected(onB);
    await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie: alice.cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(await gone).toBe('io server disconnect');
  });

  it('an expired session is noticed by the periodic check, and the socket is disconnected', async () => {
    let now = Date.now();
    const server = await harness.start({ now: () => new Date(now), config: { sessionRecheckMs: 50, sessionTtlMs: 60_000 } });
    const alice = await registerUser(server.url);
    const socket: LobbyClient = harness.track(await connectLobby(server.url, alice));
    const gone = disconnected(socket);
    expect(await request(socket, 'message:sync', { afterSeq: 0 })).toMatchObject({ ok: true });
    now += 61_000;
    expect(await gone).toBe('io server disconnect');
  });
});
