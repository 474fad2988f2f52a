import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { MemberDto, RoomReadsDto } from '@confab/shared';
import { fetchAllMembers, fetchRoomReads } from '../services/receipts';
import type { Result } from '../services/request';
import { ALICE, BOB, BOB_USER, CAROL_USER, GROUP_ROOM, SECRET_ROOM } from '../testing/factories';
import { useRoomReadsStore } from './roomReads';

// The store's requests go over a socket; these tests are about what it keeps of the answers.
vi.mock('../services/receipts', () => ({ fetchRoomReads: vi.fn(), fetchAllMembers: vi.fn() }));

const reads = (roomId: string, marks: [string, number][]): Result<RoomReadsDto> => ({ ok: true, data: { roomId, marks: marks.map(([userId, seq]) => ({ roomId, userId, seq })) } });
const members = (...users: (typeof BOB_USER)[]): Result<MemberDto[]> => ({ ok: true, data: users.map((user) => ({ user, role: 'member' as const })) });

describe('room reads store', () => {
  let store: ReturnType<typeof useRoomReadsStore>;

  beforeEach(() => {
    vi.resetAllMocks();
    setActivePinia(createPinia());
    store = useRoomReadsStore();
  });

  it('keeps every member\'s mark, names a private channel\'s members, and moves marks forward only', async () => {
    vi.mocked(fetchRoomReads).mockResolvedValueOnce(reads(SECRET_ROOM, [[BOB.id, 4], [ALICE.id, 6]]));
    vi.mocked(fetchAllMembers).mockResolvedValueOnce(members(BOB_USER, CAROL_USER));
    await store.load(SECRET_ROOM, { names: true });
    expect(store.byRoomId[SECRET_ROOM]).toEqual({ marks: { [BOB.id]: 4, [ALICE.id]: 6 }, names: { [BOB.id]: 'Bob Baker', [CAROL_USER.id]: 'Carol Chu' }, status: 'done' });

    store.applyMark({ roomId: SECRET_ROOM, userId: CAROL_USER.id, seq: 5 });
    store.applyMark({ roomId: SECRET_ROOM, userId: BOB.id, seq: 3 });
    expect(store.byRoomId[SECRET_ROOM]!.marks).toEqual({ [BOB.id]: 4, [ALICE.id]: 6, [CAROL_USER.id]: 5 });
    // Rooms not opened here are not kept.
    store.applyMark({ roomId: GROUP_ROOM, userId: BOB.id, seq: 3 });
    expect(store.byRoomId[GROUP_ROOM]).toBeUndefined();
  });

  it('a mark heard while the list was on its way is not undone by it; a refresh asks again, names included', async () => {
    let answer!: (res: Result<RoomReadsDto>) => void;
    vi.mocked(fetchRoomReads).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const loading = store.load(GROUP_ROOM, { names: false });
    store.applyMark({ roomId: GROUP_ROOM, userId: BOB.id, seq: 9 });
    answer(reads(GROUP_ROOM, [[BOB.id, 7]]));
    await loading;
    expect(store.byRoomId[GROUP_ROOM]!.marks).toEqual({ [BOB.id]: 9 });
    expect(fetchAllMembers).not.toHaveBeenCalled();

    vi.mocked(fetchRoomReads).mockResolvedValueOnce(reads(GROUP_ROOM, [[BOB.id, 12]]));
    await store.refresh();
    expect(store.byRoomId[GROUP_ROOM]!.marks).toEqual({ [BOB.id]: 12 });
  });

  it('drops answers that arrive after a reset (another user signed in meanwhile)', async () => {
    let answer!: (res: Result<RoomReadsDto>) => void;
    vi.mocked(fetchRoomReads).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const loading = store.load(GROUP_ROOM, { names: false });
    store.reset();
    answer(reads(GROUP_ROOM, [[BOB.id, 7]]));
    await loading;
    expect(store.byRoomId).toEqual({});
  });
});
