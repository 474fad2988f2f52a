import { dmRoomId, type ConversationDto, type ConversationPage, type MessageDto, type MessagePage, type ReadMarkDto, type UserPage } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/store/memory/index.js';
import type { Stores } from '../src/store/ports.js';
import { connectLobby, eventually, registerUser, request, roundTrip, settle, type TestUser } from './support/client.js';
import { connectDm, dmRequest, dmRoundTrip, recordDm, type DmClient } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { useServer } from './support/server.js';

const harness = useServer();
const sockets: DmClient[] = [];
const closing: Stores[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const stores of closing.splice(0)) await stores.close();
});

async function connect(url: string, user: TestUser): Promise<DmClient> {
  const socket = await connectDm(url, user);
  sockets.push(socket);
  return socket;
}

async function send(socket: DmClient, to: string, clientId: string, body: string): Promise<MessageDto> {
  const ack = await dmRequest<MessageDto>(socket, 'dm:send', { to, clientId, body });
  if (!ack.ok) throw new Error(`dm:send failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

async function conversations(socket: DmClient): Promise<ConversationDto[]> {
  const ack = await dmRequest<ConversationPage>(socket, 'dm:conversations', {});
  if (!ack.ok) throw new Error(`dm:conversations failed: ${ack.error.code}`);
  return ack.data.conversations;
}

async function threeUsers() {
  const server = await harness.start();
  const alice = await registerUser(server.url, { displayName: 'Alice' });
  const bob = await registerUser(server.url, { displayName: 'Bob' });
  const carol = await registerUser(server.url, { displayName: 'Carol' });
  return { server, alice, bob, carol, roomId: dmRoomId(alice.user.id, bob.user.id) };
}

describe('sending a direct message', () => {
  it('acks the stored message and delivers it once to every tab of both participants, and to nobody else', async () => {
    const { server, alice, bob, carol, roomId } = await threeUsers();
    const [aliceTab1, aliceTab2, bobTab1, bobTab2, carolTab] = await Promise.all([
      connect(server.url, alice),
      connect(server.url, alice),
      connect(server.url, bob),
      connect(server.url, bob),
      connect(server.url, carol),
    ]);
    const received = [aliceTab1, aliceTab2, bobTab1, bobTab2, carolTab].map((s) => recordDm(s, 'dm:message'));
    const updatesAtBob = recordDm(bobTab1, 'conversation:update');

    const message = await send(aliceTab1, bob.user.id, 'dm-1', ' hi Bob ');

    expect(message).toMatchObject({ roomId, seq: 1, clientId: 'dm-1', author: { id: alice.user.id, name: 'Alice' }, body: 'hi Bob' });
    await Promise.all([aliceTab1, aliceTab2, bobTab1, bobTab2, carolTab].map(dmRoundTrip));
    expect(received.slice(0, 4)).toEqual([[message], [message], [message], [message]]);
    expect(received[4]).toEqual([]);
    await eventually(() => expect(updatesAtBob.at(-1)).toMatchObject({ roomId, unreadCount: 1, peer: { id: alice.user.id }, lastMessage: { id: message.id } }));
  });

  it('a retry with the same clientId returns the original and delivers nothing again', async () => {
    const { server, alice, bob } = await threeUsers();
    const [aliceTab, bobTab] = await Promise.all([connect(server.url, alice), connect(server.url, bob)]);
    const atBob = recordDm(bobTab, 'dm:message');
    const first = await send(aliceTab, bob.user.id, 'same', 'once');
    const again = await send(aliceTab, bob.user.id, 'same', 'once');
    expect(again).toEqual(first);
    await dmRoundTrip(bobTab);
    await settle();
    expect(atBob).toHaveLength(1);
  });

  it('refuses a clientId the author already used in another room, and stores nothing', async () => {
    const { server, alice, bob, carol } = await threeUsers();
    const aliceTab = await connect(server.url, alice);
    const lobby = await connectLobby(server.url, alice);
    try {
      await send(aliceTab, bob.user.id, 'reused', 'to bob');
      const toCarol = await dmRequest(aliceTab, 'dm:send', { to: carol.user.id, clientId: 'reused', body: 'to carol' });
      expect(toCarol).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'clientId' } });
      const inLobby = await request(lobby, 'message:send', { clientId: 'reused', body: 'to everyone' });
      expect(inLobby).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'clientId' } });
      expect(await conversations(aliceTab)).toEqual([expect.objectContaining({ peer: bob.user })]);
      expect(await roundTrip(lobby)).toEqual([]);
    } finally {
      lobby.disconnect();
    }
  });

  it('reaches an offline recipient at their next connect, with the unread count', async () => {
    const { server, alice, bob, roomId } = await threeUsers();
    const aliceTab = await connect(server.url, alice);
    for (const [i, body] of ['one', 'two', 'three'].entries()) await send(aliceTab, bob.user.id, `off-${i}`, body);

    const bobTab = await connect(server.url, bob);
    const list = await conversations(bobTab);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ roomId, peer: { id: alice.user.id, displayName: 'Alice' }, unreadCount: 3, myReadSeq: 0, lastMessage: { body: 'three', seq: 3 } });
    const history = await dmRequest<MessagePage>(bobTab, 'dm:history', { roomId, limit: 50 });
    expect(history.ok && history.data.messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    const sync = await dmRequest<MessagePage>(bobTab, 'dm:sync', { roomId, afterSeq: 1 });
    expect(sync.ok && sync.data.messages.map((m) => m.seq)).toEqual([2, 3]);
    // One's own messages are never unread.
    expect((await conversations(aliceTab))[0]).toMatchObject({ unreadCount: 0, myReadSeq: 3 });
  });

  it('lists conversations by last activity, newest first, and pages them', async () => {
    const { server, alice, bob, carol } = await threeUsers();
    const aliceTab = await connect(server.url, alice);
    await send(aliceTab, bob.user.id, 'o-1', 'to bob');
    await new Promise((r) => setTimeout(r, 5));
    await send(aliceTab, carol.user.id, 'o-2', 'to carol');
    expect((await conversations(aliceTab)).map((c) => c.peer.displayName)).toEqual(['Carol', 'Bob']);
    await new Promise((r) => setTimeout(r, 5));
    await send(await connect(server.url, bob), alice.user.id, 'o-3', 'bob again');
    expect((await conversations(aliceTab)).map((c) => c.peer.displayName)).toEqual(['Bob', 'Carol']);

    const first = await dmRequest<ConversationPage>(aliceTab, 'dm:conversations', { limit: 1 });
    expect(first.ok && first.data.conversations.map((c) => c.peer.displayName)).toEqual(['Bob']);
    const cursor = first.ok ? first.data.nextCursor : undefined;
    expect(cursor).toBeTypeOf('string');
    const second = await dmRequest<ConversationPage>(aliceTab, 'dm:conversations', { limit: 1, cursor });
    expect(second.ok && second.data).toEqual({ conversations: [expect.objectContaining({ peer: expect.objectContaining({ displayName: 'Carol' }) })] });
  });

  it('allows notes to self, which are never unread', async () => {
    const { server, alice } = await threeUsers();
    const aliceTab = await connect(server.url, alice);
    const note = await send(aliceTab, alice.user.id, 'self-1', 'buy milk');
    expect(note.roomId).toBe(dmRoomId(alice.user.id, alice.user.id));
    expect(await conversations(aliceTab)).toEqual([expect.objectContaining({ peer: alice.user, unreadCount: 0 })]);
  });
});

describe('read state', () => {
  it('syncs across the reader\'s tabs, lowers the unread count, and shows the sender "Seen"', async () => {
    const { server, alice, bob, roomId } = await threeUsers();
    const [aliceTab, bobTab1, bobTab2] = await Promise.all([connect(server.url, alice), connect(server.url, bob), connect(server.url, bob)]);
    for (let i = 1; i <= 3; i += 1) await send(aliceTab, bob.user.id, `r-${i}`, `m${i}`);
    const readsAtBobTab2 = recordDm(bobTab2, 'dm:read');
    const readsAtAlice = recordDm(aliceTab, 'dm:read');
    const updatesAtBobTab2 = recordDm(bobTab2, 'conversation:update');

    const ack = await dmRequest<ReadMarkDto>(bobTab1, 'dm:read', { roomId, seq: 2 });

    expect(ack).toEqual({ ok: true, data: { roomId, userId: bob.user.id, seq: 2 } });
    await eventually(() => expect(readsAtBobTab2).toEqual([{ roomId, userId: bob.user.id, seq: 2 }]));
    await eventually(() => expect(readsAtAlice).toEqual([{ roomId, userId: bob.user.id, seq: 2 }]));
    await eventually(() => expect(updatesAtBobTab2.at(-1)).toMatchObject({ roomId, unreadCount: 1, myReadSeq: 2 }));
    expect((await conversations(bobTab2))[0]).toMatchObject({ unreadCount: 1, myReadSeq: 2 });
    expect((await conversations(aliceTab))[0]).toMatchObject({ peerReadSeq: 2 });
  });

  it('never moves back, never passes the newest message, and never goes negative', async () => {
    const { server, alice, bob, roomId } = await threeUsers();
    const [aliceTab, bobTab] = await Promise.all([connect(server.url, alice), connect(server.url, bob)]);
    await send(aliceTab, bob.user.id, 'n-1', 'm1');
    await send(aliceTab, bob.user.id, 'n-2', 'm2');

    expect(await dmRequest(bobTab, 'dm:read', { roomId, seq: 99 })).toMatchObject({ ok: true, data: { seq: 2 } });
    expect(await dmRequest(bobTab, 'dm:read', { roomId, seq: 1 })).toMatchObject({ ok: true, data: { seq: 2 } });
    expect((await conversations(bobTab))[0]).toMatchObject({ unreadCount: 0, myReadSeq: 2 });
    // A later message is unread again, counted from the mark, not from zero.
    await send(aliceTab, bob.user.id, 'n-3', 'm3');
    expect((await conversations(bobTab))[0]).toMatchObject({ unreadCount: 1 });
  });
});

describe('the user directory', () => {
  it('finds users by username or display name prefix, pages them, and never lists password data', async () => {
    const server = await harness.start();
    const tag = `dir${Date.now().toString(36)}`;
    const users = await Promise.all(['a', 'b', 'c'].map((s) => registerUser(server.url, { username: `${tag}_${s}`, displayName: `Person ${s}` })));
    await registerUser(server.url, { username: `x${tag}`, displayName: `Zed ${tag}` });
    const socket = await connect(server.url, users[0]!);

    const first = await dmRequest<UserPage>(socket, 'user:search', { query: tag.toUpperCase(), limit: 2 });
    expect(first.ok && first.data.users.map((u) => u.username)).toEqual([`${tag}_a`, `${tag}_b`]);
    const next = await dmRequest<UserPage>(socket, 'user:search', { query: tag, limit: 2, cursor: first.ok ? first.data.nextCursor : '' });
    expect(next.ok && next.data).toEqual({ users: [expect.objectContaining({ username: `${tag}_c` })] });
    const byName = await dmRequest<UserPage>(socket, 'user:search', { query: `zed ${tag}` });
    expect(byName.ok && byName.data.users.map((u) => u.username)).toEqual([`x${tag}`]);
    for (const user of [...(first.ok ? first.data.users : []), ...(byName.ok ? byName.data.users : [])]) {
      expect(Object.keys(user).sort()).toEqual(['displayName', 'id', 'username']);
    }
  });

  it('treats the query as text, not as a pattern', async () => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const socket = await connect(server.url, alice);
    const res = await dmRequest<UserPage>(socket, 'user:search', { query: '.*' });
    expect(res).toEqual({ ok: true, data: { users: [] } });
  });

  it('opens the conversation with a user by name, even before any message', async () => {
    const { server, alice, bob, roomId } = await threeUsers();
    const aliceTab = await connect(server.url, alice);
    const res = await dmRequest<ConversationDto>(aliceTab, 'dm:open', { username: bob.user.username.toUpperCase() });
    expect(res).toMatchObject({ ok: true, data: { roomId, peer: bob.user, lastMessage: null, unreadCount: 0 } });
    expect(await dmRequest(aliceTab, 'dm:open', { username: 'nobody-here' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await conversations(aliceTab)).toEqual([]);
  });
});

describe.each([
  ['memory', async () => createMemoryStores()],
  ['mongodb', () => freshTestStores(import.meta.filename)],
] as [string, () => Promise<Stores>][])('under concurrency (%s store)', (_kind, makeStores) => {
  it('sends from every tab of both participants, reads and a recall leave exact unread counts, marks and newest messages in every list and last update', async () => {
    const stores = await makeStores();
    closing.push(stores);
    const server = await harness.start({ stores });
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    const bob = await registerUser(server.url, { displayName: 'Bob' });
    const roomId = dmRoomId(alice.user.id, bob.user.id);
    const notesId = dmRoomId(alice.user.id, alice.user.id);
    const tabs = { alice: [await connect(server.url, alice), await connect(server.url, alice)], bob: [await connect(server.url, bob), await connect(server.url, bob)] };
    const updates = [...tabs.alice, ...tabs.bob].map((tab) => recordDm(tab, 'conversation:update'));
    const toRecall = await send(tabs.alice[0]!, bob.user.id, 'first', 'to be recalled');

    // Every tab sends at once; Bob reads as messages arrive (each read clamped to the newest then); Alice recalls one and writes notes to self.
    const sending = [...tabs.alice.map((tab) => [tab, bob.user.id] as const), ...tabs.bob.map((tab) => [tab, alice.user.id] as const)].map(
      async ([tab, to], t) => {
        for (let i = 0; i < 6; i += 1) await send(tab, to, `t${t}-${i}`, `tab ${t} #${i}`);
      },
    );
    const reading = (async () => {
      for (const seq of [3, 9, 5, 14]) expect(await dmRequest(tabs.bob[1]!, 'dm:read', { roomId, seq })).toMatchObject({ ok: true });
    })();
    const recalling = dmRequest(tabs.alice[1]!, 'message:recall', { id: toRecall.id });
    const notes = Promise.all([0, 1, 2].map((i) => send(tabs.alice[i % 2]!, alice.user.id, `note-${i}`, `note ${i}`)));
    await Promise.all([...sending, reading, recalling, notes]);

    const history = await dmRequest<MessagePage>(tabs.alice[0]!, 'dm:history', { roomId, limit: 100 });
    const stream = history.ok ? history.data.messages : [];
    expect(stream.map((m) => m.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    const recalled = new Set(stream.filter((m) => m.recall).map((m) => m.recall!.messageId));
    const unreadBy = (readerId: string, mark: number) => stream.filter((m) => m.seq > mark && !m.recall && m.author.id !== readerId && !recalled.has(m.id)).length;
    const listed = async (tab: DmClient) => {
      const page = await dmRequest<ConversationPage>(tab, 'dm:conversations', {});
      return page.ok ? page.data.conversations : [];
    };
    const [aliceList, bobList] = [await listed(tabs.alice[0]!), await listed(tabs.bob[0]!)];
    const [atAlice, atBob] = [aliceList.find((c) => c.roomId === roomId)!, bobList.find((c) => c.roomId === roomId)!];
    // Each one's mark is at least their own newest message there (writing is reading).
    const newestOf = (userId: string) => Math.max(...stream.filter((m) => m.author.id === userId && !m.recall).map((m) => m.seq));
    expect(atAlice.myReadSeq).toBeGreaterThanOrEqual(newestOf(alice.user.id));
    expect(atBob.myReadSeq).toBeGreaterThanOrEqual(newestOf(bob.user.id));
    expect(atAlice).toMatchObject({ lastMessage: stream.at(-1), peerReadSeq: atBob.myReadSeq, unreadCount: unreadBy(alice.user.id, atAlice.myReadSeq) });
    expect(atBob).toMatchObject({ lastMessage: stream.at(-1), peerReadSeq: atAlice.myReadSeq, unreadCount: unreadBy(bob.user.id, atBob.myReadSeq) });
    expect(aliceList.find((c) => c.roomId === notesId)).toMatchObject({ unreadCount: 0, lastMessage: { clientId: expect.stringMatching(/^note-/) } });

    // The last update every tab heard for the room is what the list says now.
    const lastFor = (i: number, id: string) => updates[i]!.filter((c) => c.roomId === id).at(-1);
    await eventually(() => {
      expect([0, 1].map((i) => lastFor(i, roomId))).toEqual([atAlice, atAlice]);
      expect([2, 3].map((i) => lastFor(i, roomId))).toEqual([atBob, atBob]);
      expect([0, 1].map((i) => lastFor(i, notesId))).toEqual([1, 1].map(() => aliceList.find((c) => c.roomId === notesId)));
    });
  });
});
