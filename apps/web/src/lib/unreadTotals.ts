import { defaultNotifyLevel, type RoomSummaryDto } from '@confab/shared';
import { titleCount, type RoomNotifyState } from './notifyPolicy';
import { t } from '../i18n';
import type { UnreadEntry } from './notifications';

/** What waits in the sidebar while it is out of sight (a drawer): for its button's badge. */
export interface UnreadTotals {
  /** Unread messages that count in every conversation and room (as in the tab title). */
  unread: number;
  /** Of those, messages that mention the reader (lobby, channels, groups: a DM is to the reader anyway). */
  mentions: number;
}

const byDefault = (roomId: string): RoomNotifyState => ({ level: defaultNotifyLevel(roomId), isMuted: false });

/**
 * The sidebar's badges added up as the tab title counts them: each room by its notification
 * setting (muted or "nothing": none; "mentions only": its mentions), leaving out the room being
 * read (on screen, with the reader there), so that a reply there does not flash a count.
 */
export function unreadTotals(
  conversations: Iterable<UnreadEntry>,
  rooms: Iterable<RoomSummaryDto>,
  readingRoomId: string | null,
  stateOf: (roomId: string) => RoomNotifyState = byDefault,
): UnreadTotals {
  let unread = 0;
  let mentions = 0;
  for (const c of conversations) {
    if (c.roomId !== readingRoomId) unread += titleCount(stateOf(c.roomId), c.roomId, { unreadCount: c.unreadCount });
  }
  for (const s of rooms) {
    if (s.room.id === readingRoomId) continue;
    const state = stateOf(s.room.id);
    unread += titleCount(state, s.room.id, s);
    if (!state.isMuted && state.level !== 'none') mentions += s.mentionCount;
  }
  return { unread, mentions };
}

/** The drawer button's accessible name: "Open navigation, 3 unread, 1 mention", naming only the counts there are. */
export function navigationButtonLabel({ unread, mentions }: UnreadTotals): string {
  if (unread > 0 && mentions > 0) return t('layout.nav.openWithBoth', { unread, n: mentions }, mentions);
  if (unread > 0) return t('layout.nav.openWithUnread', { unread });
  if (mentions > 0) return t('layout.nav.openWithMentions', { n: mentions }, mentions);
  return t('layout.nav.open');
}
