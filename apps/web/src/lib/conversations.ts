import { isolateText, type ConversationDto, type ReadMarkDto } from '@confab/shared';
import { t } from '../i18n';
import { attachmentsText } from './attachments';
import { oneLine } from './graphemes';
import { isRemoval } from './messageChanges';

/** Newest activity first; ties by room id, descending, as the server pages them. */
export function compareConversations(a: ConversationDto, b: ConversationDto): number {
  if (a.lastActivityAt !== b.lastActivityAt) return a.lastActivityAt < b.lastActivityAt ? 1 : -1;
  return a.roomId < b.roomId ? 1 : a.roomId > b.roomId ? -1 : 0;
}

/** What the sidebar lists: conversations someone wrote in, newest activity first. */
export function sortConversations(all: Iterable<ConversationDto>): ConversationDto[] {
  return [...all].filter((c) => c.lastMessage !== null).sort(compareConversations);
}

/**
 * The entry to keep when a snapshot of a conversation arrives. Snapshots come from list pages and
 * from `conversation:update`, and a list page asked for before an update may be answered after
 * it. Every counter in a snapshot only grows (newest seq, read and delivery marks), so a snapshot
 * behind on all of them is stale and must not undo the newer one; otherwise the incoming one wins.
 */
export function mergeConversation(current: ConversationDto | undefined, incoming: ConversationDto): ConversationDto {
  if (!current) return incoming;
  const lastSeq = (c: ConversationDto) => c.lastMessage?.seq ?? 0;
  const counters = (c: ConversationDto) => [lastSeq(c), c.myReadSeq, c.peerReadSeq, deliveredSeq(c)];
  const [now, then] = [counters(incoming), counters(current)];
  const isBehind = now.every((n, i) => n <= then[i]!);
  const isSame = now.every((n, i) => n === then[i]);
  if (isBehind && !isSame) return current;
  // Marks never move back, even if the two snapshots were read at slightly different moments.
  return {
    ...incoming,
    myReadSeq: Math.max(incoming.myReadSeq, current.myReadSeq),
    peerReadSeq: Math.max(incoming.peerReadSeq, current.peerReadSeq),
    peerDeliveredSeq: Math.max(deliveredSeq(incoming), deliveredSeq(current)),
  };
}

/** The peer's delivery mark; a server from before delivery marks sends none. */
function deliveredSeq(conversation: ConversationDto): number {
  return conversation.peerDeliveredSeq ?? 0;
}

/**
 * Applies a `dm:read` mark (from this tab's ack or a broadcast) to the entry as `myId` sees it.
 * Our own mark clears the unread count when it covers the newest message; a partial read leaves
 * the count to the `conversation:update` the server sends right after.
 */
export function applyReadMark(conversation: ConversationDto, mark: ReadMarkDto, myId: string): ConversationDto {
  if (mark.roomId !== conversation.roomId) return conversation;
  let next = conversation;
  if (mark.userId === myId && mark.seq > next.myReadSeq) {
    const coversNewest = mark.seq >= (next.lastMessage?.seq ?? 0);
    next = { ...next, myReadSeq: mark.seq, unreadCount: coversNewest ? 0 : next.unreadCount };
  }
  // The peer is `myId` too in notes-to-self; then there is no one else to have "seen" anything.
  // What the peer read reached them: their delivery mark is never below it.
  if (mark.userId === conversation.peer.id && mark.seq > next.peerReadSeq) {
    next = { ...next, peerReadSeq: mark.seq, peerDeliveredSeq: Math.max(deliveredSeq(next), mark.seq) };
  }
  return next;
}

/** Applies a `dm:delivered` mark: the peer's, which shows our messages up to it as "Delivered". Never moves back. */
export function applyDeliveredMark(conversation: ConversationDto, mark: ReadMarkDto, myId: string): ConversationDto {
  if (mark.roomId !== conversation.roomId || mark.userId !== conversation.peer.id || mark.userId === myId) return conversation;
  return mark.seq > deliveredSeq(conversation) ? { ...conversation, peerDeliveredSeq: mark.seq } : conversation;
}

/**
 * The newest seq by the peer that this device knows of from the conversation entry (its newest
 * message), for reporting delivery; 0 when the newest is ours, in notes-to-self, or already read
 * (the server counts what we read as delivered).
 */
export function peerEntrySeq(conversation: ConversationDto, myId: string | undefined): number {
  const last = conversation.lastMessage;
  if (!last || !myId || isNotesToSelf(conversation, myId) || last.author.id !== conversation.peer.id) return 0;
  return last.seq > conversation.myReadSeq ? last.seq : 0;
}

export function totalUnread(conversations: Iterable<ConversationDto>): number {
  let total = 0;
  for (const c of conversations) total += c.unreadCount;
  return total;
}

export function isNotesToSelf(conversation: Pick<ConversationDto, 'peer'>, myId: string | undefined): boolean {
  return conversation.peer.id === myId;
}

/**
 * The sidebar's one-line preview: plain `text` (the newest message's first line, its files,
 * `📎 cat.png`, when it has no text, "You: …" before one's own, "You recalled a message",
 * "Message removed by a moderator"); or,
 * when someone else recalled it, the `actor` who did, for the sentence `dm.preview.recalledBy`
 * that names them (shown isolated there, so the name cannot turn the words after it around).
 */
export type PreviewParts = { actor: null; text: string } | { actor: string; text?: undefined };

/** The preview of the conversation's newest message, as `myId` sees it. */
export function previewParts(conversation: ConversationDto, myId: string | undefined): PreviewParts {
  const last = conversation.lastMessage;
  if (!last) return { actor: null, text: '' };
  // Members are not told who removed it (the audit log keeps that).
  if (isRemoval(last)) return { actor: null, text: t('dm.preview.removed') };
  if (last.recall || last.recalledAt) {
    return isOwnInPair(last.author.id, conversation, myId) ? { actor: null, text: t('dm.preview.recalledByMe') } : { actor: last.author.name };
  }
  const firstLine = oneLine(last.body) || attachmentsText(last.attachments);
  return { actor: null, text: last.author.id === myId && !isNotesToSelf(conversation, myId) ? t('dm.preview.own', { text: firstLine }) : firstLine };
}

/** The preview as one string; `isolate` wraps the actor's name in FSI…PDI for plain-text places (a tooltip). */
export function previewText(conversation: ConversationDto, myId: string | undefined, isolate = false): string {
  const parts = previewParts(conversation, myId);
  if (parts.actor === null) return parts.text;
  return t('dm.preview.recalledBy', { name: isolate ? isolateText(parts.actor) : parts.actor });
}

function isOwnInPair(authorId: string, conversation: ConversationDto, myId: string | undefined): boolean {
  return authorId === myId && !isNotesToSelf(conversation, myId);
}

/** The peer's name as this user sees it. */
export function conversationName(conversation: Pick<ConversationDto, 'peer'>, myId: string | undefined): string {
  return isNotesToSelf(conversation, myId) ? t('dm.notesToSelf') : conversation.peer.displayName;
}
