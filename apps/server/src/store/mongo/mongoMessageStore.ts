import type { MessageDto, MessagePage } from '@confab/shared';
import mongoose from 'mongoose';
import type { AppendResult, MessageStore, NewMessage } from '../ports.js';
import { RecentlyUsed } from '../recentlyUsed.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { toMessageDto, type MessageDoc, type MessageModel } from './messageModel.js';
import { createSerialByKey } from './serialByKey.js';
import { EMPTY_COUNTS, countsAfter, countsOf, unreadBetween, type StreamCounts } from './streamCounts.js';

// Each failed attempt means another instance stored a message in this room meanwhile, so the
// room makes progress; the bound only stops one send from starving under extreme contention.
const MAX_ATTEMPTS = 50;

// Rooms whose newest entry this process remembers, and entries whose counts it remembers: a few
// hundred bytes each. Past these, a send reads its room's newest entry through the index again.
const REMEMBERED_ROOMS = 10_000;
const REMEMBERED_COUNTS = 30_000;

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** The newest entry of a room as this process last saw it. */
interface Head {
  /** 0 for an empty room. */
  seq: number;
  /** Null in rooms that do not count authors (and in rooms stored before they did). */
  counts: StreamCounts | null;
}

/*
 * Sequence numbers and idempotency without transactions or atomic counters:
 *
 * A message is inserted at (last stored seq in its room) + 1. The unique index on (roomId, seq)
 * refuses the insert if another writer took that seq first, and the unique index on
 * (author.id, clientId) refuses a repeat. A seq is therefore only ever "used" by a message that
 * was actually stored, so a room can have no gap and no repeat whatever races or crashes happen,
 * and a repeated clientId consumes nothing. On a duplicate-key error we look the clientId up: if
 * it is there, that is the original to return; if not, we lost a seq race and try again.
 *
 * Why not `findOneAndUpdate` with `$inc` on a counters collection: a seq taken from a counter is
 * lost when the insert that follows fails (a repeat that races its original, a crash), which
 * leaves a gap; and FerretDB 1.x applies updates as read-modify-write without isolation, so
 * concurrent `$inc`s hand out the same number. Only unique indexes are enforced atomically by
 * both servers.
 *
 * The last stored seq is read once per room (newest first through the (roomId, seq) index) and
 * then remembered: since seqs have no gaps, a free seq right after a stored one is the room's next,
 * so an append is one insert however long the room is. A stale memory (another instance wrote)
 * only costs the insert that the unique index refuses, and a fresh read. This matters most on
 * FerretDB 1.x, which serves no query but an `_id` lookup from an index (see docs/operations.md).
 *
 * Appends to one room are also queued within this process, so that concurrent sends here do not
 * race each other for the same seq; the retry loop only handles races between instances.
 */
export class MongoMessageStore implements MessageStore {
  readonly #messages: MessageModel;
  readonly #guarded: AvailabilityGuard;
  readonly #serial = createSerialByKey();
  readonly #heads = new RecentlyUsed<string, Head>(REMEMBERED_ROOMS);
  // Keyed `${roomId}\u0000${seq}`; an entry's counts never change, so this is never stale.
  readonly #counts = new RecentlyUsed<string, StreamCounts>(REMEMBERED_COUNTS);

  constructor(messages: MessageModel, guarded: AvailabilityGuard) {
    this.#messages = messages;
    this.#guarded = guarded;
  }

  append(input: NewMessage): Promise<AppendResult> {
    // The guard runs inside the queue, so sends queued behind an outage are refused at once too.
    return this.#serial(String(input.roomId), () => this.#guarded(() => this.#insertNext(input)));
  }

  async #insertNext(input: NewMessage): Promise<AppendResult> {
    const isRoomId = typeof input.roomId === 'string';
    for (let attempt = 1; ; attempt += 1) {
      const remembered = isRoomId ? this.#heads.get(input.roomId) : undefined;
      const last = remembered ?? (await this.#readHead(input.roomId));
      const seq = last.seq + 1;
      const counts = input.countAuthors || last.counts ? countsAfter(last.counts ?? (await this.#countsBefore(input.roomId, seq)), { seq, ...input }) : null;
      try {
        const doc = await this.#messages.create({
          roomId: input.roomId,
          seq,
          clientId: input.clientId,
          author: { id: input.author.id, name: input.author.name },
          body: input.body,
          createdAt: input.createdAt,
          ...(input.recall ? { recall: { messageId: input.recall.messageId, seq: input.recall.seq } } : {}),
          ...(counts ? { counts } : {}),
        });
        this.#remember(input.roomId, seq, counts);
        return { message: toMessageDto(doc.toObject()), isNew: true };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      if (isRoomId) this.#heads.delete(input.roomId);
      const original = await this.#messages.findOne({ 'author.id': input.author.id, clientId: input.clientId }).lean<MessageDoc>();
      if (original) return { message: toMessageDto(original), isNew: false };
      if (attempt >= MAX_ATTEMPTS) throw new Error(`no free seq in room after ${MAX_ATTEMPTS} attempts`);
      // A remembered head that another instance moved past is no contention: read it again at once.
      if (!remembered) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }

  /** The room's newest entry, read newest-first through the (roomId, seq) index. */
  async #readHead(roomId: string): Promise<Head> {
    const doc = await this.#messages.findOne({ roomId }, { seq: 1, counts: 1 }).sort({ seq: -1 }).lean<Pick<MessageDoc, 'seq' | 'counts'>>();
    if (!doc) return { seq: 0, counts: null };
    this.#remember(roomId, doc.seq, doc.counts ?? null);
    return { seq: doc.seq, counts: doc.counts ?? null };
  }

  /**
   * The counts before `seq` in a room that starts counting authors only now (stored before it
   * did): counted from the stream once, then carried forward by every later entry.
   */
  async #countsBefore(roomId: string, seq: number): Promise<StreamCounts> {
    if (seq === 1) return EMPTY_COUNTS;
    const docs = await this.#messages
      .find({ roomId, seq: mongoose.trusted({ $lt: seq }) }, { seq: 1, 'author.id': 1, recall: 1 })
      .sort({ seq: 1 })
      .lean<Pick<MessageDoc, 'seq' | 'author' | 'recall'>[]>();
    return countsOf(docs);
  }

