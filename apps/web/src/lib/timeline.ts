import type { AttachmentDto, AuthorDto, MentionDto, MessageDto, ReactionDto, ReplyQuoteDto, RoomEventDto } from '@confab/shared';
import { isChangeEntry, quoteOf, type ReplyRef } from './messageChanges';
import type { OutboxItem } from './messages';
import { quoteText } from './messageText';
import { attachmentsText } from './attachments';
import { formatDay } from './format';
import { errorText } from '../i18n/errors';
import { DEFAULT_LOCALE } from '../i18n/locales';
import { currentLocale, t } from '../i18n';

/** Consecutive messages by one author closer together than this share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

export interface TimelineDay {
  kind: 'day';
  key: string;
  label: string;
}

/** The one-line quote a reply shows of the message it answers. */
export interface TimelineQuote {
  messageId: string;
  seq: number;
  authorId: string;
  authorName: string;
  /** Plain text, one line: never markup. Empty when the original was recalled. */
  text: string;
  /** The original is gone: recalled by its author, or removed by a moderator (`isRemoved`). */
  isRecalled: boolean;
  /** The original was removed by a moderator (and `isRecalled` is set too). */
  isRemoved: boolean;
}

/** One emoji's reactions on a message, as its chip shows them. */
export interface TimelineReaction {
  emoji: string;
  count: number;
  /** Who reacted, earliest first. */
  names: string[];
  /** The reader is one of them: the chip is highlighted, and clicking it takes the reaction back. */
  isMine: boolean;
}

export interface TimelineMessage {
  kind: 'message';
  /** Stable across the pending → sent transition, so the row is not re-created when acked. */
  key: string;
  clientId: string;
  /** The stored message's id; null while unacked. */
  id: string | null;
  seq: number | null;
  authorId: string;
  authorName: string;
  /** The author's account is deactivated (or banned) now: a mark beside their name. */
  isAuthorDeactivated: boolean;
  body: string;
  createdAt: string;
  status: 'sent' | 'pending' | 'failed';
  errorMessage: string | null;
  /** A pending send held back by the server's rate limit until then (epoch ms). */
  heldUntil: number | null;
  isOwn: boolean;
  /**
   * Erased: recalled by its author, or removed by a moderator (then `isRemoved` too). Shown as a
   * tombstone ("Alice recalled a message", "Message removed by a moderator"), never with a body.
   */
  isRecalled: boolean;
  /** Removed by a moderator (an admin, or the channel's owner), not recalled by its author. */
  isRemoved: boolean;
  /** When its author last edited it; null if never. */
  editedAt: string | null;
  /** The message it replies to, or null. */
  replyTo: TimelineQuote | null;
  /**
   * A failed reply whose original is gone (recalled, or the server refused the reply): sending it
   * again as a reply cannot work, only as a plain message.
   */
  isOrphanReply: boolean;
  mentions: MentionDto[];
  /** It mentions the reader: shown highlighted. */
  isMentioningMe: boolean;
  reactions: TimelineReaction[];
  /** Its files, in the sender's order; none once recalled. */
  attachments: AttachmentDto[];
  /** First of a run by the same author: shows avatar, name and time. */
  isGroupStart: boolean;
}

/** A change to the room (someone joined, a new topic): a centred line of its own, never a message. */
export interface TimelineEvent {
  kind: 'event';
  key: string;
  seq: number;
  author: AuthorDto;
  event: RoomEventDto;
  createdAt: string;
}

/** The "New messages" line: above the first entry the reader had not read when they opened the room. */
export interface TimelineUnreadLine {
  kind: 'unread';
  key: 'unread';
}

export type TimelineEntry = TimelineDay | TimelineMessage | TimelineEvent | TimelineUnreadLine;

export interface TimelineOptions {
  /** The reader's read mark when they opened the room: the line goes above the first unread entry after it. Null: no line. */
  unreadAfterSeq?: number | null;
  /** The quote a pending reply shows (the room's `quoteFor`); by default built from `messages` alone. */
  quoteFor?: (ref: ReplyRef) => ReplyQuoteDto;
  /** Rows of an earlier build of the same list, reused for messages that have not changed. */
  cache?: TimelineCache;
  /**
   * Whether to mark an author as deactivated, given what their message says (`fromDto`): live
   * changes heard since it was fetched win (the userStates store). By default what it says.
   */
  isAuthorDeactivated?: (userId: string, fromDto: boolean) => boolean;
  /** Moves whenever `isAuthorDeactivated` may answer differently, so cached rows are built again. */
  accountsRevision?: number;
}

export interface Me {
  id: string;
  name: string;
}

