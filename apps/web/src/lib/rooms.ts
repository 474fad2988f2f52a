import { LOBBY_ROOM_ID, channelNameKey, isolateText, type MessageChangeDto, type MessageDto, type ReadMarkDto, type RoomDto, type RoomKind, type RoomSummaryDto } from '@confab/shared';
import { t } from '../i18n';
import { attachmentsText } from './attachments';
import { oneLine } from './graphemes';
import { isRemoval } from './messageChanges';
import { eventText } from './roomEvents';

/** Which namespace carries a room's messages: public rooms talk on `/lobby`, private ones on `/dm`. */
export type RoomTransport = 'lobby' | 'dm';

/**
 * The namespace of a room's traffic. A channel whose kind is unknown here can only be one shown
 * as a preview, which only public channels allow.
 */
export function roomTransport(roomId: string, kind: RoomKind | undefined): RoomTransport {
  if (roomId === LOBBY_ROOM_ID || kind === 'public_channel') return 'lobby';
  if (kind === undefined && roomId.startsWith('c:')) return 'lobby';
  return 'dm';
}

/** A group conversation's room id (`g:…`), whatever is known of the room itself. */
export function isGroupRoom(roomId: string): boolean {
  return roomId.startsWith('g:');
}

/** Rooms whose messages the rooms stores hold (the lobby and DMs have stores of their own). */
export function isHeldRoomId(roomId: string): boolean {
  return roomId.startsWith('c:') || isGroupRoom(roomId);
}

export function isChannel(room: Pick<RoomDto, 'kind'>): boolean {
  return room.kind === 'lobby' || room.kind === 'public_channel' || room.kind === 'private_channel';
}