  #remember(roomId: string, seq: number, counts: StreamCounts | null): void {
    if (typeof roomId !== 'string') return;
    const known = this.#heads.get(roomId);
    if (!known || known.seq <= seq) this.#heads.set(roomId, { seq, counts });
    if (counts) this.#counts.set(`${roomId}\u0000${seq}`, counts);
  }

  /** The counts stored with an entry: remembered, or read through the (roomId, seq) index. Null if it has none. */
  async #countsAt(roomId: string, seq: number): Promise<StreamCounts | null> {
    if (seq === 0) return EMPTY_COUNTS;
    const known = this.#counts.get(`${roomId}\u0000${seq}`);
    if (known) return known;
    const doc = await this.#messages.findOne({ roomId, seq }, { counts: 1 }).lean<Pick<MessageDoc, 'counts'>>();
    if (doc?.counts) this.#counts.set(`${roomId}\u0000${seq}`, doc.counts);
    return doc?.counts ?? null;
  }

  history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.#guarded(async () => {
      const filter = query.beforeSeq === undefined ? { roomId } : { roomId, seq: mongoose.trusted({ $lt: query.beforeSeq }) };
      const docs = await this.#messages.find(filter, { counts: 0 }).sort({ seq: -1 }).limit(query.limit + 1).lean<MessageDoc[]>();
      return { messages: docs.slice(0, query.limit).reverse().map(toMessageDto), hasMore: docs.length > query.limit };
    });
  }

  since(roomId: string, query: { afterSeq: number; limit: number }): Promise<MessagePage> {
    return this.#guarded(async () => {
      const filter = { roomId, seq: mongoose.trusted({ $gt: query.afterSeq }) };
      const docs = await this.#messages.find(filter, { counts: 0 }).sort({ seq: 1 }).limit(query.limit + 1).lean<MessageDoc[]>();
      return { messages: docs.slice(0, query.limit).map(toMessageDto), hasMore: docs.length > query.limit };
    });
  }

  findById(id: string): Promise<MessageDto | null> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return null;
      const doc = await this.#messages.findById(id).lean<MessageDoc>();
      return doc ? toMessageDto(doc) : null;
    });
  }

  erase(id: string, at: Date): Promise<void> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return;
      // One write sets both, so a message is never recalled with its body still there. The body is
      // never written after creation except to empty it, so even FerretDB's unisolated updates
      // cannot bring it back; racing first erases there may keep either's time.
      await this.#messages.updateOne({ _id: id, recalledAt: null }, { $set: { body: '', recalledAt: at } });
    });
  }

  countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string; throughSeq?: number }): Promise<number> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string') return 0;
      const { afterSeq, excludeAuthorId } = query;
      const throughSeq = query.throughSeq ?? (await this.#readHead(roomId)).seq;
      if (throughSeq <= afterSeq) return 0;
      const [head, mark] = await Promise.all([this.#countsAt(roomId, throughSeq), this.#countsAt(roomId, afterSeq)]);
      const counted = head && mark ? unreadBetween({ seq: afterSeq, counts: mark }, { seq: throughSeq, counts: head }, excludeAuthorId) : null;
      return counted ?? (await this.#countRange(roomId, { afterSeq, throughSeq, excludeAuthorId }));
    });
  }

  /** countUnread by counting the range: rooms without counts, or with many recalls since the mark. */
  async #countRange(roomId: string, query: { afterSeq: number; throughSeq: number; excludeAuthorId: string }): Promise<number> {
    const inRange = { roomId, seq: mongoose.trusted({ $gt: query.afterSeq, $lte: query.throughSeq }), 'author.id': mongoose.trusted({ $ne: query.excludeAuthorId }) };
    const [messages, recalled] = await Promise.all([
      // null matches an absent field too: only recall entries carry `recall`.
      this.#messages.countDocuments({ ...inRange, recall: null }),
      this.#messages.countDocuments({ ...inRange, 'recall.seq': mongoose.trusted({ $gt: query.afterSeq }) }),
    ]);
    return messages - recalled;
  }
}
