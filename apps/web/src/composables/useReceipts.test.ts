import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { effectScope, nextTick, ref, type EffectScope } from 'vue';
import type { MemberDto, RoomReadsDto } from '@confab/shared';
import type { TimelineMessage } from '../lib/timeline';
import { fetchAllMembers, fetchRoomReads } from '../services/receipts';
import type { Result } from '../services/request';
import { ALICE, ALICE_BOB_ROOM, ALICE_USER, BOB_USER, CAROL_USER, GROUP_ROOM, SECRET_ROOM, conversation, roomSummary } from '../testing/factories';
import { useConversationsStore } from '../stores/conversations';
import { useRoomReadsStore } from '../stores/roomReads';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { useReceipts } from './useReceipts';

// The read marks are asked of the server over a socket; these tests are about what is made of the answers.
vi.mock('../services/receipts', () => ({ fetchRoomReads: vi.fn(), fetchAllMembers: vi.fn() }));

const own = (seq: number | null, status: TimelineMessage['status'] = 'sent') => ({ seq, status, isOwn: true, isRecalled: false }) as TimelineMessage;
const reads = (roomId: string, marks: [string, number][]): Result<RoomReadsDto> => ({ ok: true, data: { roomId, marks: marks.map(([userId, seq]) => ({ roomId, userId, seq })) } });
const members = (...users: (typeof BOB_USER)[]): Result<MemberDto[]> => ({ ok: true, data: users.map((user) => ({ user, role: 'member' as const })) });

describe('receipts of a room', () => {
  let scope: EffectScope;
  const roomId = ref<string | null>(null);

  beforeEach(() => {
    vi.resetAllMocks();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    scope = effectScope();
  });
  afterEach(() => scope.stop());

  it('in a DM follows the peer\'s delivery and read marks', () => {
    roomId.value = ALICE_BOB_ROOM;
    const receiptFor = scope.run(() => useReceipts(roomId))!;
    const conversations = useConversationsStore();
    conversations.upsert(conversation({ peerReadSeq: 0, peerDeliveredSeq: 0 }));
    expect(receiptFor(own(null, 'pending'))).toBeNull();
    expect(receiptFor(own(2))).toEqual({ state: 'sent' });
    conversations.applyDelivered({ roomId: ALICE_BOB_ROOM, userId: BOB_USER.id, seq: 2 });
    expect(receiptFor(own(2))).toEqual({ state: 'delivered' });
    conversations.applyMark({ roomId: ALICE_BOB_ROOM, userId: BOB_USER.id, seq: 2 });
    expect(receiptFor(own(2))).toEqual({ state: 'seen' });
    expect(fetchRoomReads).not.toHaveBeenCalled();
  });

  it('in a group fetches every member\'s mark on opening and names who has seen each message, live', async () => {
    const group = roomSummary({ room: { id: GROUP_ROOM, kind: 'group', name: null, members: [ALICE_USER, BOB_USER, CAROL_USER] }, lastSeq: 4 });
    useRoomsStore().upsert(group);
    vi.mocked(fetchRoomReads).mockResolvedValueOnce(reads(GROUP_ROOM, [[ALICE.id, 4], [BOB_USER.id, 3]]));
    roomId.value = GROUP_ROOM;
    const receiptFor = scope.run(() => useReceipts(roomId))!;
    await vi.waitFor(() => expect(useRoomReadsStore().byRoomId[GROUP_ROOM]?.status).toBe('done'));
    expect(fetchRoomReads).toHaveBeenCalledWith(GROUP_ROOM);
    expect(fetchAllMembers).not.toHaveBeenCalled();
    expect(receiptFor(own(3))).toEqual({ state: 'seen', seenBy: ['Bob Baker'] });
    expect(receiptFor(own(4))).toEqual({ state: 'sent' });
    useRoomReadsStore().applyMark({ roomId: GROUP_ROOM, userId: CAROL_USER.id, seq: 4 });
    expect(receiptFor(own(3))).toEqual({ state: 'seen', seenBy: ['Bob Baker', 'Carol Chu'] });
    expect(receiptFor(own(4))).toEqual({ state: 'seen', seenBy: ['Carol Chu'] });
  });

  it('in a private channel names readers from its member list; in the lobby only sent', async () => {
    useRoomsStore().upsert(roomSummary({ room: { id: SECRET_ROOM, kind: 'private_channel', name: 'secret' }, lastSeq: 4 }));
    vi.mocked(fetchRoomReads).mockResolvedValueOnce(reads(SECRET_ROOM, [[CAROL_USER.id, 4]]));
    vi.mocked(fetchAllMembers).mockResolvedValueOnce(members(ALICE_USER, CAROL_USER));
    roomId.value = SECRET_ROOM;
    const receiptFor = scope.run(() => useReceipts(roomId))!;
    await vi.waitFor(() => expect(receiptFor(own(4))).toEqual({ state: 'seen', seenBy: ['Carol Chu'] }));

    roomId.value = 'lobby';
    await nextTick();
    expect(receiptFor(own(4))).toEqual({ state: 'sent' });
    expect(fetchRoomReads).toHaveBeenCalledTimes(1);
  });
});