/** The sidebar's channels: the lobby first, then by name as the server orders them (case-insensitively). */
export function sortChannels(summaries: Iterable<RoomSummaryDto>): RoomSummaryDto[] {
  const key = (s: RoomSummaryDto) => (s.room.kind === 'lobby' ? '' : channelNameKey(s.room.name ?? ''));
  return [...summaries].filter((s) => isChannel(s.room)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A group's label: the other members' names, in the server's order (by username). */
export function groupName(room: Pick<RoomDto, 'members'>, myId: string | undefined): string {
  const others = (room.members ?? []).filter((m) => m.id !== myId);
  return others.map((m) => m.displayName).join(t('room.group.separator')) || t('room.group.fallback');
}

/** "1 member", "3 members" ("3 位成员"). */
export function memberCountText(count: number): string {
  return t('room.memberCount', { n: count }, count);
}

/** How a room is named in headers and the sidebar: the channel's name (no `#`), or a group's members. */
export function roomName(room: RoomDto, myId: string | undefined): string {
  return room.kind === 'group' ? groupName(room, myId) : (room.name ?? '');
}

/**
 * A one-line preview of a room's newest entry, names isolated: "You: hi", "Alice Archer: hi",
 * "Alice Archer: 📎 cat.png" (files, no text), "Bob Baker joined", "Alice Archer recalled a
 * message"; empty in an empty room.
 */
export function summaryPreview(summary: RoomSummaryDto, myId: string | undefined): string {
  const last = summary.lastMessage;
  if (!last) return '';
  const isMine = last.author.id === myId;
  const who = isMine ? t('room.summary.you') : isolateText(last.author.name);
  if (last.event) return eventText(last.event, isMine ? { ...last.author, name: t('room.summary.you') } : last.author);
  // Members are not told who removed it (the audit log keeps that).
  if (isRemoval(last)) return t('room.summary.removed');
  if (last.recall || last.recalledAt) return t('room.summary.recalled', { name: who });
  return t('room.summary.message', { name: who, text: oneLine(last.body) || attachmentsText(last.attachments) });
}

/** What the user typed as a channel name, without a leading `#` (people write channels that way). */
export function stripHash(name: string): string {
  return name.trim().replace(/^#+/, '');
}

const lastSeq = (s: RoomSummaryDto) => s.lastSeq;

/**
 * The summary to keep when a snapshot arrives (from `room:list`, `room:update` or an ack). Every
 * counter in it only grows (newest seq, read mark), so a snapshot behind on both is stale. One
 * behind on the newest entry only (a coalesced update read before a message we already noted)
 * takes the room and read mark from the snapshot and keeps the newer entry.
 */
export function mergeSummary(current: RoomSummaryDto | undefined, incoming: RoomSummaryDto): RoomSummaryDto {
  if (!current) return incoming;
  const myReadSeq = Math.max(incoming.myReadSeq, current.myReadSeq);
  if (lastSeq(incoming) >= lastSeq(current)) {
    // Our mark moved past what the snapshot knew (another tab read meanwhile).
    const isReadSince = myReadSeq > incoming.myReadSeq && myReadSeq >= incoming.lastSeq;
    return isReadSince ? { ...incoming, myReadSeq, unreadCount: 0, mentionCount: 0 } : { ...incoming, myReadSeq };
  }
  if (incoming.myReadSeq <= current.myReadSeq) return current;
  const gap = current.lastSeq - incoming.lastSeq;
  const isAllRead = myReadSeq >= current.lastSeq;
  return {
    ...incoming,
    lastMessage: current.lastMessage,
    lastSeq: current.lastSeq,
    lastActivityAt: current.lastActivityAt,
    myReadSeq,
    unreadCount: isAllRead ? 0 : Math.min(current.unreadCount, incoming.unreadCount + gap),
    mentionCount: isAllRead ? 0 : Math.min(current.mentionCount, incoming.mentionCount + gap),
  };
}

/**
 * A live entry (`message:new` or `dm:message`) noted in its room's summary at once (the server
 * sends summaries only with read marks and membership changes): newest entry, and one more unread
 * when someone else wrote it. Entries at or below the newest seq held were counted already.
 * Mentions are counted apart (roomMentions).
 */
export function noteEntry(summary: RoomSummaryDto, message: MessageDto, myId: string | undefined): RoomSummaryDto {
  if (message.roomId !== summary.room.id || message.seq <= summary.lastSeq) return summary;
  // A change (edit, reaction) is no news: the preview keeps the message it shows, brought up to date.
  if (message.change) return { ...summary, lastSeq: message.seq, lastMessage: applyChange(summary.lastMessage, message.change) };
  const byOther = message.author.id !== myId;
  const isUnread = byOther && !message.recall && message.seq > summary.myReadSeq;
  // A recall or removal entry carries the erased message's author, so one by someone else after our mark takes back an unread one.
  const isUnreadRecalled = byOther && message.recall !== undefined && message.recall.seq > summary.myReadSeq;
  let room = summary.room;
  if (message.event?.type === 'renamed' && message.event.name) room = { ...room, name: message.event.name };
  if (message.event?.type === 'topic') room = { ...room, topic: message.event.topic ?? '' };
  const joins = message.event?.type === 'joined' || message.event?.type === 'added';
  const leaves = message.event?.type === 'left' || message.event?.type === 'removed';
  if (joins || leaves) room = { ...room, memberCount: Math.max(0, room.memberCount + (joins ? 1 : -1)) };
  return {
    ...summary,
    room,
    lastMessage: message,
    lastSeq: message.seq,
    lastActivityAt: message.createdAt,
    unreadCount: Math.max(0, summary.unreadCount + (isUnread ? 1 : 0) - (isUnreadRecalled ? 1 : 0)),
  };
}

/** The previewed message with a change entry's state applied, if the change is to it. */
function applyChange(last: MessageDto | null, change: MessageChangeDto): MessageDto | null {
  if (!last || last.id !== change.messageId) return last;
  const { body, editedAt, recalledAt, removedByModerator, mentions, reactions } = change.state;
  return { ...last, body, editedAt, recalledAt, removedByModerator, mentions, reactions };
}


/**
 * Applies our own read mark (this tab's ack, or `dm:read` from another tab). A mark that covers the
 * newest entry clears the counts; a partial one leaves them to the `room:update` that follows.
 */
export function applyRoomMark(summary: RoomSummaryDto, mark: ReadMarkDto, myId: string | undefined): RoomSummaryDto {
  if (mark.roomId !== summary.room.id || mark.userId !== myId || mark.seq <= summary.myReadSeq) return summary;
  if (mark.seq < summary.lastSeq) return { ...summary, myReadSeq: mark.seq };
  return { ...summary, myReadSeq: mark.seq, unreadCount: 0, mentionCount: 0 };
}

/** What a tab holds of one room, for deciding its catch-up. */
export interface HeldRoom {
  roomId: string;
  /** The newest seq held without a gap. */
  syncedSeq: number;
  /** Whether any page has been loaded (otherwise the newest page is fetched on catch-up). */
  isLoaded: boolean;
}

export interface CatchUpPlan {
  /** Behind the list's `lastSeq`, or never loaded: fetch what is missing. */
  sync: string[];
  /** Nothing new: its outbox may go at once, without a request. */
  resume: string[];
  /** Absent from the list (left or removed while away): forget it and its messages. */
  drop: string[];
}

/**
 * After a reconnect's `room:list`: which held rooms to sync, which are up to date, which to
 * forget. Only rooms that changed cost a request. Previews (public channels shown to a
 * non-member) are never in the list; they are synced when loaded and kept.
 */
export function planCatchUp(held: readonly HeldRoom[], summaries: Readonly<Record<string, RoomSummaryDto>>, previews: ReadonlySet<string>): CatchUpPlan {
  const plan: CatchUpPlan = { sync: [], resume: [], drop: [] };
  for (const room of held) {
    const summary = summaries[room.roomId];
    if (!summary) {
      if (!previews.has(room.roomId)) plan.drop.push(room.roomId);
      else if (!room.isLoaded) plan.sync.push(room.roomId);
      else plan.resume.push(room.roomId);
    } else if (!room.isLoaded || summary.lastSeq > room.syncedSeq) plan.sync.push(room.roomId);
    else plan.resume.push(room.roomId);
  }
  return plan;
}

/** Unread entries summed over summaries, skipping the room being read right now (null: none). */
export function totalRoomUnread(summaries: Iterable<RoomSummaryDto>, readingRoomId: string | null = null): number {
  let total = 0;
  for (const s of summaries) if (s.room.id !== readingRoomId) total += s.unreadCount;
  return total;
}
