import { createClient, type RedisClientType } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { REVOCATION_STREAM, createRevocationFeed, type Revocation } from '../src/scaleout/revocationFeed.js';
import { eventually } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';

// The feed between instances, on a real Redis: what one appends, the others read in order, even
// when it could not reach Redis at the time.

const redis = useRedisServer();
const logger = createLogger({ level: 'silent', pretty: false });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A connection like the server's command connection: no offline queue, reconnects by itself. */
async function connect(): Promise<RedisClientType> {
  const client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } }) as RedisClientType;
  client.on('error', () => {});
  await client.connect();
  cleanups.push(async () => void (client.isReady ? await client.close() : client.destroy()));
  return client;
}

/** A feed on its own connection that records what it reads; resolves once it has its position. */
async function startFeed(kept?: number) {
  const read: Revocation[] = [];
  let positioned = 0;
  const feed = createRevocationFeed(await connect(), {
    logger,
    onRevoked: (revocations) => void read.push(...revocations),
    onRepositioned: () => void (positioned += 1),
    ...(kept === undefined ? {} : { kept }),
  });
  cleanups.push(async () => feed.stop());
  await eventually(() => expect(positioned).toBe(1));
  return { feed, read, positioned: () => positioned };
}

/** Syncs until the reader has read `count` entries. */
const readUntil = (reader: Awaited<ReturnType<typeof startFeed>>, count: number) =>
  eventually(async () => {
    await reader.feed.sync();
    expect(reader.read.length).toBeGreaterThanOrEqual(count);
  }, 10_000);

describe('the revocation feed', () => {
  it('a reader gets what is appended after it started, in order, and nothing from before', async () => {
    const admin = await connect();
    await admin.xAdd(REVOCATION_STREAM, '*', { session: 'from-before' });
    const reader = await startFeed();
    const writer = await startFeed();
    await writer.feed.publish({ kind: 'session', sessionId: 's1' });
    await writer.feed.publish({ kind: 'user', userId: 'u1', exceptSessionId: 's2' });
    await readUntil(reader, 2);
    expect(reader.read).toEqual([
      { kind: 'session', sessionId: 's1' },
      { kind: 'user', userId: 'u1', exceptSessionId: 's2' },
    ]);
  });

  it('an append while Redis is unreachable is kept and written once Redis is back', async () => {
    const reader = await startFeed();
    const writer = await startFeed();
    await redis.kill();
    try {
      // Resolves although Redis refused it.
      await writer.feed.publish({ kind: 'session', sessionId: 'during-outage' });
    } finally {
      await redis.restart();
    }
    await readUntil(reader, 1);
    expect(reader.read).toEqual([{ kind: 'session', sessionId: 'during-outage' }]);
  });

  it('more appends queued than the stream keeps become one entry that sends every reader to the store', async () => {
    const reader = await startFeed();
    const writer = await startFeed(3);
    await redis.kill();
    try {
      for (const sessionId of ['q1', 'q2', 'q3', 'q4', 'q5']) await writer.feed.publish({ kind: 'session', sessionId });
    } finally {
      await redis.restart();
    }
    await readUntil(reader, 3);
    expect(reader.read).toEqual([{ kind: 'all' }, { kind: 'session', sessionId: 'q4' }, { kind: 'session', sessionId: 'q5' }]);
  });

  it('a reader that finds as many new entries as the stream keeps may have lost older ones to trimming: it reports all', async () => {
    const reader = await startFeed(3);
    const admin = await connect();
    for (const sessionId of ['t1', 't2', 't3']) await admin.xAdd(REVOCATION_STREAM, '*', { session: sessionId });
    await readUntil(reader, 1);
    expect(reader.read).toEqual([{ kind: 'all' }]);
  });

  it('repositioning skips what is in the stream and says so before reading on', async () => {
    const reader = await startFeed();
    const admin = await connect();
    await admin.xAdd(REVOCATION_STREAM, '*', { session: 'skipped' });
    reader.feed.reposition();
    await eventually(() => expect(reader.positioned()).toBe(2));
    await admin.xAdd(REVOCATION_STREAM, '*', { session: 'after' });
    await readUntil(reader, 1);
    expect(reader.read).toEqual([{ kind: 'session', sessionId: 'after' }]);
  });
});
