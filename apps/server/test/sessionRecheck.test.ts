import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectRedis } from '../src/scaleout/redis.js';
import { StoreUnavailableError } from '../src/store/errors.js';
import { createMemoryStores, type Stores } from '../src/testing.js';
import { connectLobby, disconnected, eventually, registerUser, type TestUser } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

// After a Redis gap an instance checks the session of each of its sockets against the store:
// sign-outs elsewhere may have been missed. That check must not be lost to a store that is not
// back yet, to one failing session, or to a second gap while it runs.

const harness = useServer();
const redis = useRedisServer();
const RECHECK_MS = 100;
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

const sessionIdOf = (user: TestUser) =>
  (JSON.parse(Buffer.from(user.cookie.slice(user.cookie.indexOf('=') + 1).split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

/** Closing a server whose Redis connections are still reconnecting would wait for them. */
const untilReady = (url: string) => eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), 10_000);

/** Stores whose session reads fail, for the sessions `refuses` names, with the store's own error. */
function refusingStores(refuses: (sessionId: string) => boolean) {
  const stores = createMemoryStores();
  const refused: string[] = [];
  const findActive = stores.sessions.findActive.bind(stores.sessions);
  stores.sessions.findActive = async (id, now) => {
    if (refuses(id)) {
      refused.push(id);
      throw new StoreUnavailableError('unreachable (test)');
    }
    return findActive(id, now);
  };
  return { stores, refused };
}

/** A server on Redis whose recoveries the test can count (they run after the server's own handler). */
async function startObservedServer(stores: Stores) {
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOG_PRETTY: 'false' });
  const logger = createLogger({ level: 'silent', pretty: false });
  const connections = await connectRedis(redis.url, logger);
  const config = {
    ...base,
    webDist: '/nonexistent',
    sessionRecheckMs: RECHECK_MS,
    rateLimits: { ...base.rateLimits, registrationsPerAddress: { points: 1_000, durationSeconds: 1 } },
  };
  const app = await createApp({ stores, logger, redis: connections }, config);
  let recoveries = 0;
  connections.onSubscriberRecovered(() => void (recoveries += 1));
  const port = await app.listen(0, '127.0.0.1');
  closing.push(async () => {
    await app.close();
    await connections.close();
  });
  return { url: `http://127.0.0.1:${port}`, recoveries: () => recoveries };
}

describe('the recheck after a Redis gap', () => {
  it('a check the store could not answer when Redis returned is retried until it can, and the revoked session ends', async () => {
    let isStoreDown = false;
    const { stores, refused } = refusingStores(() => isStoreDown);
    const server = await harness.start({ stores, redisUrl: redis.url, config: { sessionRecheckMs: RECHECK_MS } });
    const alice = await registerUser(server.url);
    const gone = disconnected(harness.track(await connectLobby(server.url, alice)));

    // A partition: Redis and the database both unreachable; a sign-out elsewhere is missed.
    await redis.kill();
    isStoreDown = true;
    await stores.sessions.revoke(sessionIdOf(alice));
    // Redis returns first: the recheck finds the store still down.
    await redis.restart();
    await eventually(() => expect(refused).toContain(sessionIdOf(alice)), 10_000);
    isStoreDown = false;
    expect(await gone).toBe('io server disconnect');
    await untilReady(server.url);
  });

  it('one session the store cannot answer for does not stop the checks of the others', async () => {
    let isAliceRefused = false;
    let alice: TestUser | undefined;
    const { stores, refused } = refusingStores((id) => isAliceRefused && id === sessionIdOf(alice!));
    const server = await harness.start({ stores, redisUrl: redis.url, config: { sessionRecheckMs: RECHECK_MS } });
    alice = await registerUser(server.url);
    const bob = await registerUser(server.url);
    // Alice's socket is first, so her session is checked first.
    const aliceGone = disconnected(harness.track(await connectLobby(server.url, alice)));
    const bobGone = disconnected(harness.track(await connectLobby(server.url, bob)));

    await redis.kill();
    isAliceRefused = true;
    await stores.sessions.revoke(sessionIdOf(alice));
    await stores.sessions.revoke(sessionIdOf(bob));
    await redis.restart();

    expect(await bobGone).toBe('io server disconnect');
    expect(refused).toContain(sessionIdOf(alice));
    isAliceRefused = false;
    expect(await aliceGone).toBe('io server disconnect');
    await untilReady(server.url);
  });

  it('a second gap while the first recheck still runs is rechecked too', async () => {
    const stores = createMemoryStores();
    let gatedSession: string | undefined;
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const wasReached = new Promise<void>((r) => (reached = r));
    const findActive = stores.sessions.findActive.bind(stores.sessions);
    stores.sessions.findActive = async (id, now) => {
      if (id === gatedSession) {
        gatedSession = undefined;
        reached();
        await released;
      }
      return findActive(id, now);
    };
    const server = await startObservedServer(stores);
    const alice = await registerUser(server.url);
    const bob = await registerUser(server.url);
    const aliceGone = disconnected(harness.track(await connectLobby(server.url, alice)));
    harness.track(await connectLobby(server.url, bob));

    // The first recheck checks Alice's session, then waits on Bob's (a slow store, a big instance).
    gatedSession = sessionIdOf(bob);
    await redis.kill();
    await redis.restart();
    await wasReached;
    // A second gap meanwhile, in which Alice signs out elsewhere and the command is missed.
    const before = server.recoveries();
    await redis.kill();
    await stores.sessions.revoke(sessionIdOf(alice));
    await redis.restart();
    await eventually(() => expect(server.recoveries()).toBeGreaterThan(before), 10_000);
    release();
    expect(await aliceGone).toBe('io server disconnect');
    await untilReady(server.url);
  });
});