/** Local calendar day, e.g. `2025-01-31`. */
export function dayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${m}-${d}`;
}

/** "Today", "Yesterday" or the date, in the language on screen; `now` is the server's time (see serverClock), never the device's. */
export function dayLabel(date: Date, now: Date): string {
  const today = dayKey(now);
  const yesterday = dayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  const key = dayKey(date);
  if (key === today) return t('chat.day.today');
  if (key === yesterday) return t('chat.day.yesterday');
  return formatDay(date, now);
}

/** Why an unacked message was not sent, in the language on screen. */
function failureText(error: OutboxItem['error']): string {
  if (!error) return t('chat.failed.notDelivered');
  // The generic text for not_found would not say what is missing: the message a reply answers.
  if (error.code === 'not_found' && error.field === 'replyTo' && currentLocale() !== DEFAULT_LOCALE) return t('chat.failed.replyGone');
  return errorText(error);
}

function quoteRow(quote: ReplyQuoteDto | undefined): TimelineQuote | null {
  if (!quote) return null;
  const isRecalled = quote.recalled === true;
  return {
    messageId: quote.messageId,
    seq: quote.seq,
    authorId: quote.author.id,
    authorName: quote.author.name,
    text: isRecalled ? '' : quote.excerpt !== '' ? quoteText(quote.excerpt) : attachmentsText(quote.attachments),
    isRecalled,
    isRemoved: isRecalled && quote.removedByModerator === true,
  };
}

function reactionRows(reactions: readonly ReactionDto[] | undefined, me: Me | null): TimelineReaction[] {
  return (reactions ?? [])
    .filter((r) => r.users.length > 0)
    .map((r) => ({ emoji: r.emoji, count: r.users.length, names: r.users.map((u) => u.name), isMine: r.users.some((u) => u.id === me?.id) }));
}

type DeactivationCheck = (userId: string, fromDto: boolean) => boolean;
const asStored: DeactivationCheck = (_userId, fromDto) => fromDto;

function storedRow(m: MessageDto, me: Me | null, isDeactivated: DeactivationCheck): TimelineMessage | TimelineEvent {
  if (m.event) return { kind: 'event', key: `e:${m.id}`, seq: m.seq, author: m.author, event: m.event, createdAt: m.createdAt };
  const isRecalled = m.recalledAt !== undefined;
  const mentions = isRecalled ? [] : (m.mentions ?? []);
  return {
    kind: 'message',
    key: `c:${m.author.id}:${m.clientId}`,
    clientId: m.clientId,
    id: m.id,
    seq: m.seq,
    authorId: m.author.id,
    authorName: m.author.name,
    isAuthorDeactivated: isDeactivated(m.author.id, m.author.deactivated === true),
    body: m.body,
    createdAt: m.createdAt,
    status: 'sent',
    errorMessage: null,
    heldUntil: null,
    isOwn: m.author.id === me?.id,
    isRecalled,
    isRemoved: isRecalled && m.removedByModerator === true,
    editedAt: isRecalled ? null : (m.editedAt ?? null),
    replyTo: isRecalled ? null : quoteRow(m.replyTo),
    isOrphanReply: false,
    mentions,
    isMentioningMe: !!me && mentions.some((mention) => mention.id === me.id),
    reactions: isRecalled ? [] : reactionRows(m.reactions, me),
    attachments: isRecalled ? [] : (m.attachments ?? []),
    isGroupStart: true,
  };
}

/** An unacked message of ours; a reply's quote is built now, from its original as it is now. */
function pendingRow(o: OutboxItem, me: Me | null, quoteFor: (ref: ReplyRef) => ReplyQuoteDto): TimelineMessage {
  const replyTo = o.replyTo ? quoteRow(quoteFor(o.replyTo)) : null;
  return {
    kind: 'message',
    key: `c:${me?.id ?? ''}:${o.clientId}`,
    clientId: o.clientId,
    id: null,
    seq: null,
    authorId: me?.id ?? '',
    authorName: me?.name ?? '',
    isAuthorDeactivated: false,
    body: o.body,
    createdAt: o.createdAt,
    status: o.status,
    errorMessage: o.status === 'failed' ? failureText(o.error) : null,
    heldUntil: o.status === 'pending' ? (o.heldUntil ?? null) : null,
    isOwn: true,
    isRecalled: false,
    isRemoved: false,
    editedAt: null,
    replyTo,
    isOrphanReply: o.status === 'failed' && !!replyTo && (replyTo.isRecalled || o.error?.field === 'replyTo'),
    mentions: [],
    isMentioningMe: false,
    reactions: [],
    attachments: o.attachments ?? [],
    isGroupStart: true,
  };
}

/** The first stored row the reader had not read: by someone else, after the mark, not a tombstone. */
function isUnread(row: TimelineMessage | TimelineEvent, afterSeq: number, me: Me | null): boolean {
  if (row.seq === null || row.seq <= afterSeq) return false;
  return row.kind === 'event' ? row.author.id !== me?.id : !row.isOwn && !row.isRecalled;
}

/**
 * Rows kept from one build of a list's timeline to the next. A held message is replaced by a new
 * object whenever anything about it changes (see applyStates), so its row is keyed by the message
 * object: a burst of entries rebuilds only the rows it changed, and every other row stays the same
 * object, which Vue then does not render again. Everything else a stored row shows is read from
 * the message in storedRow; anything a row ever takes from elsewhere must go into `context`.
 */
export interface TimelineCache {
  rows: WeakMap<MessageDto, CachedRow>;
  /** What the rows were built for besides their messages: the reader, the language on screen and the accounts revision. */
  context: string;
}

interface CachedRow {
  /** As the first of a group. */
  row: TimelineMessage | TimelineEvent;
  /** The same row as a continuation, made when first needed. */
  continued?: TimelineMessage;
  day: string;
  time: number;
}

export function createTimelineCache(): TimelineCache {
  return { rows: new WeakMap(), context: '' };
}

function rowItem(row: TimelineMessage | TimelineEvent): CachedRow {
  const date = new Date(row.createdAt);
  return { row, day: dayKey(date), time: date.getTime() };
}

function storedItem(m: MessageDto, me: Me | null, cache: TimelineCache | undefined, isDeactivated: DeactivationCheck): CachedRow {
  const held = cache?.rows.get(m);
  if (held) return held;
  const item = rowItem(storedRow(m, me, isDeactivated));
  cache?.rows.set(m, item);
  return item;
}

/**
 * Flattens stored messages and the outbox into what the list renders: day separators, and
 * messages marked as the start of a group or a continuation. Unacked messages come last, in the
 * order they were written, because the server has not placed them yet. With a `cache`, rows of
 * messages unchanged since its last build are the same objects as then.
 */
export function buildTimeline(
  messages: readonly MessageDto[],
  outbox: readonly OutboxItem[],
  me: Me | null,
  now: Date,
  options: TimelineOptions = {},
): TimelineEntry[] {
  const quoteFor = options.quoteFor ?? ((ref: ReplyRef) => quoteOf(ref, messages, new Map()));
  const cache = options.cache;
  if (cache) {
    const context = `${me?.id ?? ''}|${currentLocale()}|${options.accountsRevision ?? 0}`;
    if (cache.context !== context) {
      cache.rows = new WeakMap();
      cache.context = context;
    }
  }
  const items: CachedRow[] = [];
  // Recall and change entries only change their target (roomMessages did that already).
  const isDeactivated = options.isAuthorDeactivated ?? asStored;
  for (const m of messages) if (!isChangeEntry(m)) items.push(storedItem(m, me, cache, isDeactivated));
  for (const o of outbox) items.push(rowItem(pendingRow(o, me, quoteFor)));

  const entries: TimelineEntry[] = [];
  let previous: CachedRow | null = null;
  let previousDay = '';
  const unreadAfter = options.unreadAfterSeq ?? null;
  let hasUnreadLine = unreadAfter === null;
  for (const item of items) {
    const { row, day } = item;
    if (day !== previousDay) {
      entries.push({ kind: 'day', key: `d:${day}`, label: dayLabel(new Date(item.time), now) });
      previousDay = day;
      previous = null;
    }
    if (!hasUnreadLine && isUnread(row, unreadAfter!, me)) {
      entries.push({ kind: 'unread', key: 'unread' });
      hasUnreadLine = true;
      // What follows the line starts a group of its own, header and all.
      previous = null;
    }
    // A room event stands apart: the message after it starts a new group.
    if (row.kind === 'event') {
      entries.push(row);
      previous = null;
      continue;
    }
    entries.push(continuesGroup(item, previous) ? (item.continued ??= { ...row, isGroupStart: false }) : row);
    previous = item;
  }
  return entries;
}

/**
 * Whether a message row goes on under the header of the one before it: same author, within the
 * window. A tombstone stands on its own line, and so does whatever follows it; a reply always
 * shows its author (the quote sits between the header and the text).
 */
function continuesGroup(item: CachedRow, previous: CachedRow | null): boolean {
  const row = item.row as TimelineMessage;
  const before = previous?.row as TimelineMessage | undefined;
  if (!before || before.authorId !== row.authorId || row.isRecalled || before.isRecalled || row.replyTo) return false;
  // Absolute: a pending row carries the client's estimate of the server's clock, which may be a little off.
  return Math.abs(item.time - previous!.time) < GROUP_WINDOW_MS;
}

/**
 * How many rows the "N new messages" button counts: messages by others, shown as messages (not
 * tombstones), stored after `seenSeq`. Only rows of the timeline can count, so stream entries
 * that are not shown as rows of their own (recalls, and later edits or reactions) never do, and a
 * new message that is recalled before it was seen stops counting.
 */
export function countNewMessages(entries: readonly TimelineEntry[], seenSeq: number): number {
  let count = 0;
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i]!;
    if (entry.kind !== 'message') continue;
    // Unacked rows (ours) sit at the end with no seq; stored rows are in seq order.
    if (entry.seq === null) continue;
    if (entry.seq <= seenSeq) break;
    if (!entry.isOwn && !entry.isRecalled) count += 1;
  }
  return count;
}

/** The tombstone's text, also used for conversation previews. */
export function recalledText(authorName: string): string {
  return t('chat.message.recalled', { name: authorName });
}
