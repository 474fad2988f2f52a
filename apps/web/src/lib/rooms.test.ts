import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { ALICE, ALICE_USER, BOB, BOB_USER, CAROL_USER, DESIGN_ROOM, GROUP_ROOM, SECRET_ROOM, message, roomSummary } from '../testing/factories';
import { applyRoomMark, groupName, memberCountText, mergeSummary, noteEntry, planCatchUp, roomTransport, sortChannels, stripHash, summaryPreview, totalRoomUnread } from './rooms';

const design = (overrides: Parameters<typeof roomSummary>[0] = {}) => roomSummary(overrides);
const entry = (seq: number, overrides: Parameters<typeof message>[1] = {}) => message(seq, { roomId: DESIGN_ROOM, ...overrides });

describe('room transports', () => {
  it('public rooms talk on /lobby, private ones on /dm; an unknown channel can only be a public preview', () => {
    expect(roomTransport('lobby', 'lobby')).toBe('lobby');
    expect(roomTransport(DESIGN_ROOM, 'public_channel')).toBe('lobby');
    expect(roomTransport(SECRET_ROOM, 'private_channel')).toBe('dm');
    expect(roomTransport(GROUP_ROOM, 'group')).toBe('dm');
    expect(roomTransport(DESIGN_ROOM, undefined)).toBe('lobby');
    expect(roomTransport(GROUP_ROOM, undefined)).toBe('dm');
  });
});

describe('catch-up after a reconnect', () => {
  const held = (roomId: string, syncedSeq: number, isLoaded = true) => ({ roomId, syncedSeq, isLoaded });

  it('syncs only the rooms whose lastSeq moved past what is held, and those never loaded', () => {
    const summaries = {
      [DESIGN_ROOM]: design({ lastSeq: 12 }),
      [SECRET_ROOM]: design({ room: { id: SECRET_ROOM, kind: 'private_channel' }, lastSeq: 4 }),
      [GROUP_ROOM]: design({ room: { id: GROUP_ROOM, kind: 'group' }, lastSeq: 7 }),
    };
    const plan = planCatchUp([held(DESIGN_ROOM, 10), held(SECRET_ROOM, 4), held(GROUP_ROOM, 0, false)], summaries, new Set());
    expect(plan).toEqual({ sync: [DESIGN_ROOM, GROUP_ROOM], resume: [SECRET_ROOM], drop: [] });
  });

  it('drops rooms missing from the list (left or removed while away), but keeps a preview', () => {
    const plan = planCatchUp([held(DESIGN_ROOM, 3), held(SECRET_ROOM, 9)], {}, new Set([DESIGN_ROOM]));
    expect(plan).toEqual({ sync: [], resume: [DESIGN_ROOM], drop: [SECRET_ROOM] });
  });
});

