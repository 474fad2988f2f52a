import { dmRoomId, type ConversationDto, type MessageDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/store/memory/index.js';
import type { Stores } from '../src/store/ports.js';
import { eventually, registerUser, type TestUser } from './support/client.js';
import { connectDm, dmRequest, dmRoundTrip, recordDm, type DmClient } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { filteredOps, recordOps } from './support/mongoOps.js';
import { useServer } from './support/server.js';

const harness = useServer();
const sockets: DmClient[] = [];
const closing: Stores[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const stores of closing.splice(0)) await stores.close();
});

/** The stores, with every call to the users, messages and conversations ports counted by `store.method`. */
function counted(stores: Stores) {
  const calls = new Map<string, number>();
  const spy = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(obj, key) {
        const value: unknown = Reflect.get(obj, key, obj);
        if (typeof value !== 'function' || typeof key !== 'string') return value;
        return (...args: unknown[]) => {
          calls.set(`${name}.${key}`, (calls.get(`${name}.${key}`) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  const wrapped: Stores = { ...stores, users: spy('users', stores.users), messages: spy('messages', stores.messages), conversations: spy('conversations', stores.conversations) };
  return { stores: wrapped, calls };
}

async function send(socket: DmClient, to: string, clientId: string): Promise<MessageDto> {
  const ack = await dmRequest<MessageDto>(socket, 'dm:send', { to, clientId, body: `message ${clientId}` });
  if (!ack.ok) throw new Error(`dm:send failed: ${ack.error.code}`);
  return ack.data;
}

/**
 * Alice and Bob with `roomSize` messages between them (Bob has read half), Alice with `others`
 * more conversations; then one more send from Alice, until both have its conversation update.
 */
async function oneSendIn(stores: Stores, roomSize: number, others: number, onSend: (run: () => Promise<void>) => Promise<void>) {
  const server = await harness.start({ stores });
  const alice = await registerUser(server.url, { displayName: 'Alice' });
  const bob = await registerUser(server.url, { displayName: 'Bob' });
  const [aliceTab, bobTab] = await Promise.all([connectDm(server.url, alice), connectDm(server.url, bob)]);
  sockets.push(aliceTab, bobTab);
  const roomId = dmRoomId(alice.user.id, bob.user.id);
  // Bob writes now and then in the first half (each of his sends marks the room read up to it), then reads to the half.
  const isBobs = (i: number) => i % 3 === 0 && i < roomSize / 2 - 1;
  for (let i = 0; i < roomSize; i += 1) await send(isBobs(i) ? bobTab : aliceTab, isBobs(i) ? alice.user.id : bob.user.id, `seed-${i}`);
  await dmRequest(bobTab, 'dm:read', { roomId, seq: Math.ceil(roomSize / 2) });
  for (let i = 0; i < others; i += 1) {
    const other: TestUser = await registerUser(server.url);
    await send(aliceTab, other.user.id, `other-${i}`);
  }
  await Promise.all([aliceTab, bobTab].map(dmRoundTrip));
  const updates = [aliceTab, bobTab].map((tab) => recordDm(tab, 'conversation:update'));
  let message: MessageDto | undefined;
  await onSend(async () => {
    message = await send(aliceTab, bob.user.id, 'measured');
    const isAbout = (c: ConversationDto) => c.lastMessage?.id === message!.id;
    await eventually(() => expect(updates.map((u) => u.some(isAbout))).toEqual([true, true]));
    // A round trip that reads no store: whatever the send made the server emit has arrived.
    await Promise.all([aliceTab, bobTab].map((tab) => dmRequest(tab, 'typing:stop', { roomId })));
  });
  return { updates, message: message! };
}

describe('the cost of a direct message', () => {
  it('a send makes the same few store calls however long the room and however many conversations the sender has', async () => {
    const measure = async (roomSize: number, others: number) => {
      const { stores, calls } = counted(createMemoryStores());
      let during = new Map<string, number>();
      await oneSendIn(stores, roomSize, others, async (run) => {
        calls.clear();
        await run();
        during = new Map(calls);
      });
      return { calls: Object.fromEntries(during) };
    };
    const small = await measure(2, 0);
    const large = await measure(150, 25);
    expect(large.calls).toEqual(small.calls);
    const total = Object.values(large.calls).reduce((a, b) => a + b, 0);
    // Send: the append, the activity, the sender's mark (the peer is known by now). Both views:
    // the room, both marks, the newest entry, the reader's unread count (from stored counts), and
    // the reader's delivery mark, which the sender's view shows (the sender's own is not read: they
    // have read everything, and delivered is never behind read).
    expect(total).toBeLessThanOrEqual(9);
    expect(large.calls['messages.countUnread']).toBe(1);
  });

  it('on MongoDB, a send in a long room reads no range of it: unread counts come from two entries', async () => {
    const stores = await freshTestStores(import.meta.filename);
    closing.push(stores);
    let ops: Awaited<ReturnType<typeof recordOps>>['ops'] = [];
    const { updates, message } = await oneSendIn(stores, 60, 3, async (run) => {
      ({ ops } = await recordOps(run));
    });
    const reads = filteredOps(ops).filter((op) => op.collection === 'messages');
    expect(reads.filter((op) => op.method === 'countDocuments')).toEqual([]);
    // The newest entry (one, newest first) and point lookups of one entry's counts: nothing grows with the room.
    for (const op of reads) expect(op.method === 'findOne' && ((op.options.sort as { seq?: number } | undefined)?.seq === -1 || typeof op.filter.seq === 'number'), JSON.stringify(op)).toBe(true);
    const atBob = updates[1]!.findLast((c) => c.lastMessage?.id === message.id);
    // Bob read the first 30 of 60 (all of his among them); everything after is Alice's, the new one too.
    expect(atBob).toMatchObject({ unreadCount: 31, myReadSeq: 30, peerReadSeq: 61 });
  });
});
