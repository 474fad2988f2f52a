import { dmRoomId, type ConversationPage, type MessageDto, type MessagePage } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/testing.js';
import type { Stores } from '../src/store/ports.js';
import { connectLobby, recordMessages, registerUser, request, roundTrip, settle } from './support/client.js';
import { connectDm, dmRequest, recordDm, type DmClient } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { useServer } from './support/server.js';

const harness = useServer();
const opened: { stores: Stores[]; dms: DmClient[] } = { stores: [], dms: [] };
afterEach(async () => {
  for (const socket of opened.dms.splice(0)) socket.disconnect();
  for (const stores of opened.stores.splice(0)) await stores.close();
});

const storeKinds: [string, () => Promise<Stores>][] = [
  ['memory', async () => createMemoryStores()],
  ['mongodb', () => freshTestStores(import.meta.filename)],
];

describe.each(storeKinds)('recall (%s store)', (_kind, makeStores) => {
  /** A lobby with Alice and Bob, a clock the test moves, and one message from Alice. */
  async function lobbyWithMessage() {
    const stores = await makeStores();
    opened.stores.push(stores);
    let now = Date.now();
    const clock = {
      advance: (ms: number) => {
        now += ms;
      },
    };
    const server = await harness.start({ stores, now: () => new Date(now) });
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    const bob = await registerUser(server.url, { displayName: 'Bob' });
    const aliceTab = harness.track(await connectLobby(server.url, alice));
    const bobTab = harness.track(await connectLobby(server.url, bob));
    const sent = await request<MessageDto>(aliceTab, 'message:send', { clientId: 'to-recall', body: 'oops, wrong room' });
    if (!sent.ok) throw new Error(sent.error.code);
    await roundTrip(bobTab); // the send's own broadcast has arrived before any test records
    return { server, stores, clock, alice, bob, aliceTab, bobTab, message: sent.data };
  }

  it('by the author inside the window: erased in storage, tombstoned live and in history', async () => {
    const { stores, aliceTab, bobTab, message } = await lobbyWithMessage();
    const atBob = recordMessages(bobTab);

    const ack = await request<MessageDto>(aliceTab, 'message:recall', { id: message.id });

    expect(ack).toMatchObject({ ok: true, data: { roomId: 'lobby', seq: 2, body: '', recall: { messageId: message.id, seq: 1 } } });
    await roundTrip(bobTab);
    expect(atBob).toEqual([ack.ok && ack.data]);
    const stored = await stores.messages.findById(message.id);
    expect(stored).toMatchObject({ id: message.id, body: '', recalledAt: expect.any(String) });
    expect(JSON.stringify(await stores.messages.history('lobby', { limit: 10 }))).not.toContain('oops');
    const history = await request<MessagePage>(bobTab, 'message:history', { limit: 10 });
    expect(history.ok && history.data.messages[0]).toMatchObject({ id: message.id, body: '', recalledAt: expect.any(String) });
  });

  it('works even when the author sent a message whose clientId looks like a recall entry\'s', async () => {
    const { aliceTab, bobTab, message } = await lobbyWithMessage();
    for (const clientId of [`recall_${message.id}`, `recall-${message.id}`]) {
      expect(await request(aliceTab, 'message:send', { clientId, body: 'a decoy' })).toMatchObject({ ok: true });
    }
    await roundTrip(bobTab);
    const atBob = recordMessages(bobTab);

    const ack = await request<MessageDto>(aliceTab, 'message:recall', { id: message.id });

    expect(ack).toMatchObject({ ok: true, data: { seq: 4, body: '', recall: { messageId: message.id, seq: 1 } } });
    await roundTrip(bobTab);
    expect(atBob).toEqual([ack.ok && ack.data]);
  });

  it('is idempotent: a second recall acks the same entry and broadcasts nothing', async () => {
    const { aliceTab, bobTab, message } = await lobbyWithMessage();
    const atBob = recordMessages(bobTab);
    const first = await request<MessageDto>(aliceTab, 'message:recall', { id: message.id });
    const again = await request<MessageDto>(aliceTab, 'message:recall', { id: message.id });
    expect(again).toEqual(first);
    await roundTrip(bobTab);
    await settle();
    expect(atBob).toHaveLength(1);
  });

  it('is refused for another user, after the window, and for unknown ids, with nothing changed', async () => {
    const { stores, clock, aliceTab, bobTab, message } = await lobbyWithMessage();
    const before = await stores.messages.history('lobby', { limit: 10 });

    expect(await request(bobTab, 'message:recall', { id: message.id })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only the author can recall a message.' },
    });
    expect(await request(aliceTab, 'message:recall', { id: '0123456789abcdef01234567' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await request(aliceTab, 'message:recall', { id: { $gt: '' } })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'id' } });
    clock.advance(121_000);
    expect(await request(aliceTab, 'message:recall', { id: message.id })).toMatchObject({ ok: false, error: { code: 'recall_window_expired' } });

    expect(await stores.messages.history('lobby', { limit: 10 })).toEqual(before);
    expect((await stores.messages.findById(message.id))?.body).toBe('oops, wrong room');
  });

  it('reaches a client that was offline: catching up brings the recall entry, in order', async () => {
    const { server, bob, aliceTab, bobTab, message } = await lobbyWithMessage();
    const held = await roundTrip(bobTab);
    expect(held.map((m) => m.seq)).toEqual([1]);
    bobTab.disconnect();
    await request(aliceTab, 'message:recall', { id: message.id });

    const back = harness.track(await connectLobby(server.url, bob));
    const sync = await request<MessagePage>(back, 'message:sync', { afterSeq: 1 });
    expect(sync).toMatchObject({ ok: true, data: { messages: [{ seq: 2, body: '', recall: { messageId: message.id } }], hasMore: false } });
  });

  it('in a DM: only a participant finds it, the peer hears it, and it stops counting as unread', async () => {
    const stores = await makeStores();
    opened.stores.push(stores);
    const server = await harness.start({ stores });
    const [alice, bob, carol] = await Promise.all(['Alice', 'Bob', 'Carol'].map((displayName) => registerUser(server.url, { displayName })));
    const [aliceDm, bobDm, carolDm] = await Promise.all([alice!, bob!, carol!].map((u) => connectDm(server.url, u)));
    opened.dms.push(aliceDm!, bobDm!, carolDm!);
    const sent = await dmRequest<MessageDto>(aliceDm!, 'dm:send', { to: bob!.user.id, clientId: 'dm-recall', body: 'secret' });
    if (!sent.ok) throw new Error(sent.error.code);
    const unread = async () => {
      const list = await dmRequest<ConversationPage>(bobDm!, 'dm:conversations', {});
      return list.ok ? list.data.conversations[0]?.unreadCount : -1;
    };
    expect(await unread()).toBe(1);
    const atBob = recordDm(bobDm!, 'dm:message');

    expect(await dmRequest(carolDm!, 'message:recall', { id: sent.data.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const ack = await dmRequest<MessageDto>(aliceDm!, 'message:recall', { id: sent.data.id });

    expect(ack).toMatchObject({ ok: true, data: { roomId: dmRoomId(alice!.user.id, bob!.user.id), recall: { messageId: sent.data.id } } });
    expect(await unread()).toBe(0);
    expect(atBob).toEqual([ack.ok && ack.data]);
    const history = await dmRequest<MessagePage>(bobDm!, 'dm:history', { roomId: sent.data.roomId, limit: 10 });
    expect(history.ok && history.data.messages[0]).toMatchObject({ body: '', recalledAt: expect.any(String) });
  });
});