describe('room summaries', () => {
  it('a live entry from someone else counts as unread at once; one already counted, or our own, does not', () => {
    const held = design({ lastSeq: 5, myReadSeq: 5 });
    const one = noteEntry(held, entry(6, { author: BOB }), ALICE.id);
    expect(one).toMatchObject({ lastSeq: 6, unreadCount: 1 });
    expect(noteEntry(one, entry(6, { author: BOB }), ALICE.id)).toBe(one);
    expect(noteEntry(one, entry(7, { author: ALICE }), ALICE.id)).toMatchObject({ lastSeq: 7, unreadCount: 1 });
    // A room event counts like a message, and a rename shows at once.
    const renamed = noteEntry(one, entry(8, { author: BOB, body: '', event: { type: 'renamed', name: 'design-team' } }), ALICE.id);
    expect(renamed).toMatchObject({ unreadCount: 2, room: { name: 'design-team' } });
    // A recall entry is not something new to read, and takes back the unread message it recalls.
    expect(noteEntry(one, entry(9, { author: BOB, body: '', recall: { messageId: 'x', seq: 6 } }), ALICE.id).unreadCount).toBe(0);
    expect(noteEntry(one, entry(9, { author: BOB, body: '', recall: { messageId: 'x', seq: 4 } }), ALICE.id).unreadCount).toBe(1);
  });

  it('joins, additions, leaves and removals move the member count at once', () => {
    const held = design({ lastSeq: 5, myReadSeq: 5, room: { memberCount: 3 } });
    const joined = noteEntry(held, entry(6, { author: BOB, body: '', event: { type: 'joined' } }), ALICE.id);
    expect(joined.room.memberCount).toBe(4);
    const added = noteEntry(joined, entry(7, { author: BOB, body: '', event: { type: 'added', user: { id: 'c'.repeat(24), name: 'Carol' } } }), ALICE.id);
    expect(added.room.memberCount).toBe(5);
    const left = noteEntry(added, entry(8, { author: BOB, body: '', event: { type: 'left' } }), ALICE.id);
    const removed = noteEntry(left, entry(9, { author: ALICE, body: '', event: { type: 'removed', user: { id: 'c'.repeat(24), name: 'Carol' } } }), ALICE.id);
    expect(removed.room.memberCount).toBe(3);
  });

  it('our read mark from any tab clears the count once it covers the newest entry', () => {
    const held = design({ lastSeq: 8, myReadSeq: 5, unreadCount: 3 });
    const mark = (seq: number, userId = ALICE.id) => ({ roomId: DESIGN_ROOM, userId, seq });
    expect(applyRoomMark(held, mark(6), ALICE.id)).toMatchObject({ myReadSeq: 6, unreadCount: 3 });
    expect(applyRoomMark(held, mark(8), ALICE.id)).toMatchObject({ myReadSeq: 8, unreadCount: 0 });
    expect(applyRoomMark(held, mark(8, BOB.id), ALICE.id)).toBe(held);
  });

  it('a stale snapshot does not undo a newer one, and read marks never move back', () => {
    const current = design({ lastSeq: 9, myReadSeq: 9, unreadCount: 0 });
    expect(mergeSummary(current, design({ lastSeq: 8, myReadSeq: 7, unreadCount: 1 }))).toBe(current);
    const topic = mergeSummary(current, design({ room: { topic: 'Pixels' }, lastSeq: 9, myReadSeq: 9 }));
    expect(topic.room.topic).toBe('Pixels');
    // Read in another tab after the snapshot was taken: the snapshot's count is stale.
    expect(mergeSummary(design({ lastSeq: 9, myReadSeq: 9 }), design({ lastSeq: 9, myReadSeq: 6, unreadCount: 3 }))).toMatchObject({ myReadSeq: 9, unreadCount: 0 });
    // A coalesced update read before an entry already noted keeps that entry.
    const merged = mergeSummary(design({ lastSeq: 10, myReadSeq: 8, unreadCount: 2 }), design({ lastSeq: 9, myReadSeq: 9, unreadCount: 0 }));
    expect(merged).toMatchObject({ lastSeq: 10, myReadSeq: 9, unreadCount: 1 });
  });

  it('a change entry is no news: it moves lastSeq and updates the previewed message, never the unread count', () => {
    const held = design({ lastSeq: 5, myReadSeq: 4, unreadCount: 1, lastMessage: entry(5, { author: BOB, body: 'helo' }) });
    const edit = entry(6, {
      author: BOB,
      body: '',
      change: { type: 'edit', messageId: entry(5).id, seq: 5, state: { body: 'hello @alice', editedAt: entry(6).createdAt, mentions: [{ id: ALICE.id, username: 'alice' }] } },
    });
    const edited = noteEntry(held, edit, ALICE.id);
    expect(edited).toMatchObject({ lastSeq: 6, unreadCount: 1, lastActivityAt: held.lastActivityAt, lastMessage: { seq: 5, body: 'hello @alice', mentions: [{ id: ALICE.id }] } });
    // A reaction to an older message leaves the preview as it is.
    const reaction = entry(7, { author: BOB, body: '', change: { type: 'reaction', messageId: entry(2).id, seq: 2, emoji: '🎉', added: true, state: { body: 'old' } } });
    const reacted = noteEntry(edited, reaction, ALICE.id);
    expect(reacted).toMatchObject({ lastSeq: 7, unreadCount: 1, lastMessage: { seq: 5, body: 'hello @alice' } });
  });

  it('mention counts follow the unread ones: cleared by a mark covering the newest entry, and by a snapshot older than our mark', () => {
    const held = design({ lastSeq: 8, myReadSeq: 5, unreadCount: 3, mentionCount: 2 });
    const mark = (seq: number) => ({ roomId: DESIGN_ROOM, userId: ALICE.id, seq });
    expect(applyRoomMark(held, mark(6), ALICE.id)).toMatchObject({ myReadSeq: 6, mentionCount: 2 });
    expect(applyRoomMark(held, mark(8), ALICE.id)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    expect(mergeSummary(design({ lastSeq: 9, myReadSeq: 9 }), design({ lastSeq: 9, myReadSeq: 6, unreadCount: 3, mentionCount: 1 }))).toMatchObject({ mentionCount: 0 });
    expect(mergeSummary(held, design({ lastSeq: 9, myReadSeq: 5, unreadCount: 4, mentionCount: 3 }))).toMatchObject({ mentionCount: 3 });
    // Behind on entries but ahead on the mark: no more than the snapshot's plus what came after it.
    expect(mergeSummary(design({ lastSeq: 10, myReadSeq: 5, unreadCount: 5, mentionCount: 4 }), design({ lastSeq: 9, myReadSeq: 8, unreadCount: 1, mentionCount: 0 }))).toMatchObject({
      unreadCount: 2,
      mentionCount: 1,
    });
  });

  it('unread counts add up over every room but the one being read', () => {
    const all = [design({ unreadCount: 2 }), design({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, unreadCount: 5 }), design({ room: { id: GROUP_ROOM, kind: 'group' }, unreadCount: 1 })];
    expect(totalRoomUnread(all)).toBe(8);
    expect(totalRoomUnread(all, 'lobby')).toBe(3);
  });
});

describe('naming rooms', () => {
  it('lists the lobby first, then channels by name whatever their letter case; groups are not channels', () => {
    const sorted = sortChannels([
      design({ room: { id: 'c:b', name: 'Zebra' } }),
      design({ room: { id: 'c:a', name: 'alpha', kind: 'private_channel' } }),
      design({ room: { id: GROUP_ROOM, kind: 'group', name: null } }),
      design({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' } }),
    ]);
    expect(sorted.map((s) => s.room.name)).toEqual(['lobby', 'alpha', 'Zebra']);
  });

  it('names a group by its other members, and strips the "#" people type before a channel name', () => {
    expect(groupName({ members: [ALICE_USER, BOB_USER, CAROL_USER] }, ALICE.id)).toBe('Bob Baker, Carol Chu');
    expect(stripHash(' #design ')).toBe('design');
    expect(stripHash('design#2')).toBe('design#2');
  });

  it('previews the newest entry as text: who wrote it, an event line, or a recall', () => {
    expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: BOB, body: 'hi\nall' }) }), ALICE.id)).toBe('Bob Baker: hi all');
    expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: ALICE, body: 'mine' }) }), ALICE.id)).toBe('You: mine');
    expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: BOB, body: '', event: { type: 'joined' } }) }), ALICE.id)).toBe('Bob Baker joined');
    expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: BOB, body: '', recall: { messageId: 'x', seq: 2 } }) }), ALICE.id)).toBe('Bob Baker recalled a message');
    expect(summaryPreview(design(), ALICE.id)).toBe('');
  });

  describe('in Chinese', () => {
    afterEach(async () => {
      await loadLocale('en');
    });

    it('previews the newest entry, names a group and counts members in the language on screen', async () => {
      expect(memberCountText(1)).toBe('1 member');
      expect(memberCountText(3)).toBe('3 members');
      await loadLocale('zh-CN');
      expect(memberCountText(1)).toBe('1 位成员');
      expect(memberCountText(3)).toBe('3 位成员');
      expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: ALICE, body: 'mine' }) }), ALICE.id)).toBe('你：mine');
      expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: BOB, body: '', event: { type: 'joined' } }) }), ALICE.id)).toBe('Bob Baker 加入了频道');
      expect(summaryPreview(design({ lastSeq: 3, lastMessage: entry(3, { author: BOB, body: '', recall: { messageId: 'x', seq: 2 } }) }), ALICE.id)).toBe('Bob Baker 撤回了一条消息');
      expect(groupName({ members: [ALICE_USER, BOB_USER, CAROL_USER] }, ALICE.id)).toBe('Bob Baker、Carol Chu');
      expect(groupName({ members: [ALICE_USER] }, ALICE.id)).toBe('群聊');
    });
  });
});
