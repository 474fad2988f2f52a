import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { MessageDto, MessagePage } from '@confab/shared';
import { fetchDmHistory, markDmRead, sendDm, syncDm } from '../services/dm';
import type { Result } from '../services/request';
import { ALICE, ALICE_BOB_ROOM, ALICE_USER, BOB, BOB_USER, conversation, message } from '../testing/factories';
import { useConversationsStore } from './conversations';
import { useDmStore } from './dm';
import { useSessionStore } from './session';

vi.mock('../services/dm', () => ({ sendDm: vi.fn(), fetchDmHistory: vi.fn(), syncDm: vi.fn(), markDmRead: vi.fn() }));

const NOTES_ROOM = `dm:${ALICE.id}:${ALICE.id}`;
const dmMessage = (seq: number, overrides: Partial<MessageDto> = {}) => message(seq, { roomId: ALICE_BOB_ROOM, ...overrides });
const page = (messages: MessageDto[], hasMore = false): Result<MessagePage> => ({ ok: true, data: { messages, hasMore } });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('dm store', () => {
  let dm: ReturnType<typeof useDmStore>;

  beforeEach(() => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    dm = useDmStore();
  });

  it('a room talks to its own DM events: history and sync name the room, sends name the peer', async () => {
    vi.mocked(fetchDmHistory).mockResolvedValue(page([dmMessage(1)]));
    vi.mocked(sendDm).mockImplementation(async ({ clientId, body }) => ({ ok: true, data: dmMessage(2, { author: ALICE, clientId, body }) }));
    dm.markConnected();
    const room = dm.activate(ALICE_BOB_ROOM);
    await flush();
    expect(fetchDmHistory).toHaveBeenCalledWith({ roomId: ALICE_BOB_ROOM, limit: 50 });
    expect(room.isLive).toBe(true);

    room.send('hello Bob');
    await flush();
    expect(sendDm).toHaveBeenCalledWith({ to: BOB.id, clientId: expect.any(String), body: 'hello Bob' });
    expect(room.messages.map((m) => m.body)).toEqual(['message 1', 'hello Bob']);
    expect(room.outbox).toEqual([]);

    // Notes-to-self: the peer is ourselves.
    const notes = dm.activate(NOTES_ROOM);
    await flush();
    notes.send('buy milk');
    await flush();
    expect(vi.mocked(sendDm).mock.calls.at(-1)![0]).toMatchObject({ to: ALICE.id, body: 'buy milk' });
    expect(dm.activeRoomId).toBe(NOTES_ROOM);
  });

  it('live messages go to the rooms held here only, and a gap is filled by a sync', async () => {
    vi.mocked(fetchDmHistory).mockResolvedValue(page([dmMessage(1)]));
    vi.mocked(syncDm).mockResolvedValue(page([dmMessage(2), dmMessage(3)]));
    dm.markConnected();
    const room = dm.activate(ALICE_BOB_ROOM);
    await flush();

    dm.receiveLive(dmMessage(3));
    dm.flushLive();
    await flush();
    expect(syncDm).toHaveBeenCalledWith({ roomId: ALICE_BOB_ROOM, afterSeq: 1 });
    expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3]);

    dm.receiveLive(message(1, { roomId: `dm:${ALICE.id}:${'c'.repeat(24)}` }));
    expect(dm.rooms.size).toBe(1);
  });

  it('a burst of removal entries in a DM room goes in as one change at the next frame, every removed message a tombstone', async () => {
    vi.mocked(fetchDmHistory).mockResolvedValue(page(Array.from({ length: 40 }, (_, i) => dmMessage(i + 1))));
    dm.markConnected();
    const room = dm.activate(ALICE_BOB_ROOM);
    await flush();
    const held = room.messages;
    let changes = 0;
    dm.$subscribe(() => (changes += 1), { flush: 'sync' });
    for (let i = 0; i < 40; i += 1) dm.receiveLive(dmMessage(41 + i, { body: '', recall: { messageId: held[i]!.id, seq: i + 1, byModerator: true } }));
    expect(room.messages).toBe(held);
    await vi.waitFor(() => expect(room.messages).toHaveLength(80));
    expect(room.messages.slice(0, 40).every((m) => m.removedByModerator === true && m.body === '')).toBe(true);
    expect(changes).toBe(1);
    expect(syncDm).not.toHaveBeenCalled();
  });

  it('after a reconnect the open room catches up from its last contiguous seq, then resends its outbox under the same clientId', async () => {
    vi.mocked(fetchDmHistory).mockResolvedValue(page([dmMessage(1)]));
    dm.markConnected();
    const room = dm.activate(ALICE_BOB_ROOM);
    await flush();

    dm.markDisconnected();
    expect(room.isLive).toBe(false);
    room.send('written offline');
    await flush();
    expect(sendDm).not.toHaveBeenCalled();
    const { clientId } = room.outbox[0]!;

    vi.mocked(syncDm).mockResolvedValue(page([dmMessage(2, { author: BOB })]));
    vi.mocked(sendDm).mockResolvedValue({ ok: true, data: dmMessage(3, { author: ALICE, clientId, body: 'written offline' }) });
    dm.markConnected();
    await dm.catchUpAll(() => true);
    await flush();
    expect(syncDm).toHaveBeenCalledWith({ roomId: ALICE_BOB_ROOM, afterSeq: 1 });
    expect(vi.mocked(syncDm).mock.invocationCallOrder[0]!).toBeLessThan(vi.mocked(sendDm).mock.invocationCallOrder[0]!);
    expect(vi.mocked(sendDm).mock.calls.map(([p]) => p.clientId)).toEqual([clientId]);
    expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(room.outbox).toEqual([]);
  });

  it('a catch-up that outlived its connection does not release the outbox', async () => {
    let isCurrent = true;
    vi.mocked(fetchDmHistory).mockImplementation(async () => {
      isCurrent = false; // the connection dropped and came back while this was on its way
      return page([]);
    });
    const room = dm.room(ALICE_BOB_ROOM);
    room.send('wait for me');
    dm.markConnected();
    await dm.catchUpAll(() => isCurrent);
    expect(fetchDmHistory).toHaveBeenCalledTimes(1);
    expect(room.isLive).toBe(false);
    expect(sendDm).not.toHaveBeenCalled();
  });

  it('a resync fills gaps in every room held, and resends nothing that failed', async () => {
    vi.mocked(fetchDmHistory).mockResolvedValue(page([dmMessage(1)]));
    vi.mocked(sendDm).mockResolvedValue({ ok: false, error: { code: 'unavailable', message: 'The database is unreachable.' } });
    dm.markConnected();
    const room = dm.activate(ALICE_BOB_ROOM);
    await flush();
    room.send('did not make it');
    await flush();
    expect(room.outbox[0]?.status).toBe('failed');

    vi.mocked(syncDm).mockResolvedValue(page([dmMessage(2, { author: BOB })]));
    await dm.fillGaps();
    await flush();
    expect(syncDm).toHaveBeenCalledWith({ roomId: ALICE_BOB_ROOM, afterSeq: 1 });
    expect(room.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(sendDm).toHaveBeenCalledTimes(1);
    expect(room.outbox[0]?.status).toBe('failed');
  });

  it('marking read tells the server and applies the mark it answers with', async () => {
    const conversations = useConversationsStore();
    conversations.upsert(conversation({ unreadCount: 1 }));
    vi.mocked(markDmRead).mockResolvedValue({ ok: true, data: { roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 1 } });
    expect(await dm.markRead(ALICE_BOB_ROOM, 1)).toBe(true);
    expect(markDmRead).toHaveBeenCalledWith({ roomId: ALICE_BOB_ROOM, seq: 1 });
    expect(conversations.totalUnread).toBe(0);
  });

  it('reset forgets every room and what was open', async () => {
    vi.mocked(fetchDmHistory).mockResolvedValue(page([dmMessage(1)]));
    dm.markConnected();
    dm.activate(ALICE_BOB_ROOM);
    await flush();
    dm.reset();
    expect(dm.rooms.size).toBe(0);
    expect(dm).toMatchObject({ activeRoomId: null, isConnected: false });
  });

  it('after a sign-in, the DMs this user left unsent go out with their clientIds, even in rooms not opened again', async () => {
    const CAROL_ROOM = `dm:${ALICE.id}:${'c'.repeat(24)}`;
    dm.room(ALICE_BOB_ROOM).send('to Bob, offline');
    dm.room(NOTES_ROOM).send('note, offline');
    dm.room(CAROL_ROOM).send('to Carol, offline');
    const clientIds = [ALICE_BOB_ROOM, NOTES_ROOM, CAROL_ROOM].map((id) => dm.room(id).outbox[0]!.clientId);

    // Bob signs in on this browser meanwhile: none of it is his.
    dm.reset();
    useSessionStore().user = BOB_USER;
    dm.restore();
    expect(dm.rooms.size).toBe(0);

    dm.reset();
    useSessionStore().user = ALICE_USER;
    dm.restore();
    expect([...dm.rooms.keys()].sort()).toEqual([ALICE_BOB_ROOM, NOTES_ROOM, CAROL_ROOM].sort());
    vi.mocked(fetchDmHistory).mockResolvedValue(page([]));
    vi.mocked(sendDm).mockImplementation(async ({ clientId, body, to }) => ({ ok: true, data: dmMessage(1, { author: ALICE, clientId, body, roomId: `dm:${ALICE.id}:${to}` }) }));
    dm.markConnected();
    await dm.catchUpAll(() => true);
    await flush();
    expect(vi.mocked(sendDm).mock.calls.map(([p]) => [p.to, p.clientId, p.body]).sort()).toEqual(
      [
        [BOB.id, clientIds[0], 'to Bob, offline'],
        [ALICE.id, clientIds[1], 'note, offline'],
        ['c'.repeat(24), clientIds[2], 'to Carol, offline'],
      ].sort(),
    );
    for (const room of dm.rooms.values()) expect(room.outbox).toEqual([]);
  });
});
