import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { MUTED_FOREVER } from '@confab/shared';
import { nextTick } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { fileAttachment, imageAttachment } from '../testing/attachments';
import { ALICE, ALICE_BOB_ROOM, ALICE_USER, BOB, DESIGN_ROOM, GROUP_ROOM, conversation, message, roomSummary } from '../testing/factories';
import { useAttentionStore } from '../stores/attention';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';
import { useNotifySettingsStore } from '../stores/notifySettings';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { startNotifier, type Notifier } from './notifier';

vi.mock('./dm', () => ({}));

/** Stands in for the browser's Notification: records what was raised and closed. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  isClosed = false;
  onclick: (() => void) | null = null;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close(): void {
    this.isClosed = true;
  }
}

const fromBob = (seq: number, body = `message ${seq}`) => message(seq, { roomId: ALICE_BOB_ROOM, author: BOB, body });

describe('notifier', () => {
  let notifier: Notifier;

  beforeEach(() => {
    FakeNotification.shown = [];
    vi.stubGlobal('Notification', FakeNotification);
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    const attention = useAttentionStore();
    attention.setVisible(true);
    attention.setFocus(true);
    attention.setPageTitle('#lobby');
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', name: 'lobby', component: {} }, { path: '/dm/:username', name: 'dm', component: {} }] });
    notifier = startNotifier(router);
  });
  afterEach(() => {
    notifier.stop();
    vi.unstubAllGlobals();
  });

  it('raises one notification per room, tagged by room, for a DM from someone else in a room not open', () => {
    notifier.onDirectMessage(fromBob(1, 'hi\nthere'));
    expect(FakeNotification.shown.map((n) => [n.title, n.options])).toEqual([['Bob Baker', { body: 'hi there', tag: ALICE_BOB_ROOM }]]);
    // A newer one replaces it: the old object is closed, not left behind.
    notifier.onDirectMessage(fromBob(2));
    expect(FakeNotification.shown.map((n) => n.isClosed)).toEqual([true, false]);
    notifier.onDirectMessage(message(3, { roomId: ALICE_BOB_ROOM, author: ALICE }));
    expect(FakeNotification.shown).toHaveLength(2);
  });

  it('stays quiet while the conversation is on screen, and speaks once the tab is hidden', () => {
    useDmStore().activeRoomId = ALICE_BOB_ROOM;
    notifier.onDirectMessage(fromBob(1));
    expect(FakeNotification.shown).toHaveLength(0);
    useAttentionStore().setVisible(false);
    notifier.onDirectMessage(fromBob(2));
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('raises nothing without permission', () => {
    FakeNotification.permission = 'default';
    useAttentionStore().setVisible(true); // re-reads the permission
    notifier.onDirectMessage(fromBob(1));
    FakeNotification.permission = 'granted';
    expect(FakeNotification.shown).toHaveLength(0);
  });

  it('closes the notification once the room is opened, or read past it elsewhere, but not before', async () => {
    const conversations = useConversationsStore();
    conversations.upsert(conversation({ unreadCount: 0, myReadSeq: 1, lastMessage: fromBob(1) }));
    notifier.onDirectMessage(fromBob(2));
    // The entry still says "nothing unread" (its update is on its way): that must not close it.
    await nextTick();
    expect(FakeNotification.shown[0]!.isClosed).toBe(false);
    conversations.applyMark({ roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 2 });
    await nextTick();
    expect(FakeNotification.shown[0]!.isClosed).toBe(true);

    notifier.onDirectMessage(fromBob(3));
    useDmStore().activeRoomId = ALICE_BOB_ROOM;
    await nextTick();
    expect(FakeNotification.shown[1]!.isClosed).toBe(true);
  });

  it('keeps the tab title counting unread direct messages', async () => {
    const conversations = useConversationsStore();
    expect(document.title).toBe('#lobby · Confab');
    conversations.upsert(conversation({ unreadCount: 3, lastMessage: fromBob(3) }));
    await nextTick();
    expect(document.title).toBe('(3) #lobby · Confab');
    conversations.applyMark({ roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 3 });
    await nextTick();
    expect(document.title).toBe('#lobby · Confab');
  });

  it('counts in the title every unread DM and only mentions in the lobby and channels (their default), except in the room being read, and notifies for groups but not channels', async () => {
    const rooms = useRoomsStore();
    useConversationsStore().upsert(conversation({ unreadCount: 1, lastMessage: fromBob(1) }));
    rooms.upsert(roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, lastSeq: 9, unreadCount: 4, mentionCount: 1 }));
    rooms.upsert(roomSummary({ lastSeq: 2, unreadCount: 2 }));
    await nextTick();
    expect(document.title).toBe('(2) #lobby · Confab');
    rooms.setViewed('lobby');
    await nextTick();
    expect(document.title).toBe('(1) #lobby · Confab');
    // A channel set to every message counts all of its unread ones.
    useNotifySettingsStore().apply({ roomId: DESIGN_ROOM, level: 'all', mutedUntil: null });
    await nextTick();
    expect(document.title).toBe('(3) #lobby · Confab');

    notifier.onDirectMessage(message(3, { roomId: DESIGN_ROOM, author: BOB }));
    expect(FakeNotification.shown).toHaveLength(0);
    notifier.onDirectMessage(message(1, { roomId: GROUP_ROOM, author: BOB, body: 'group hello' }));
    expect(FakeNotification.shown.map((n) => n.options.tag)).toEqual([GROUP_ROOM]);
  });

  it('a lobby or channel message that mentions us notifies, named by its room, unless we are looking at that room; others there do not', async () => {
    const rooms = useRoomsStore();
    const me = [{ id: ALICE.id, username: 'alice' }];
    rooms.upsert(roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, lastSeq: 2 }));
    rooms.upsert(roomSummary({ lastSeq: 2 }));
    rooms.noteMessage(message(3, { author: BOB, body: 'hi all' }));
    rooms.noteMessage(message(4, { author: BOB, body: '**@alice** look', mentions: me }));
    expect(FakeNotification.shown.map((n) => [n.title, n.options])).toEqual([['Bob Baker in #lobby', { body: '@alice look', tag: 'lobby' }]]);
    // Our own message mentioning ourselves, and a group's (notified as a DM is), raise nothing here.
    rooms.noteMessage(message(5, { author: ALICE, mentions: me }));
    rooms.noteMessage(message(1, { roomId: GROUP_ROOM, author: BOB, mentions: me }));
    expect(FakeNotification.shown).toHaveLength(1);

    rooms.setViewed(DESIGN_ROOM);
    rooms.noteMessage(message(3, { roomId: DESIGN_ROOM, author: BOB, mentions: me }));
    expect(FakeNotification.shown).toHaveLength(1);
    useAttentionStore().setFocus(false);
    rooms.noteMessage(message(4, { roomId: DESIGN_ROOM, author: BOB, body: 'ping @alice', mentions: me }));
    expect(FakeNotification.shown.map((n) => [n.title, n.options.tag])).toEqual([
      ['Bob Baker in #lobby', 'lobby'],
      ['Bob Baker in #design', DESIGN_ROOM],
    ]);
    // The title counts the mentions only (the default level): one in the lobby ("hi all" does not count), two in #design.
    await nextTick();
    expect(document.title).toBe('(3) #lobby · Confab');
  });

  it('a mention delivered again, at or below the newest entry held, or already read (in another tab) notifies no more', () => {
    const rooms = useRoomsStore();
    const me = [{ id: ALICE.id, username: 'alice' }];
    rooms.upsert(roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, lastSeq: 4, myReadSeq: 2 }));
    // Seq 4 was held already (its summary says so): not news, though unread.
    rooms.noteMessage(message(4, { author: BOB, mentions: me }));
    expect(FakeNotification.shown).toHaveLength(0);
    rooms.noteMessage(message(5, { author: BOB, mentions: me }));
    rooms.noteMessage(message(5, { author: BOB, mentions: me }));
    expect(FakeNotification.shown).toHaveLength(1);
    // Another tab read up to 7 before seq 6 and 7 reached this one.
    rooms.applyMark({ roomId: 'lobby', userId: ALICE.id, seq: 7 });
    rooms.noteMessage(message(6, { author: BOB, mentions: me }));
    rooms.noteMessage(message(7, { author: BOB, mentions: me }));
    expect(FakeNotification.shown).toHaveLength(1);

    // DMs and groups too: a second copy, or one already read, raises nothing.
    useConversationsStore().upsert(conversation({ myReadSeq: 3, lastMessage: fromBob(3) }));
    notifier.onDirectMessage(fromBob(3));
    notifier.onDirectMessage(fromBob(4));
    notifier.onDirectMessage(fromBob(4));
    notifier.onDirectMessage(message(2, { roomId: GROUP_ROOM, author: BOB }));
    notifier.onDirectMessage(message(2, { roomId: GROUP_ROOM, author: BOB }));
    expect(FakeNotification.shown.map((n) => n.options.tag)).toEqual(['lobby', ALICE_BOB_ROOM, GROUP_ROOM]);
  });

  it('a channel mention\'s notification goes when the message is recalled or edited to drop the mention, or read', async () => {
    const rooms = useRoomsStore();
    const me = [{ id: ALICE.id, username: 'alice' }];
    rooms.upsert(roomSummary({ room: { id: 'lobby', kind: 'lobby', name: 'lobby' }, lastSeq: 2 }));
    rooms.noteMessage(message(3, { author: BOB, mentions: me }));
    rooms.noteMessage(message(4, { author: BOB, body: '', recall: { messageId: message(3).id, seq: 3 } }));
    expect(FakeNotification.shown.map((n) => n.isClosed)).toEqual([true]);

    rooms.noteMessage(message(5, { author: BOB, body: '@alice my password is hunter2', mentions: me }));
    const edit = (seq: number, mentions?: typeof me) =>
      message(seq, { author: BOB, body: '', change: { type: 'edit', messageId: message(5).id, seq: 5, state: { body: '@alice oops, ignore that', mentions } } });
    // Still a mention: the same notification (title, tag) with the new text replaces the old one.
    rooms.noteMessage(edit(6, me));
    expect(FakeNotification.shown.map((n) => [n.title, n.options.body, n.isClosed])).toEqual([
      ['Bob Baker in #lobby', 'message 3', true],
      ['Bob Baker in #lobby', '@alice my password is hunter2', true],
      ['Bob Baker in #lobby', '@alice oops, ignore that', false],
    ]);
    expect(FakeNotification.shown[2]!.options.tag).toBe('lobby');
    rooms.noteMessage(edit(7));
    expect(FakeNotification.shown.map((n) => n.isClosed)).toEqual([true, true, true]);

    rooms.noteMessage(message(8, { author: BOB, mentions: me }));
    rooms.applyMark({ roomId: 'lobby', userId: ALICE.id, seq: 8 });
    await nextTick();
    expect(FakeNotification.shown.map((n) => n.isClosed)).toEqual([true, true, true, true]);
  });

  it('a DM\'s notification shows the text as edited, and goes when an edit empties it; an edit of another message, or a reaction, changes nothing', () => {
    const edit = (seq: number, target: number, body: string, type: 'edit' | 'reaction' = 'edit') =>
      message(seq, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', change: { type, messageId: fromBob(target).id, seq: target, state: { body } } });
    notifier.onDirectMessage(fromBob(1, 'first'));
    notifier.onDirectMessage(fromBob(2, 'my password is hunter2'));
    notifier.onDirectMessage(edit(3, 1, 'first, edited'));
    notifier.onDirectMessage(edit(4, 2, 'my password is hunter2', 'reaction'));
    expect(FakeNotification.shown.map((n) => [n.options.body, n.isClosed])).toEqual([
      ['first', true],
      ['my password is hunter2', false],
    ]);
    notifier.onDirectMessage(edit(5, 2, 'oops, ignore that'));
    expect(FakeNotification.shown.map((n) => [n.title, n.options, n.isClosed])).toEqual([
      ['Bob Baker', { body: 'first', tag: ALICE_BOB_ROOM }, true],
      ['Bob Baker', { body: 'my password is hunter2', tag: ALICE_BOB_ROOM }, true],
      ['Bob Baker', { body: 'oops, ignore that', tag: ALICE_BOB_ROOM }, false],
    ]);
    // An edit whose state has no text left (recalled meanwhile) takes it down.
    notifier.onDirectMessage(message(6, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', change: { type: 'edit', messageId: fromBob(2).id, seq: 2, state: { body: '', recalledAt: 'now' } } }));
    expect(FakeNotification.shown.map((n) => n.isClosed)).toEqual([true, true, true]);
  });

  it('a DM with files and no text announces the files; its recall takes the notification down', () => {
    notifier.onDirectMessage(message(1, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', attachments: [imageAttachment()] }));
    notifier.onDirectMessage(message(2, { roomId: GROUP_ROOM, author: BOB, body: '', attachments: [imageAttachment(), fileAttachment()] }));
    expect(FakeNotification.shown.map((n) => [n.options.body, n.isClosed])).toEqual([
      ['📎 cat.png', false],
      ['📎 2 files', false],
    ]);
    notifier.onDirectMessage(message(3, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', recall: { messageId: fromBob(1).id, seq: 1 } }));
    expect(FakeNotification.shown.map((n) => n.isClosed)).toEqual([true, false]);
  });

  describe('follows each room\'s notification setting', () => {
    const me = [{ id: ALICE.id, username: 'alice' }];

    it('a channel set to every message notifies for each; "nothing" for none, mentions included', () => {
      const rooms = useRoomsStore();
      const settings = useNotifySettingsStore();
      rooms.upsert(roomSummary({ lastSeq: 2 }));
      settings.apply({ roomId: DESIGN_ROOM, level: 'all', mutedUntil: null });
      rooms.noteMessage(message(3, { roomId: DESIGN_ROOM, author: BOB, body: 'plain news' }));
      expect(FakeNotification.shown.map((n) => [n.title, n.options.body])).toEqual([['Bob Baker in #design', 'plain news']]);
      settings.apply({ roomId: DESIGN_ROOM, level: 'none', mutedUntil: null });
      rooms.noteMessage(message(4, { roomId: DESIGN_ROOM, author: BOB, body: '@alice hey', mentions: me }));
      expect(FakeNotification.shown).toHaveLength(1);
    });

    it('a group or DM at "mentions only": a group notifies only for mentions; a DM, all addressed to us, for every message', () => {
      const settings = useNotifySettingsStore();
      settings.apply({ roomId: GROUP_ROOM, level: 'mentions', mutedUntil: null });
      settings.apply({ roomId: ALICE_BOB_ROOM, level: 'mentions', mutedUntil: null });
      notifier.onDirectMessage(message(1, { roomId: GROUP_ROOM, author: BOB, body: 'hello group' }));
      expect(FakeNotification.shown).toHaveLength(0);
      notifier.onDirectMessage(message(2, { roomId: GROUP_ROOM, author: BOB, body: '@alice?', mentions: me }));
      notifier.onDirectMessage(fromBob(1));
      expect(FakeNotification.shown.map((n) => n.options.tag)).toEqual([GROUP_ROOM, ALICE_BOB_ROOM]);
    });

    it('a muted room neither notifies (not even a mention) nor counts in the title, and does both again once the mute runs out', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const rooms = useRoomsStore();
        const settings = useNotifySettingsStore();
        rooms.upsert(roomSummary({ lastSeq: 2, unreadCount: 2, mentionCount: 1 }));
        useConversationsStore().upsert(conversation({ unreadCount: 1, lastMessage: fromBob(1) }));
        const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
        settings.apply({ roomId: DESIGN_ROOM, level: 'mentions', mutedUntil: inAnHour });
        settings.apply({ roomId: ALICE_BOB_ROOM, level: 'all', mutedUntil: inAnHour });
        await nextTick();
        expect(document.title).toBe('#lobby · Confab');
        rooms.noteMessage(message(3, { roomId: DESIGN_ROOM, author: BOB, body: '@alice urgent', mentions: me }));
        notifier.onDirectMessage(fromBob(2));
        expect(FakeNotification.shown).toHaveLength(0);

        vi.advanceTimersByTime(3_600_000 + 100);
        await nextTick();
        // #design: its two mentions now; the DM: its unread message (the store counts, not the notifier).
        expect(document.title).toBe('(3) #lobby · Confab');
        notifier.onDirectMessage(fromBob(3));
        expect(FakeNotification.shown).toHaveLength(1);
      } finally {
        vi.useRealTimers();
      }
    });

    it('muting a room (on any device) takes its notification down', async () => {
      notifier.onDirectMessage(fromBob(1));
      expect(FakeNotification.shown[0]!.isClosed).toBe(false);
      useNotifySettingsStore().apply({ roomId: ALICE_BOB_ROOM, level: 'all', mutedUntil: MUTED_FOREVER });
      await nextTick();
      expect(FakeNotification.shown[0]!.isClosed).toBe(true);
    });
  });
});
