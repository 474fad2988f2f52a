import type { NotifyLevel } from '@confab/shared';

/** A room's notification setting as the notifier needs it: the level in effect, and whether a mute holds now. */
export interface RoomNotifyState {
  level: NotifyLevel;
  isMuted: boolean;
}

// Every message of a one-to-one DM is addressed to the reader, so there "mentions only" is every message (as Slack treats DMs).
const isDirect = (roomId: string) => roomId.startsWith('dm:');

/** Whether a message of the room may interrupt at all (the author and whether the reader is looking are checked elsewhere). */
export function mayNotify(state: RoomNotifyState, roomId: string, isMention: boolean): boolean {
  if (state.isMuted || state.level === 'none') return false;
  return state.level === 'all' || isDirect(roomId) || isMention;
}

/** How many of the room's unread messages count in the tab title: all, only those that mention the reader, or none. */
export function titleCount(state: RoomNotifyState, roomId: string, counts: { unreadCount: number; mentionCount?: number }): number {
  if (state.isMuted || state.level === 'none') return 0;
  if (state.level === 'all' || isDirect(roomId)) return counts.unreadCount;
  return counts.mentionCount ?? 0;
}
