import { createClient, type RedisClientType } from 'redis';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOCATION_STREAM } from '../src/scaleout/revocationFeed.js';
import { createMemoryStores } from '../src/testing.js';
import { connectLobby, disconnected, eventually, postJson, registerUser, request, sessionCookieFrom, type LobbyClient, type TestUser } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

// Every way a session end could miss a live socket: a handshake in flight when it lands, a
// broadcast lost on its way to Redis, an instance that could not reach Redis at all. Each ends
// the socket, or the test times out.

const harness = useServer();
const redis = useRedisServer();
const RECHECK_MS = 100;
const PASSWORD = 'correct horse battery';
const config = { sessionRecheckMs: RECHECK_MS, sessionSecret: 'session-revocation-secret-0123456789abcdef' };

let admin: RedisClientType;
beforeAll(async () => {
  admin = createClient({ url: redis.url }) as RedisClientType;
  admin.on('error', () => {});
  await admin.connect();
});
afterAll(async () => {
  await admin?.close();
});

/** The session id a cookie's token names. */
const sessionIdOf = (cookie: string) =>
  (JSON.parse(Buffer.from(cookie.slice(cookie.indexOf('=') + 1).split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

const signOut = (url: string, cookie: string) => fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });

/** Stores whose next `users.findById`, once armed, waits for `release`: a handshake stopped between its session read and the join. */
function gatedStores() {
  const stores = createMemoryStores();
  let isArmed = false;
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const wasReached = new Promise<void>((r) => (reached = r));
  const findById = stores.users.findById.bind(stores.users);
  stores.users.findById = async (id) => {
    const user = await findById(id);
    if (isArmed) {
      isArmed = false;
      reached();
      await released;
    }
    return user;
  };
  return { stores, arm: () => void (isArmed = true), release: () => release(), wasReached };
}

/** Starts a handshake; `gone` is listened for before the connect, so a disconnect right after it is not missed. */
function startConnecting(url: string, nsp: '/lobby' | '/dm', cookie: string) {
  const socket = io(`${url}${nsp}`, { autoConnect: false, reconnection: false, forceNew: true, transports: ['websocket'], extraHeaders: { cookie } });
  harness.track(socket as unknown as LobbyClient);
  const gone = disconnected(socket);
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.connect();
  return { socket, connected, gone };
}

describe('a session end that lands while a handshake is in flight', () => {
  it('a sign-out between the handshake\'s session read and its join still ends the /lobby socket', async () => {
    const gate = gatedStores();
    const server = await harness.start({ stores: gate.stores, config });
    const alice = await registerUser(server.url);
    gate.arm();
    const { connected, gone } = startConnecting(server.url, '/lobby', alice.cookie);
    await gate.wasReached;
    expect((await signOut(server.url, alice.cookie)).status).toBe(204);
    gate.release();
    await connected;
    expect(await gone).toBe('io server disconnect');
  });

  it('a password change while a stolen session\'s /dm handshake is in flight still ends that socket', async () => {
    const gate = gatedStores();
    const server = await harness.start({ stores: gate.stores, config });
    const victim = await registerUser(server.url, { password: PASSWORD });
    const stolenCookie = sessionCookieFrom((await postJson(server.url, '/api/auth/login', { username: victim.user.username, password: PASSWORD })).headers);
    gate.arm();
    const { connected, gone } = startConnecting(server.url, '/dm', stolenCookie);
    await gate.wasReached;
    const changed = await postJson(server.url, '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'another horse battery' }, { cookie: victim.cookie });
    expect(changed.status).toBe(200);
    gate.release();
    await connected;
    expect(await gone).toBe('io server disconnect');
  });
});

/** The commands Redis holds back from clients (CLIENT PAUSE), by name. */
async function blockedCommands(): Promise<string[]> {
  const list = await admin.sendCommand<string>(['CLIENT', 'LIST']);
  return list.split('\n').filter((line) => / flags=\S*b/.test(line)).map((line) => /cmd=(\S+)/.exec(line)?.[1] ?? '');
}

describe('a session end whose broadcast is lost', () => {
  it('reaches a socket on another instance through the feed when the PUBLISH dies with its connection, while that instance\'s subscriber never dropped', async () => {
    const stores = createMemoryStores();
    const a = await harness.start({ stores, config, redisUrl: redis.url });
    const b = await harness.start({ stores, config, redisUrl: redis.url });
    const alice = await registerUser(a.url);
    const gone = disconnected(harness.track(await connectLobby(b.url, alice)));

    // Writes (PUBLISH and XADD among them) wait while Redis is paused; the command connections are
    // then reset (every subscriber, of type pubsub, stays up), so what was in flight fails.
    await admin.sendCommand(['CLIENT', 'PAUSE', '10000', 'WRITE']);
    let signedOut: Promise<Response> | undefined;
    try {
      let isAnswered = false;
      signedOut = signOut(a.url, alice.cookie).finally(() => (isAnswered = true));
      await eventually(async () => {
        const blocked = await blockedCommands();
        expect(blocked).toContain('publish');
        expect(blocked.includes('xadd') || isAnswered).toBe(true);
      });
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
    }
    expect((await signedOut).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('ends this instance\'s sockets of the session at once even while Redis is unreachable', async () => {
    const server = await harness.start({ config, redisUrl: redis.url });
    const alice = await registerUser(server.url);
    const gone = disconnected(harness.track(await connectLobby(server.url, alice)));
    await redis.kill();
    try {
      expect((await signOut(server.url, alice.cookie)).status).toBe(204);
      expect(await gone).toBe('io server disconnect');
    } finally {
      await redis.restart();
      // Closing a server whose Redis connections are still reconnecting would wait for them.
      await eventually(async () => expect((await fetch(`${server.url}/readyz`)).status).toBe(200), 10_000);
    }
  });

  it('a password change read from the feed ends the user\'s sessions from before it, and spares the new one and a sign-in made after it', async () => {
    const stores = createMemoryStores();
    const checked: string[] = [];
    const findActive = stores.sessions.findActive.bind(stores.sessions);
    stores.sessions.findActive = async (id, now) => {
      const session = await findActive(id, now);
      checked.push(id);
      return session;
    };
    const server = await harness.start({ stores, config, redisUrl: redis.url });
    // An instance whose broadcasts never reach the first one: the change happens there.
    const elsewhere = await harness.start({ stores, config });
    const alice = await registerUser(server.url, { password: PASSWORD });
    const before = harness.track(await connectLobby(server.url, alice));
    const gone = disconnected(before);
    const changed = await postJson(elsewhere.url, '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'another horse battery' }, { cookie: alice.cookie });
    expect(changed.status).toBe(200);
    const renewed: TestUser = { user: alice.user, cookie: sessionCookieFrom(changed.headers) };
    const signedInAfter: TestUser = { user: alice.user, cookie: sessionCookieFrom((await postJson(elsewhere.url, '/api/auth/login', { username: alice.user.username, password: 'another horse battery' })).headers) };
    const survivors = [harness.track(await connectLobby(server.url, renewed)), harness.track(await connectLobby(server.url, signedInAfter))];
    expect(before.connected).toBe(true);

    // What the other instance appends to the feed for that change.
    checked.length = 0;
    await admin.xAdd(REVOCATION_STREAM, '*', { user: alice.user.id, except: sessionIdOf(renewed.cookie) });

    expect(await gone).toBe('io server disconnect');
    // The later sign-in was asked about, and the answer has been acted on by the time a round trip returns.
    await eventually(() => expect(checked).toContain(sessionIdOf(signedInAfter.cookie)));
    for (const socket of survivors) expect(await request(socket, 'message:sync', { afterSeq: 0 })).toMatchObject({ ok: true });
  });
});
