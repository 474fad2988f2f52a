import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { watch } from 'vue';
import type { MessageDto, RoomSummaryDto } from '@confab/shared';
import { summaryPreview } from '../lib/rooms';
import { listRooms } from '../services/rooms';
import type { Result } from '../services/request';
import { ALICE, ALICE_USER, BOB, DESIGN_ROOM, GROUP_ROOM, SECRET_ROOM, message, roomSummary } from '../testing/factories';
import { useRoomsStore } from './rooms';
import { useSessionStore } from './session';

vi.mock('../services/rooms', () => ({ listRooms: vi.fn() }));

const lobby = (overrides: Parameters<typeof roomSummary>[0] = {}) => roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby', memberCount: 40 }, ...overrides });
const secret = (overrides: Parameters<typeof roomSummary>[0] = {}) => roomSummary({ room: { id: SECRET_ROOM, kind: 'private_channel', name: 'secret' }, ...overrides });
const group = (overrides: Parameters<typeof roomSummary>[0] = {}) => roomSummary({ room: { id: GROUP_ROOM, kind: 'group', name: null }, ...overrides });
const list = (...rooms: RoomSummaryDto[]): Result<{ rooms: RoomSummaryDto[] }> => ({ ok: true, data: { rooms } });

describe('rooms store', () => {
  let rooms: ReturnType<typeof useRoomsStore>;

  beforeEach(() => {
    vi.resetAllMocks();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    rooms = useRoomsStore();
  });

  it('takes the list, says which rooms it no longer holds, and keeps one that arrived while the list was on its way', async () => {
    vi.mocked(listRooms).mockResolvedValueOnce(list(lobby(), roomSummary(), secret()));
    expect(await rooms.refresh()).toEqual([]);
    expect(rooms.isFresh).toBe(true);
    expect(rooms.channels.map((s) => s.room.name)).toEqual(['lobby', 'design', 'secret']);

    // Removed from #secret while away; meanwhile a group was opened here before the list came back.
    let answer!: (value: Result<{ rooms: RoomSummaryDto[] }>) => void;
    vi.mocked(listRooms).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    rooms.markStale();
    const refreshing = rooms.refresh();
    rooms.upsert(group({ lastSeq: 1 }));
    answer(list(lobby(), roomSummary()));
    expect(await refreshing).toEqual([SECRET_ROOM]);
    expect(Object.keys(rooms.byId).sort()).toEqual([DESIGN_ROOM, GROUP_ROOM, 'lobby'].sort());
    expect(rooms.groups.map((s) => s.room.id)).toEqual([GROUP_ROOM]);
  });

  it('counts unread entries across rooms, the lobby included, and a read mark from any tab clears its room only', async () => {
    vi.mocked(listRooms).mockResolvedValueOnce(list(lobby({ lastSeq: 10, myReadSeq: 7, unreadCount: 3 }), roomSummary({ lastSeq: 4 }), group({ lastSeq: 2 })));
    await rooms.refresh();
    expect(rooms.totalUnread).toBe(3);

    rooms.noteMessage(message(5, { roomId: DESIGN_ROOM, author: BOB }));
    rooms.noteMessage(message(3, { roomId: GROUP_ROOM, author: BOB }));
    rooms.noteMessage(message(4, { roomId: GROUP_ROOM, author: ALICE }));
    expect(rooms.byId[DESIGN_ROOM]!.unreadCount).toBe(1);
    expect(rooms.byId[GROUP_ROOM]!.unreadCount).toBe(1);
    expect(rooms.totalUnread).toBe(5);

    // `dm:read` from another tab of ours, in the lobby.
    rooms.applyMark({ roomId: 'lobby', userId: ALICE.id, seq: 10 });
    expect(rooms.byId.lobby!.unreadCount).toBe(0);
    expect(rooms.totalUnread).toBe(2);
    // The coalesced update after the entries: replaces what was counted locally.
    rooms.upsert(roomSummary({ lastSeq: 5, myReadSeq: 4, unreadCount: 1, room: { topic: 'Pixels' } }));
    expect(rooms.byId[DESIGN_ROOM]).toMatchObject({ unreadCount: 1, room: { topic: 'Pixels' } });
  });

  it('counts mentions of us live, takes back a recalled one, and clears them as we read, in every kind of room', async () => {
    const me = [{ id: ALICE.id, username: 'alice' }];
    vi.mocked(listRooms).mockResolvedValueOnce(list(lobby({ lastSeq: 10, myReadSeq: 7, unreadCount: 3, mentionCount: 1 }), group({ lastSeq: 2 })));
    await rooms.refresh();
    rooms.noteMessage(message(11, { author: BOB, body: '@alice look', mentions: me }));
    rooms.noteMessage(message(12, { author: BOB, body: 'and this' }));
    rooms.noteMessage(message(3, { roomId: GROUP_ROOM, author: BOB, mentions: me }));
    // Noted already (a repeat of a live entry): counted once.
    rooms.noteMessage(message(3, { roomId: GROUP_ROOM, author: BOB, mentions: me }));
    expect(rooms.byId.lobby).toMatchObject({ unreadCount: 5, mentionCount: 2 });
    expect(rooms.byId[GROUP_ROOM]).toMatchObject({ unreadCount: 1, mentionCount: 1 });

    // Bob recalls the message that mentioned us: no room:update follows, the tab takes it back itself.
    rooms.noteMessage(message(13, { author: BOB, body: '', recall: { messageId: message(11).id, seq: 11 } }));
    expect(rooms.byId.lobby).toMatchObject({ unreadCount: 4, mentionCount: 1 });
    // Read to the newest entry in another tab: the mention the list counted goes too.
    rooms.applyMark({ roomId: 'lobby', userId: ALICE.id, seq: 13 });
    expect(rooms.byId.lobby).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    rooms.applyMark({ roomId: GROUP_ROOM, userId: BOB.id, seq: 3 });
    expect(rooms.byId[GROUP_ROOM]!.mentionCount).toBe(1);
    rooms.applyMark({ roomId: GROUP_ROOM, userId: ALICE.id, seq: 3 });
    expect(rooms.byId[GROUP_ROOM]!.mentionCount).toBe(0);
    // The snapshot that follows a read brings the server's count.
    rooms.upsert(group({ lastSeq: 4, myReadSeq: 3, unreadCount: 1, mentionCount: 1 }));
    expect(rooms.byId[GROUP_ROOM]!.mentionCount).toBe(1);
  });

  it('finds a joined channel by name whatever its letter case, and forgets a removed room', async () => {
    vi.mocked(listRooms).mockResolvedValueOnce(list(lobby(), roomSummary({ room: { name: 'Design' } })));
    await rooms.refresh();
    expect(rooms.findChannel('DESIGN')?.room.id).toBe(DESIGN_ROOM);
    expect(rooms.findChannel('lobby')?.room.id).toBe('lobby');
    expect(rooms.findChannel('secret')).toBeUndefined();
    rooms.remove(DESIGN_ROOM);
    expect(rooms.findChannel('design')).toBeUndefined();
  });

  it('notes a burst of entries with one replacement of the list, each entry heard by listeners, counted as one by one', async () => {
    const summaries = () => list(lobby({ lastSeq: 300, myReadSeq: 250, unreadCount: 50 }), roomSummary({ lastSeq: 4 }), group({ lastSeq: 2 }));
    vi.mocked(listRooms).mockResolvedValue(summaries());
    await rooms.refresh();
    // A ban: Bob's 300 lobby messages removed, a channel message and a group message in the same frame.
    const burst: MessageDto[] = [
      ...Array.from({ length: 300 }, (_, i) => message(301 + i, { author: BOB, body: '', recall: { messageId: message(i + 1).id, seq: i + 1, byModerator: true } })),
      message(5, { roomId: DESIGN_ROOM, author: BOB }),
      message(3, { roomId: GROUP_ROOM, author: BOB, mentions: [{ id: ALICE.id, username: 'alice' }] }),
    ];
    let replacements = 0;
    const stop = watch(() => rooms.byId, () => (replacements += 1), { flush: 'sync' });
    const heard: number[] = [];
    rooms.$onAction(({ name, args }) => {
      if (name === 'noteMessage') heard.push((args[0] as MessageDto).seq);
    });
    rooms.noteMessages(burst);
    stop();
    expect(replacements).toBe(1);
    expect(heard).toEqual(burst.map((m) => m.seq));

    // The same entries noted one by one, in a fresh store.
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    const oneByOne = useRoomsStore();
    await oneByOne.refresh();
    for (const entry of burst) oneByOne.noteMessage(entry);
    expect(rooms.byId).toEqual(oneByOne.byId);
    // The 50 unread of Bob's removed messages are taken back.
    expect(rooms.byId.lobby).toMatchObject({ lastSeq: 600, unreadCount: 0 });
    expect(rooms.byId[GROUP_ROOM]).toMatchObject({ unreadCount: 1, mentionCount: 1 });
    expect(rooms.totalUnread).toBe(2);
  });

  it('a burst that changes nothing leaves the list as it was; one that removes the previewed message says it was removed', async () => {
    vi.mocked(listRooms).mockResolvedValueOnce(list(lobby({ lastSeq: 10 })));
    await rooms.refresh();
    const before = rooms.byId;
    // Entries held already (a repeat), and one of a room this tab does not list.
    rooms.noteMessages([message(9), message(10), message(1, { roomId: SECRET_ROOM })]);
    expect(rooms.byId).toBe(before);

    expect(summaryPreview(rooms.byId.lobby!, ALICE.id)).toBe('Bob Baker: message 10');
    rooms.noteMessages([message(11, { author: BOB, body: '', recall: { messageId: message(10).id, seq: 10, byModerator: true } })]);
    expect(summaryPreview(rooms.byId.lobby!, ALICE.id)).toBe('Message removed by a moderator');
  });
});
