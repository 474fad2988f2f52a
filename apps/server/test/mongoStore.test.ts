import { LIMITS, dmRoomId } from '@confab/shared';
import mongoose from 'mongoose';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMongoStores } from '../src/store/mongo/index.js';
import type { NewMessage } from '../src/store/ports.js';
import { recordOps } from './support/mongoOps.js';
import { describeStoreContract } from './support/storeContract.js';
import { dropDatabase, freshTestStores, mongoUrl, openTestStores, quietLogger, snapshotDatabase, testDatabaseName } from './support/mongo.js';

describeStoreContract('mongodb', () => freshTestStores(import.meta.filename));

const message = (clientId: string, overrides: Partial<NewMessage> = {}): NewMessage => ({
  roomId: 'lobby',
  clientId,
  author: { id: 'a'.repeat(24), name: 'Alice' },
  body: 'hello',
  createdAt: new Date(),
  ...overrides,
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('mongodb store, beyond the contract', () => {
  it('two store instances on one database (two servers) share a room without gaps, and store a retry once', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const [one, two] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
    try {
      const sends = Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).messages.append(message(`m-${i}`)));
      const retries = Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).messages.append(message('retried')));
      const results = await Promise.all([...sends, ...retries]);
      const seqs = [...new Set(results.map((r) => r.message.seq))].sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      expect(results.filter((r) => r.message.clientId === 'retried' && r.isNew)).toHaveLength(1);
    } finally {
      await one.close();
      await two.close();
      await dropDatabase(dbName);
    }
  });

  it('two store instances racing on one room\'s activity and read mark end at the highest of each', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const [one, two] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
    const [a, b] = ['a'.repeat(24), 'b'.repeat(24)] as const;
    const roomId = dmRoomId(a, b);
    const at = (i: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, i));
    try {
      const touches = Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).conversations.touch(roomId, [a, b], at((i * 17) % 30)));
      const marks = Array.from({ length: 30 }, (_, i) => (i % 2 ? two : one).conversations.markRead(roomId, a, ((i * 13) % 30) + 1));
      const [, results] = await Promise.all([Promise.all(touches), Promise.all(marks)]);
      for (const stores of [one, two]) {
        expect(await stores.conversations.find(roomId)).toEqual({ roomId, memberIds: [a, b], lastActivityAt: at(29) });
        expect(await stores.conversations.readSeq(roomId, a)).toBe(30);
      }
      expect(results.filter((r) => r.seq === 30 && r.moved).length).toBeGreaterThanOrEqual(1);
    } finally {
      await one.close();
      await two.close();
      await dropDatabase(dbName);
    }
  });

  it('two store instances (two servers) interleaving sends in a room that counts authors keep its unread counts exact', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const [one, two] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
    const [alice, bob] = [{ id: 'a'.repeat(24), name: 'Alice' }, { id: 'b'.repeat(24), name: 'Bob' }];
    const roomId = dmRoomId(alice.id, bob.id);
    try {
      // Each instance learns the room's newest entry, then the other moves past it.
      for (let round = 0; round < 3; round += 1) {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? one : two).messages.append(message(`r${round}-${i}`, { roomId, author: i % 3 ? alice : bob, countAuthors: true })),
          ),
        );
      }
      const stream = (await one.messages.since(roomId, { afterSeq: 0, limit: 100 })).messages;
      expect(stream.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      for (const stores of [one, two]) {
        for (let after = 0; after <= 30; after += 1) {
          const bobs = stream.filter((m) => m.seq > after && m.author.id === bob.id).length;
          expect(await stores.messages.countUnread(roomId, { afterSeq: after, excludeAuthorId: alice.id })).toBe(bobs);
        }
      }
    } finally {
      await one.close();
      await two.close();
      await dropDatabase(dbName);
    }
  });

  it('a room stored before it counted authors is counted once, at its next send, and exactly from then on', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
    const [alice, bob] = [{ id: 'a'.repeat(24), name: 'Alice' }, { id: 'b'.repeat(24), name: 'Bob' }];
    const roomId = dmRoomId(alice.id, bob.id);
    try {
      const stores = await openTestStores(dbName);
      try {
        // As an earlier version stored them: no counts.
        const old = [bob, bob, alice, bob].map((author, i) => ({ _id: new mongoose.Types.ObjectId(), roomId, seq: i + 1, clientId: `old-${i}`, author, body: `old ${i}`, createdAt: new Date() }));
        await raw.collection('messages').insertMany(old);
        await raw.collection('messages').updateOne({ _id: old[1]!._id }, { $set: { body: '', recalledAt: new Date() } });
        await raw.collection('messages').insertOne({ roomId, seq: 5, clientId: `recall:${old[1]!._id.toHexString()}`, author: bob, body: '', createdAt: new Date(), recall: { messageId: old[1]!._id.toHexString(), seq: 2 } });
        expect(await stores.messages.countUnread(roomId, { afterSeq: 0, excludeAuthorId: alice.id })).toBe(2);

        const { ops } = await recordOps(() => stores.messages.append(message('new-1', { roomId, author: bob, countAuthors: true })));
        // Counted from the stream in batches, never held whole: a room may be long.
        const recount = ops.filter((op) => op.collection === 'messages' && op.method === 'find');
        expect(recount).toMatchObject([{ filter: { roomId }, options: { batchSize: 1_000 } }]);
        await stores.messages.append(message('new-2', { roomId, author: alice, countAuthors: true }));
        const stored = await raw.collection('messages').find({ roomId, seq: { $gte: 6 } }).sort({ seq: 1 }).toArray();
        expect(stored.map((d) => d.counts)).toEqual([
          { sent: [{ authorId: bob.id, count: 4 }, { authorId: alice.id, count: 1 }], recalls: 1, recentRecalls: [{ seq: 5, target: 2, authorId: bob.id }] },
          { sent: [{ authorId: bob.id, count: 4 }, { authorId: alice.id, count: 2 }], recalls: 1, recentRecalls: [{ seq: 5, target: 2, authorId: bob.id }] },
        ]);
        for (const [after, unread] of [[0, 3], [1, 2], [2, 2], [3, 2], [5, 1], [6, 0], [7, 0]] as const) {
          expect(await stores.messages.countUnread(roomId, { afterSeq: after, excludeAuthorId: alice.id }), `after ${after}`).toBe(unread);
        }
      } finally {
        await stores.close();
      }
    } finally {
      await raw.close();
      await dropDatabase(dbName);
    }
  });

  it('finds users stored before the directory existed by display name', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
    try {
      await raw.collection('users').insertOne({
        username: 'Old', usernameKey: 'old', displayName: 'Ancient Mariner', passwordHash: 'h', createdAt: new Date(),
      });
      const stores = await openTestStores(dbName);
      try {
        expect((await stores.users.search({ prefix: 'ancient', limit: 10 })).map((u) => u.username)).toEqual(['Old']);
      } finally {
        await stores.close();
      }
    } finally {
      await raw.close();
      await dropDatabase(dbName);
    }
  });

  it('refuses documents its schemas reject, and stores nothing', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const stores = await openTestStores(dbName);
    try {
      // The schema is a backstop in UTF-16 units: twice the limit in code points (astral text).
      await expect(stores.messages.append(message('long', { body: 'x'.repeat(LIMITS.bodyMaxLength * 2 + 1) }))).rejects.toThrow(/body/);
      await expect(stores.messages.append(message('no-author', { author: { id: 'not-an-id', name: 'X' } }))).rejects.toThrow(/author/);
      await expect(stores.users.create({ username: 'eve', displayName: '', passwordHash: 'h', createdAt: new Date() })).rejects.toThrow(/displayName/);
      const snapshot = await snapshotDatabase(dbName);
      expect(Object.values(snapshot).flat()).toEqual([]);
    } finally {
      await stores.close();
      await dropDatabase(dbName);
    }
  });

  it('reports not ready once closed', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const stores = await openTestStores(dbName);
    await dropDatabase(dbName);
    await stores.close();
    expect(await stores.isReady()).toBe(false);
  });

  it('gives up on an unreachable server after the connect timeout, with a message naming it but not its password', async () => {
    const port = await closedPort();
    const startedAt = Date.now();
    const opening = createMongoStores(`mongodb://confab:s3cret@127.0.0.1:${port}/confab`, {
      logger: quietLogger,
      connectTimeoutMs: 1_500,
      serverSelectionTimeoutMs: 500,
    });
    await expect(opening).rejects.toThrow(new RegExp(`MongoDB at mongodb://127\\.0\\.0\\.1:${port}/confab was not reachable within 1500 ms`));
    await expect(opening).rejects.not.toThrow(/s3cret/);
    expect(Date.now() - startedAt).toBeLessThan(4_000);
  });
});
