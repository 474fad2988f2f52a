import mongoose from 'mongoose';
import type { MessageDoc, MessageModel } from './messageModel.js';
import type { PendingRecalls } from './pendingRecalls.js';
import type { StreamCache } from './streamCache.js';
import { EMPTY_COUNTS, unreadBetween, type StreamCounts } from './streamCounts.js';

/** Messages in `(afterSeq, throughSeq]` not written by `excludeAuthorId`. */
export interface UnreadRange {
  afterSeq: number;
  throughSeq: number;
  excludeAuthorId: string;
}

/**
 * Unread counts (MessageStore.countUnread) in the MongoDB store: in rooms that count authors, the
 * difference of the counts stored with the two ends (usually remembered); otherwise, or when more
 * recalls happened in between than an entry lists, by counting the range through the
 * (roomId, seq) index. Recalls the store failed to finish are left out by their markers.
 */
export class UnreadCounts {
  readonly #messages: MessageModel;
  readonly #cache: StreamCache;
  readonly #pendingRecalls: PendingRecalls;

  constructor(deps: { messages: MessageModel; cache: StreamCache; pendingRecalls: PendingRecalls }) {
    this.#messages = deps.messages;
    this.#cache = deps.cache;
    this.#pendingRecalls = deps.pendingRecalls;
  }

  async count(roomId: string, range: UnreadRange): Promise<number> {
    if (range.throughSeq <= range.afterSeq) return 0;
    const [head, mark] = await Promise.all([this.#countsAt(roomId, range.throughSeq), this.#countsAt(roomId, range.afterSeq)]);
    const counted = head && mark ? unreadBetween({ seq: range.afterSeq, counts: mark }, { seq: range.throughSeq, counts: head }, range.excludeAuthorId) : null;
    const unread = counted ?? (await this.#countRange(roomId, range));
    return unread > 0 ? unread - (await this.#pendingRecalls.erasedWithoutEntry(roomId, range)) : 0;
  }

  /** The counts stored with an entry: remembered, or read through the (roomId, seq) index. Null if it has none. */
  async #countsAt(roomId: string, seq: number): Promise<StreamCounts | null> {
    if (seq === 0) return EMPTY_COUNTS;
    const known = this.#cache.counts(roomId, seq);
    if (known) return known;
    const era = this.#cache.era;
    const doc = await this.#messages.findOne({ roomId, seq }, { counts: 1 }).lean<Pick<MessageDoc, 'counts'>>();
    if (doc?.counts) this.#cache.rememberCounts(roomId, seq, doc.counts, era);
    return doc?.counts ?? null;
  }

  async #countRange(roomId: string, range: UnreadRange): Promise<number> {
    const inRange = { roomId, seq: mongoose.trusted({ $gt: range.afterSeq, $lte: range.throughSeq }) };
    const notByReader = mongoose.trusted({ $ne: range.excludeAuthorId });
    const [messages, recalled] = await Promise.all([
      // null matches an absent field too: only recall entries carry `recall`, only change entries `change`.
      this.#messages.countDocuments({ ...inRange, 'author.id': notByReader, recall: null, change: null }),
      // Recalls of messages not by the reader: the recalled message's author is `recall.authorId`,
      // or the entry's own on entries stored before moderators could remove (see MessageDoc.recall).
      this.#messages.countDocuments({
        ...inRange,
        'recall.seq': mongoose.trusted({ $gt: range.afterSeq }),
        $or: [{ 'recall.authorId': mongoose.trusted({ $exists: true, $ne: range.excludeAuthorId }) }, { 'recall.authorId': null, 'author.id': notByReader }],
      }),
    ]);
    return messages - recalled;
  }
}
