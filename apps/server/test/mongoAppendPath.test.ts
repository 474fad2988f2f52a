import { dmRoomId, type UserDto } from '@confab/shared';
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { createDmService } from '../src/services/dmService.js';
import { duplicateKeyFields } from '../src/store/mongo/driverErrors.js';
import { createMessageService } from '../src/services/messageService.js';
import type { NewMessage, StoredMessage, Stores } from '../src/store/ports.js';
import { dropDatabase, mongoUrl, openTestStores, testDatabaseName } from './support/mongo.js';
import { recordOps, type RecordedOp } from './support/mongoOps.js';
import { expectStoredCountsExact, walkedUnread } from './support/storedCounts.js';

// What each step of sending and reading costs in database operations, with two instances on one
// database: on FerretDB every query but an `_id` lookup reads the whole collection, so a read
// saved is a scan saved.

const alice = { id: 'a'.repeat(24), name: 'Alice' };
const bob = { id: 'b'.repeat(24), name: 'Bob' };
const roomId = dmRoomId(alice.id, bob.id);
const inDm = (author: typeof alice, clientId: string): NewMessage => ({ roomId, clientId, author, body: clientId, createdAt: new Date(), countAuthors: true });
const inLobby = (author: typeof alice, clientId: string): NewMessage => ({ roomId: 'lobby', clientId, author, body: clientId, createdAt: new Date() });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two store instances (two servers) and a plain connection on one fresh database. */
async function twoInstances() {
  const dbName = testDatabaseName(import.meta.filename);
  const [one, two] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
  const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
  cleanups.push(async () => {
    await Promise.all([one.close(), two.close(), raw.close()]);
    await dropDatabase(dbName);
  });
  return { one, two, raw };
}

/** The calls on the messages collection while `run` runs, as `method` or `method(filter keys)`. */
async function messageOps<T>(run: () => Promise<T>): Promise<{ result: T; ops: string[] }> {
  const { result, ops } = await recordOps(run);
  const describe = (op: RecordedOp) => (op.method === 'insertOne' ? op.method : `${op.method}(${Object.keys(op.filter).join(',')}${op.options.sort ? ' newest' : ''})`);
  return { result, ops: ops.filter((op) => op.collection === 'messages').map(describe) };
}

describe('appending with two instances on one database', () => {
  it('after the other instance wrote, a lobby message is stored at the next free seq without reading anything', async () => {
    const { one, two } = await twoInstances();
    await one.messages.append(inLobby(alice, 'one-1'));
    await two.messages.append(inLobby(bob, 'two-1'));
    const { result, ops } = await messageOps(() => one.messages.append(inLobby(alice, 'one-2')));
    // The remembered seq 2 is taken, so 3 has its predecessor.
    expect(ops).toEqual(['insertOne', 'insertOne']);
    expect(result.message.seq).toBe(3);
  });

  it('after the other instance wrote, a DM message reads the newest entry once, and never looks its clientId up', async () => {
    const { one, two, raw } = await twoInstances();
    await one.messages.append(inDm(alice, 'one-1'));
    await two.messages.append(inDm(bob, 'two-1'));
    const { result, ops } = await messageOps(() => one.messages.append(inDm(alice, 'one-2')));
    expect(ops).toEqual(['insertOne', 'findOne(roomId newest)', 'insertOne']);
    expect(result.message.seq).toBe(3);
    await expectStoredCountsExact(raw, roomId);
  });

  it('a retried send returns the original, and the instance still knows the room: the next send is one insert', async () => {
    const { one, two } = await twoInstances();
    const original = (await one.messages.append(inLobby(alice, 'retried'))).message;
    await two.messages.append(inLobby(bob, 'meanwhile'));
    for (const stores of [one, two, one]) expect(await stores.messages.append(inLobby(alice, 'retried'))).toEqual({ message: original, isNew: false });
    const { result, ops } = await messageOps(() => one.messages.append(inLobby(alice, 'next')));
    expect(ops).toEqual(['insertOne']);
    expect(result.message.seq).toBe(3);
  });

  it('the first message of a room this instance never saw is one insert when the room is new', async () => {
    const { one } = await twoInstances();
    const { result, ops } = await messageOps(() => one.messages.append(inDm(alice, 'first')));
    expect(ops).toEqual(['insertOne']);
    expect(result.message.seq).toBe(1);
  });

  it('concurrent sends by both authors on both instances, retries across instances, many recalls and change entries keep every stored count exact', async () => {
    const { one, two, raw } = await twoInstances();
    const recall = async (stores: Stores, target: StoredMessage) => {
      await stores.messages.erase(target.id, new Date());
      return stores.messages.append({ roomId, clientId: `recall:${target.id}`, author: bob, body: '', createdAt: new Date(), recall: { messageId: target.id, seq: target.seq } });
    };
    await one.messages.append(inDm(alice, 'w1'));
    await two.messages.append(inDm(bob, 'w2'));
    for (let round = 0; round < 4; round += 1) {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          // Every fourth repeats the clientId before it, on the other instance.
          const clientId = i % 4 === 3 ? `r${round}-${i - 1}` : `r${round}-${i}`;
          return (i % 2 ? one : two).messages.append(inDm(i % 3 ? bob : alice, clientId));
        }),
      );
      // Three of Bob's recalled on alternating instances, each twice (the second a retry), while Alice sends.
      const bobs = results.filter((r) => r.isNew && r.message.author.id === bob.id).map((r) => r.message).slice(0, 3);
      // Reactions and edits are entries too (that never count), written as the message service writes them.
      const change = (stores: Stores, author: typeof alice, type: 'edit' | 'reaction', target: StoredMessage) =>
        stores.messages.append({ roomId, clientId: `${type}:${round}-${author.name}`, author, body: '', createdAt: new Date(), change: { type, messageId: target.id, seq: target.seq, ...(type === 'reaction' ? { emoji: '👍', added: true } : {}) } });
      const target = results[0]!.message;
      await Promise.all([
        ...bobs.flatMap((m, k) => [recall(k % 2 ? one : two, m), recall(k % 2 ? two : one, m)]),
        one.messages.append(inDm(alice, `a-${round}`)),
        two.messages.append(inDm(alice, `b-${round}`)),
        change(one, bob, 'reaction', target),
        change(two, alice, 'edit', target),
      ]);
    }
    await expectStoredCountsExact(raw, roomId);
    const stream = (await one.messages.since(roomId, { afterSeq: 0, limit: 1_000 })).messages;
    for (const stores of [one, two]) {
      for (let after = 0; after <= stream.length; after += 1) {
        for (const reader of [alice, bob]) {
          expect(await stores.messages.countUnread(roomId, { afterSeq: after, excludeAuthorId: reader.id, throughSeq: stream.length }), `after ${after}`).toBe(
            walkedUnread(stream, reader.id, after),
          );
        }
      }
    }
    // About 300 unread counts checked one by one: 10 s alone on FerretDB, more beside other files.
  }, 60_000);
});

