import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instrumentStores } from '../src/store/instrumented.js';
import { createMemoryStores, startServer, type RunningServer } from '../src/testing.js';
import { disconnected, eventually, lobbyClient, registerUser, settle, type LobbyClient, type TestUser } from './support/client.js';
import { startRedisServer, type RedisServer } from './support/redisServer.js';

// Idle connections must cost O(changes), not O(connections), per interval: an idle socket makes
// no store call and no Redis command of its own, however many sit there. Counted, not timed.

const CONNECTIONS = 1_000;
const RECHECK_MS = 1_000;

let redisServer: RedisServer;
let redis: RedisClientType;
const servers: RunningServer[] = [];
const sockets: LobbyClient[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = createClient({ url: redisServer.url }) as RedisClientType;
  // The second test kills this Redis; the client reconnects by itself.
  redis.on('error', () => {});
  await redis.connect();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});
afterAll(async () => {
  await redis?.close();
  await redisServer?.kill();
});

/** Commands this Redis has run so far (the count includes the INFO asking for it). */
async function redisCommands(): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}

async function connectAll(url: string, users: readonly TestUser[]): Promise<LobbyClient[]> {
  const connected: LobbyClient[] = [];
  for (let i = 0; i < users.length; i += 100) {
    const batch = users.slice(i, i + 100).map((user) => lobbyClient(url, { cookie: user.cookie }));
    sockets.push(...batch);
    await Promise.all(batch.map((socket) => new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    })));
    connected.push(...batch);
  }
  return connected;
}

describe('idle connections', () => {
  it(`${CONNECTIONS} idle sockets on two instances cause no store call and no Redis command per socket over two recheck intervals, and a sign-out on one instance still ends a socket on the other at once`, async () => {
    let storeCalls = 0;
    const stores = instrumentStores(createMemoryStores(), () => void (storeCalls += 1));
    const config = { sessionRecheckMs: RECHECK_MS, presenceSweepMs: RECHECK_MS, presenceFlushMs: 200, sessionSecret: randomBytes(32).toString('base64url') };
    const a = await startServer({ stores, redisUrl: redisServer.url, config });
    servers.push(a);
    const b = await startServer({ stores, redisUrl: redisServer.url, config });
    servers.push(b);

    // Registering through the API would hash a thousand passwords: sessions are what matter here.
    const users = await Promise.all(Array.from({ length: 50 }, () => registerUser(a.url)));
    const sessions = Array.from({ length: CONNECTIONS }, (_, i) => users[i % users.length]!);
    await connectAll(a.url, sessions.slice(0, CONNECTIONS / 2));
    const onB = await connectAll(b.url, sessions.slice(CONNECTIONS / 2));
    // Let the connects' own work (presence claims, snapshots, re-announcements) finish.
    await settle(3 * RECHECK_MS);

    const [storeBefore, redisBefore] = [storeCalls, await redisCommands()];
    await settle(2 * RECHECK_MS + 200);
    const [storeDuring, redisDuring] = [storeCalls - storeBefore, (await redisCommands()) - redisBefore];
    expect(storeDuring).toBe(0);
    // Sweeps and lease renewals only: a fixed number per instance and interval, well under one per socket.
    expect(redisDuring).toBeLessThan(CONNECTIONS / 10);

    // The revocation travels through the adapter: no periodic check is needed to end it.
    const alice = users[CONNECTIONS / 2 % users.length]!;
    const aliceOnB = onB[0]!;
    const gone = disconnected(aliceOnB);
    const signedOut = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie: alice.cookie, 'content-type': 'application/json', origin: a.url }, body: '{}' });
    expect(signedOut.status).toBeLessThan(300);
    const reason = await Promise.race([gone, settle(RECHECK_MS / 2).then(() => 'still connected')]);
    expect(reason).toBe('io server disconnect');
  });

  it('a session ended while the broadcast could not reach an instance (its Redis link was down) is found by the recheck that follows the link\'s return', async () => {
    const stores = createMemoryStores();
    const config = { sessionRecheckMs: RECHECK_MS };
    const server = await startServer({ stores, redisUrl: redisServer.url, config });
    servers.push(server);
    const alice = await registerUser(server.url);
    const [socket] = await connectAll(server.url, [alice]);
    const gone = disconnected(socket!);

    await redisServer.kill();
    // What a sign-out on another instance leaves when its broadcast is lost: the session is gone from the store, no command came.
    const token = alice.cookie.slice(alice.cookie.indexOf('=') + 1);
    const sessionId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    await stores.sessions.revoke(sessionId);
    await settle(2 * RECHECK_MS);
    expect(socket!.connected).toBe(true);

    await redisServer.restart();
    await eventually(async () => expect(await Promise.race([gone, settle(100).then(() => 'still connected')])).toBe('io server disconnect'), 15_000);
  });
});
