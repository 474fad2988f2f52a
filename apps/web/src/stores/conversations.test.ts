import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ConversationPage } from '@confab/shared';
import { fetchConversations, openDm } from '../services/dm';
import type { Result } from '../services/request';
import { ALICE, ALICE_BOB_ROOM, ALICE_USER, conversation, message } from '../testing/factories';
import { useConversationsStore } from './conversations';
import { useSessionStore } from './session';

vi.mock('../services/dm', () => ({ fetchConversations: vi.fn(), openDm: vi.fn() }));

const CAROL = { id: 'c'.repeat(24), username: 'carol', displayName: 'Carol Chu' };
const CAROL_ROOM = `dm:${ALICE.id}:${CAROL.id}`;
const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, second)).toISOString();
const page = (data: ConversationPage): Result<ConversationPage> => ({ ok: true, data });

describe('conversations store', () => {
  let store: ReturnType<typeof useConversationsStore>;

  beforeEach(() => {
    vi.resetAllMocks();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    store = useConversationsStore();
  });

  it('refresh walks every page of the list', async () => {
    const carol = conversation({ roomId: CAROL_ROOM, peer: CAROL, lastActivityAt: at(9), unreadCount: 2 });
    vi.mocked(fetchConversations)
      .mockResolvedValueOnce(page({ conversations: [carol], nextCursor: 'next' }))
      .mockResolvedValueOnce(page({ conversations: [conversation()] }));
    expect(await store.refresh()).toBe(true);
    expect(vi.mocked(fetchConversations).mock.calls.map(([p]) => p)).toEqual([{}, { cursor: 'next' }]);
    expect(store.list.map((c) => c.roomId)).toEqual([CAROL_ROOM, ALICE_BOB_ROOM]);
    expect(store.totalUnread).toBe(3);
    expect(store.loadStatus).toBe('done');
  });

  it('a live update replaces the entry and moves it to the top', async () => {
    vi.mocked(fetchConversations).mockResolvedValueOnce(
      page({ conversations: [conversation({ roomId: CAROL_ROOM, peer: CAROL, lastActivityAt: at(9), unreadCount: 0 }), conversation()] }),
    );
    await store.refresh();
    store.upsert(conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM }), lastActivityAt: at(20), unreadCount: 2 }));
    expect(store.list.map((c) => [c.peer.username, c.unreadCount])).toEqual([
      ['bob', 2],
      ['carol', 0],
    ]);
    expect(store.totalUnread).toBe(2);
  });

  it('a list page asked for before an update but answered after it does not undo the update', async () => {
    let answer!: (value: Result<ConversationPage>) => void;
    vi.mocked(fetchConversations).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const refreshing = store.refresh();
    const fresh = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM }), lastActivityAt: at(2), unreadCount: 2 });
    store.upsert(fresh);
    answer(page({ conversations: [conversation()] }));
    await refreshing;
    expect(store.byRoomId[ALICE_BOB_ROOM]).toEqual(fresh);
  });

  it('read marks clear our unread count (from our other tabs too) and move the peer\'s "Seen"', () => {
    store.upsert(conversation({ peerReadSeq: 0 }));
    store.applyMark({ roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 1 });
    expect(store.byRoomId[ALICE_BOB_ROOM]).toMatchObject({ myReadSeq: 1, unreadCount: 0 });
    expect(store.totalUnread).toBe(0);
    store.applyMark({ roomId: ALICE_BOB_ROOM, userId: 'b'.repeat(24), seq: 1 });
    expect(store.byRoomId[ALICE_BOB_ROOM]!.peerReadSeq).toBe(1);
    // A mark for a room we do not hold is ignored.
    store.applyMark({ roomId: CAROL_ROOM, userId: ALICE.id, seq: 5 });
    expect(store.byRoomId[CAROL_ROOM]).toBeUndefined();
  });

  it('the peer\'s delivery marks move "Delivered" forward only; our own devices\' marks change nothing', () => {
    store.upsert(conversation({ peerReadSeq: 0, peerDeliveredSeq: 0, lastMessage: message(3, { roomId: ALICE_BOB_ROOM, author: ALICE }) }));
    store.applyDelivered({ roomId: ALICE_BOB_ROOM, userId: 'b'.repeat(24), seq: 3 });
    expect(store.byRoomId[ALICE_BOB_ROOM]!.peerDeliveredSeq).toBe(3);
    store.applyDelivered({ roomId: ALICE_BOB_ROOM, userId: 'b'.repeat(24), seq: 2 });
    store.applyDelivered({ roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 9 });
    expect(store.byRoomId[ALICE_BOB_ROOM]!.peerDeliveredSeq).toBe(3);
    // A list page read before the mark moved cannot take it back.
    store.upsert(conversation({ peerReadSeq: 0, peerDeliveredSeq: 1, lastMessage: message(4, { roomId: ALICE_BOB_ROOM, author: ALICE }) }));
    expect(store.byRoomId[ALICE_BOB_ROOM]).toMatchObject({ peerDeliveredSeq: 3, lastMessage: { seq: 4 } });
  });

  it('opening someone nobody wrote to yet keeps them off the list, but findable by username in any case', async () => {
    const empty = conversation({ roomId: CAROL_ROOM, peer: CAROL, lastMessage: null, unreadCount: 0 });
    vi.mocked(openDm).mockResolvedValueOnce({ ok: true, data: empty });
    expect(await store.open('Carol')).toEqual({ ok: true, data: empty });
    expect(vi.mocked(openDm)).toHaveBeenCalledWith({ username: 'Carol' });
    expect(store.list).toEqual([]);
    expect(store.findByUsername('CAROL')).toEqual(empty);

    vi.mocked(openDm).mockResolvedValueOnce({ ok: false, error: { code: 'not_found', message: 'There is no user named "nobody".' } });
    expect(await store.open('nobody')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('drops answers that arrive after a reset (another user signed in meanwhile)', async () => {
    let answer!: (value: Result<ConversationPage>) => void;
    vi.mocked(fetchConversations).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const refreshing = store.refresh();
    store.reset();
    answer(page({ conversations: [conversation()] }));
    expect(await refreshing).toBe(false);
    expect(store.list).toEqual([]);
  });
});
