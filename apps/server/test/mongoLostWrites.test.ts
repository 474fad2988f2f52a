import { dmRoomId } from '@confab/shared';
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewMessage, Stores } from '../src/store/ports.js';
import { eventually } from './support/client.js';
import { startCuttableProxy, type CuttableProxy } from './support/cuttableProxy.js';
import { portOf } from './support/ferretdb.js';
import { dropDatabase, mongoUrl, openTestStores, testDatabaseName } from './support/mongo.js';
import { expectStoredCountsExact } from './support/storedCounts.js';

// A database that loses writes it acknowledged (a crash with the default write concern, a failover
// that rolls back, a restored backup) while a Confab instance keeps running. The instance under
// test reaches the database through a link the test cuts: it sees the connection go and come
// back, as it would see a crash or a failover, while the entries are lost behind it.

const alice = { id: 'a'.repeat(24), name: 'Alice' };
const bob = { id: 'b'.repeat(24), name: 'Bob' };
const roomId = dmRoomId(alice.id, bob.id);
const sent = (author: typeof alice, clientId: string, room = roomId): NewMessage => ({ roomId: room, clientId, author, body: clientId, createdAt: new Date(), countAuthors: true });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `one` behind a cuttable link, `two` (another instance) and `raw` connected directly, on one fresh database. */
async function setUp() {
  const dbName = testDatabaseName(import.meta.filename);
  const link: CuttableProxy = await startCuttableProxy(portOf(mongoUrl()));
  const one = await openTestStores(dbName, { url: link.url, heartbeatFrequencyMs: 200, serverSelectionTimeoutMs: 500 });
  const two = await openTestStores(dbName);
  const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
  cleanups.push(async () => {
    await Promise.all([one.close(), two.close(), raw.close()]);
    await link.close();
    await dropDatabase(dbName);
  });
  /** The database loses `seq > keep` of the room while `one` is cut off from it. */
  async function loseEntriesBehind(stores: Stores, keep: number, meanwhile: () => Promise<void> = async () => {}) {
    link.cut();
    await eventually(async () => expect(await stores.isReady()).toBe(false), 10_000);
    await raw.collection('messages').deleteMany({ roomId, seq: { $gt: keep } });
    await meanwhile();
    link.restore();
    await eventually(async () => expect(await stores.isReady()).toBe(true), 10_000);
  }
  return { one, two, raw, loseEntriesBehind };
}

describe('when the database loses acknowledged writes', () => {
  it('the next append takes the seq after what the database holds: no gap', async () => {
    const { one, raw, loseEntriesBehind } = await setUp();
    for (let i = 0; i < 5; i += 1) await one.messages.append(sent(i % 2 ? bob : alice, `m${i}`));
    await loseEntriesBehind(one, 3);
    expect((await one.messages.append(sent(alice, 'after'))).message.seq).toBe(4);
    await expectStoredCountsExact(raw, roomId);
  });

  it('unread counts and the counts stored with later entries come from what the database holds, not from lost entries', async () => {
    const { one, two, raw, loseEntriesBehind } = await setUp();
    for (let i = 0; i < 5; i += 1) await one.messages.append(sent(alice, `m${i}`));
    // Alice's 4 and 5 are lost; another instance, which never saw them, stores Bob's 4 and 5.
    await loseEntriesBehind(one, 3, async () => {
      await two.messages.append(sent(bob, 'b4'));
      await two.messages.append(sent(bob, 'b5'));
    });
    expect(await one.messages.countUnread(roomId, { afterSeq: 3, excludeAuthorId: alice.id, throughSeq: 5 })).toBe(2);
    await one.messages.append(sent(alice, 'a6'));
    await expectStoredCountsExact(raw, roomId);
    expect(await one.messages.countUnread(roomId, { afterSeq: 3, excludeAuthorId: alice.id })).toBe(2);
  });

  it('without a break in the connection (a restore while connected), a head read that finds fewer entries than were stored forgets every room', async () => {
    const { one, raw } = await setUp();
    const other = dmRoomId(alice.id, 'c'.repeat(24));
    for (let i = 0; i < 5; i += 1) await one.messages.append(sent(alice, `m${i}`));
    for (let i = 0; i < 3; i += 1) await one.messages.append(sent(alice, `o${i}`, other));
    await raw.collection('messages').deleteMany({ $or: [{ roomId, seq: { $gt: 3 } }, { roomId: other, seq: 3 }] });
    // A conversation view reads the room's newest entry and finds 3 where 5 were stored.
    expect((await one.messages.newest(roomId))?.seq).toBe(3);
    expect((await one.messages.append(sent(alice, 'o3', other))).message.seq).toBe(3);
    await expectStoredCountsExact(raw, other);
  });
});