describe('reading a conversation', () => {
  const user = (u: typeof alice): UserDto => ({ id: u.id, username: u.name.toLowerCase(), displayName: u.name });

  it('moving a read mark to a message the instance knows reads no message', async () => {
    const { one, two } = await twoInstances();
    const dms = createDmService({ stores: one, messages: createMessageService({ messages: one.messages, reactions: one.reactions, now: () => new Date(), recallWindowMs: 120_000 }), now: () => new Date() });
    for (let i = 0; i < 3; i += 1) await one.messages.append(inDm(bob, `m${i}`));
    const { result, ops } = await messageOps(() => dms.markRead(user(alice), { roomId, seq: 2 }));
    expect(result).toMatchObject({ ok: true, data: { mark: { seq: 2 } } });
    expect(ops).toEqual([]);
    // Past the newest, the newest is read and the mark stops there.
    expect(await dms.markRead(user(alice), { roomId, seq: 9 })).toMatchObject({ ok: true, data: { mark: { seq: 3 } } });
    // Past what this instance stored, another instance's messages count.
    await two.messages.append(inDm(bob, 'elsewhere'));
    expect(await dms.markRead(user(alice), { roomId, seq: 9 })).toMatchObject({ ok: true, data: { mark: { seq: 4 } } });
  });

  it('a view built on the instance that did not write the room reads the newest entry with its counts: only the mark\'s counts are read besides', async () => {
    const { one, two } = await twoInstances();
    const dms = createDmService({ stores: two, messages: createMessageService({ messages: two.messages, reactions: two.reactions, now: () => new Date(), recallWindowMs: 120_000 }), now: () => new Date() });
    for (let i = 0; i < 6; i += 1) await one.messages.append(inDm(i < 2 ? bob : alice, `m${i}`));
    await one.conversations.touch(roomId, [alice.id, bob.id], new Date());
    await one.conversations.markRead(roomId, bob.id, 3);
    const { result, ops } = await messageOps(() => dms.viewRoom(roomId, [bob.id], [user(alice), user(bob)]));
    expect(result[0]?.conversation).toMatchObject({ unreadCount: 3, myReadSeq: 3, lastMessage: { seq: 6 } });
    expect(ops).toEqual(['findOne(roomId newest)', 'findOne(roomId,seq)']);
  });
});

describe('which unique index refused an insert', () => {
  const { MongoServerError } = mongoose.mongo;

  it('is known when the server names it (MongoDB), so a retried send needs no head read; unknown on FerretDB', async () => {
    const named = new MongoServerError({ message: 'E11000 duplicate key error', code: 11000, keyPattern: { 'author.id': 1, clientId: 1 }, keyValue: {} });
    expect(duplicateKeyFields(named)).toEqual(['author.id', 'clientId']);
    expect(duplicateKeyFields(new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 }))).toBeNull();
    // What the server under test says.
    const { one, raw } = await twoInstances();
    await one.messages.append(inLobby(alice, 'x'));
    const refused = await raw.collection('messages').insertOne({ roomId: 'lobby', seq: 1, clientId: 'y', author: alice }).catch((err: unknown) => err);
    const fields = duplicateKeyFields(refused);
    expect(fields === null || fields.includes('seq')).toBe(true);
  });
});
