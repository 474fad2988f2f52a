import { afterEach, describe, expect, it } from 'vitest';
import { ALICE_BOB_ROOM, DESIGN_ROOM, GROUP_ROOM, conversation, roomSummary } from '../testing/factories';
import { loadLocale } from '../i18n';
import type { RoomNotifyState } from './notifyPolicy';
import { navigationButtonLabel, unreadTotals } from './unreadTotals';

describe('the drawer button\'s totals', () => {
  const dm = conversation({ unreadCount: 2 });
  const design = roomSummary({ lastSeq: 5, unreadCount: 3, mentionCount: 1, myReadSeq: 2 });
  const group = roomSummary({ room: { id: GROUP_ROOM, kind: 'group', name: null }, lastSeq: 4, unreadCount: 4, mentionCount: 2, myReadSeq: 0 });

  it('adds up what counts by default: every unread message of DMs and groups, the mentions of channels', () => {
    expect(unreadTotals([dm], [design, group], null)).toEqual({ unread: 7, mentions: 3 });
  });

  it('leaves out the room being read, a DM or a channel', () => {
    expect(unreadTotals([dm], [design, group], ALICE_BOB_ROOM)).toEqual({ unread: 5, mentions: 3 });
    expect(unreadTotals([dm], [design, group], DESIGN_ROOM)).toEqual({ unread: 6, mentions: 2 });
  });

  it('follows each room\'s notification setting: a muted room and one set to nothing count nothing, "all" counts every message', () => {
    const states: Record<string, RoomNotifyState> = {
      [ALICE_BOB_ROOM]: { level: 'all', isMuted: true },
      [DESIGN_ROOM]: { level: 'all', isMuted: false },
      [GROUP_ROOM]: { level: 'none', isMuted: false },
    };
    expect(unreadTotals([dm], [design, group], null, (roomId) => states[roomId]!)).toEqual({ unread: 3, mentions: 1 });
  });

  it('names the counts in the button\'s accessible name, and only those there are', () => {
    expect(navigationButtonLabel({ unread: 3, mentions: 1 })).toBe('Open navigation, 3 unread, 1 mention');
    expect(navigationButtonLabel({ unread: 5, mentions: 2 })).toBe('Open navigation, 5 unread, 2 mentions');
    expect(navigationButtonLabel({ unread: 0, mentions: 0 })).toBe('Open navigation');
    expect(navigationButtonLabel({ unread: 1, mentions: 0 })).toBe('Open navigation, 1 unread');
    expect(navigationButtonLabel({ unread: 0, mentions: 1 })).toBe('Open navigation, 1 mention');
  });

  describe('in Chinese', () => {
    afterEach(() => loadLocale('en'));

    it('names the counts in one form for every number', async () => {
      await loadLocale('zh-CN');
      expect(navigationButtonLabel({ unread: 3, mentions: 1 })).toBe('打开导航，3 条未读，1 条提及');
      expect(navigationButtonLabel({ unread: 5, mentions: 2 })).toBe('打开导航，5 条未读，2 条提及');
      expect(navigationButtonLabel({ unread: 1, mentions: 0 })).toBe('打开导航，1 条未读');
      expect(navigationButtonLabel({ unread: 0, mentions: 0 })).toBe('打开导航');
    });
  });
});
