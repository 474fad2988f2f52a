import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_BOB_ROOM, BOB, conversation, message } from '../testing/factories';
import { loadLocale } from '../i18n';
import { emojiLoaded } from './markdown';
import { PREVIEW_MAX_LENGTH, documentTitle, notificationBody, notificationTitle, shouldNotify, titleUnread } from './notifications';

const fromBob = message(3, { roomId: ALICE_BOB_ROOM, author: BOB });
const looking = { myId: ALICE.id, activeRoomId: ALICE_BOB_ROOM, isAttentive: true, permission: 'granted' as const };

describe('notification decisions', () => {
  it('notifies for someone else\'s DM when the tab is hidden or the conversation is not open', () => {
    expect(shouldNotify(fromBob, looking)).toBe(false);
    expect(shouldNotify(fromBob, { ...looking, isAttentive: false })).toBe(true);
    expect(shouldNotify(fromBob, { ...looking, activeRoomId: null })).toBe(true);
    expect(shouldNotify(fromBob, { ...looking, activeRoomId: `dm:${ALICE.id}:${'c'.repeat(24)}` })).toBe(true);
  });

  it('never for our own messages, nor without permission', () => {
    const own = message(4, { roomId: ALICE_BOB_ROOM, author: ALICE });
    expect(shouldNotify(own, { ...looking, isAttentive: false, activeRoomId: null })).toBe(false);
    for (const permission of ['default', 'denied', 'unsupported'] as const) {
      expect(shouldNotify(fromBob, { ...looking, isAttentive: false, permission })).toBe(false);
    }
  });

  it('shows the message on one line, cut with an ellipsis', () => {
    expect(notificationBody('  see\n\nyou  soon ')).toBe('see you soon');
    const long = notificationBody('word '.repeat(100));
    expect(long).toHaveLength(PREVIEW_MAX_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });

  it('shows what a formatted message reads as: no markup, shortcodes as emoji', async () => {
    await emojiLoaded;
    expect(notificationBody('**Ship it** :tada: see [the plan](https://example.com/plan)\n```\nnpm  test\n```')).toBe('Ship it 🎉 see the plan npm test');
  });

  it('cuts a long message between whole characters, never inside an emoji', () => {
    const body = notificationBody(`${'a'.repeat(PREVIEW_MAX_LENGTH - 2)}👩🏽‍💻🇫🇷 more`);
    expect(body).toBe(`${'a'.repeat(PREVIEW_MAX_LENGTH - 2)}👩🏽‍💻…`);
    expect(notificationBody('😀'.repeat(PREVIEW_MAX_LENGTH + 1))).toBe(`${'😀'.repeat(PREVIEW_MAX_LENGTH - 1)}…`);
  });

  it('isolates the sender\'s name in the title, dropping its own direction controls', () => {
    expect(notificationTitle('Mallory\u202E')).toBe('\u2068Mallory\u2069');
  });

  it('names the channel of a lobby or channel message, each name isolated', () => {
    expect(notificationTitle('Bob', 'design')).toBe('Bob in #design');
    expect(notificationTitle('Bob\u202E', 'دردشة')).toBe('\u2068Bob\u2069 in #\u2068دردشة\u2069');
  });
});

describe('in Chinese', () => {
  afterEach(() => loadLocale('en'));

  it('words the channel notification\'s title and keeps the brand in the tab title', async () => {
    await loadLocale('zh-CN');
    expect(notificationTitle('Bob', 'design')).toBe('Bob（#design）');
    expect(notificationTitle('Bob\u202E', 'design')).toBe('\u2068Bob\u2069（#design）');
    expect(documentTitle('用户不存在', 2)).toBe('(2) 用户不存在 · Confab');
    expect(documentTitle(null, 0)).toBe('Confab');
  });
});

describe('tab title', () => {
  it('puts the unread count in front, and drops it at zero', () => {
    expect(documentTitle('#lobby', 3)).toBe('(3) #lobby · Confab');
    expect(documentTitle('#lobby', 0)).toBe('#lobby · Confab');
    expect(documentTitle(null, 1)).toBe('(1) Confab');
    expect(documentTitle(null, 120)).toBe('(99+) Confab');
  });

  it('does not count the conversation being read right now, but does once the tab is hidden', () => {
    const other = conversation({ roomId: `dm:${ALICE.id}:${'c'.repeat(24)}`, unreadCount: 2 });
    const open = conversation({ unreadCount: 1 });
    expect(titleUnread([open, other], ALICE_BOB_ROOM, true)).toBe(2);
    expect(titleUnread([open, other], ALICE_BOB_ROOM, false)).toBe(3);
    expect(titleUnread([open, other], null, true)).toBe(3);
  });
});
