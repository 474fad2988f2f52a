import type { MentionDto } from '@confab/shared';
import mongoose from 'mongoose';
import type { AppendResult, MessageStore, NewMessage, StoredMessage, StoredPage } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { duplicateKeyFields, isDuplicateKeyError } from './driverErrors.js';
import { toAttachmentDto, toRoomEventDto, toStoredChange, toStoredMessage, type MessageDoc, type MessageModel } from './messageModel.js';
import type { PendingRecalls } from './pendingRecalls.js';
import { createSerialByKey } from '../../serialByKey.js';
import type { Head, StreamCache } from './streamCache.js';
import { EMPTY_COUNTS, countsAfter, type StreamCounts } from './streamCounts.js';
import { UnreadCounts } from './unreadCounts.js';

// Each failed attempt means another instance stored a message in this room meanwhile, so the
// room makes progress; the bound only stops one send from starving under extreme contention.
const MAX_ATTEMPTS = 50;

// How many times an erase writes the erased state back before it gives up: each time means an
// edit racing it overwrote the document (FerretDB 1.x), and a message is edited only so often.
const MAX_ERASE_WRITES = 50;

// How many seqs past a remembered head an append tries before it reads the head: the other
// instances usually wrote a message or two since this one last did.
const STEPS_PAST_HEAD = 4;

const NEW_ROOM: Head = { seq: 0, counts: null };

/** What an erase removes besides the body: whom it mentioned and the files sent with it. */
const ERASED_FIELDS = { mentions: 1, attachments: 1 } as const;

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** A message to store; a recall entry's also names the recalled message's author (MessageDoc.recall). */
type Storing = Omit<NewMessage, 'recall'> & { recall?: NonNullable<NewMessage['recall']> & { authorId: string } };

/** Which unique index refused an insert; `either` when the server does not say (FerretDB). */
type Refusal = 'seq' | 'clientId' | 'either';

function refusalOf(err: unknown): Refusal {
  const fields = duplicateKeyFields(err);
  return fields?.includes('seq') ? 'seq' : fields?.includes('clientId') ? 'clientId' : 'either';
}

/*
 * Sequence numbers and idempotency without transactions or atomic counters:
 *
 * A message is inserted at (last stored seq in its room) + 1. The unique index on (roomId, seq)
 * refuses the insert if another writer took that seq first, and the unique index on
 * (author.id, clientId) refuses a repeat. A seq is therefore only ever "used" by a message that
 * was actually stored, so a room can have no gap and no repeat whatever races or crashes happen,
 * and a repeated clientId consumes nothing. A refused insert is either a lost seq race (try again
 * after the newest entry) or a repeat (return the original); MongoDB says which index refused,
 * FerretDB does not, and then the clientId is looked up once an insert right after a freshly read
 * newest entry is refused.
 *
 * Why not `findOneAndUpdate` with `$inc` on a counters collection: a seq taken from a counter is
 * lost when the insert that follows fails (a repeat that races its original, a crash), which
 * leaves a gap; and FerretDB 1.x applies updates as read-modify-write without isolation, so
 * concurrent `$inc`s hand out the same number. Only unique indexes are enforced atomically by
 * both servers.
 *
 * The newest seq is remembered (StreamCache), so an append is one insert however long the room
 * is. A room this process never saw is first taken for new: seq 1 needs no predecessor. When the
 * remembered head is stale (another instance wrote), the refused seq is taken, or the clientId is
 * and every later insert is refused the same way, so an insert at the next seq cannot leave a
 * gap: entries without counts (the lobby) step forward a few seqs before reading the head again;
 * entries with counts need the counts of the entry before them, so they read it. Reads of the
 * head matter most on FerretDB 1.x, which serves no query but an `_id` lookup from an index.
 *
 * Appends to one room are also queued within this process, so that concurrent sends here do not
 * race each other for the same seq; the retry loop only handles races between instances.
 */
export class MongoMessageStore implements MessageStore {
  readonly #messages: MessageModel;
  readonly #guarded: AvailabilityGuard;
  readonly #cache: StreamCache;
  readonly #pendingRecalls: PendingRecalls;
  readonly #unread: UnreadCounts;
  readonly #serial = createSerialByKey();

  constructor(deps: { messages: MessageModel; guarded: AvailabilityGuard; cache: StreamCache; pendingRecalls: PendingRecalls }) {
    this.#messages = deps.messages;
    this.#guarded = deps.guarded;
    this.#cache = deps.cache;
    this.#pendingRecalls = deps.pendingRecalls;
    this.#unread = new UnreadCounts(deps);
  }

  async append(input: NewMessage): Promise<AppendResult> {
    const storing = input.recall ? await this.#guarded(() => this.#withRecalledAuthor(input)) : (input as Storing);
    // The guard runs inside the queue, so sends queued behind an outage are refused at once too.
    const result = await this.#serial(String(input.roomId), () => this.#guarded(() => this.#insertNext(storing)));
    if (input.recall) await this.#pendingRecalls.end(input.recall.messageId);
    return result;
  }

  /** A recall entry with the recalled message's author, whom unread counts go by (a moderator's removal is written by another). */
  async #withRecalledAuthor(input: NewMessage): Promise<Storing> {
    const recall = input.recall!;
    const target = OBJECT_ID.test(String(recall.messageId)) ? await this.#messages.findById(recall.messageId, { author: 1 }).lean<Pick<MessageDoc, 'author'>>() : null;
    return { ...input, recall: { ...recall, authorId: target?.author.id ?? input.author.id } };
  }

  async #insertNext(input: Storing): Promise<AppendResult> {
    const rememberedEra = this.#cache.era;
    const remembered = typeof input.roomId === 'string' ? this.#cache.head(input.roomId) : undefined;
    let head = remembered ?? NEW_ROOM;
    let basis: 'remembered' | 'guessed' | 'read' = remembered ? 'remembered' : 'guessed';
    let steps = 0;
    for (let attempt = 1; ; attempt += 1) {
      const era = this.#cache.era;
      const seq = head.seq + 1;
      const counts = input.countAuthors || head.counts ? countsAfter(head.counts ?? (await this.#countsBefore(input.roomId, seq)), { seq, ...input }) : null;
      const refusal = await this.#insert(input, seq, counts);
      if (typeof refusal !== 'string') {
        this.#cache.rememberHead(input.roomId, { seq, counts }, era);
        return { message: refusal, isNew: true };
      }
      if (refusal === 'clientId' || (refusal === 'either' && basis === 'read')) {
        const original = await this.#messages.findOne({ 'author.id': input.author.id, clientId: input.clientId }).lean<MessageDoc>();
        if (original) return { message: toStoredMessage(original), isNew: false };
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`no free seq in room after ${MAX_ATTEMPTS} attempts`);
      // Stepping on from what was remembered holds only while the database has lost nothing since.
      // A recall entry may join a room that counts (from a remembered head without counts, during
      // a rolling upgrade), where every entry must carry counts: it reads the head instead.
      const mayStep = basis === 'remembered' && this.#cache.era === rememberedEra && !input.recall;
      if (mayStep && refusal !== 'clientId' && counts === null && steps < STEPS_PAST_HEAD) {
        head = { seq, counts: null };
        steps += 1;
        continue;
      }
      // Refused right after a head read just now: another instance is writing here too.
      if (basis === 'read') await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
      head = await this.#readHead(input.roomId);
      basis = 'read';
    }
  }

  /** The stored message, or which unique index refused it. */
  async #insert(input: Storing, seq: number, counts: StreamCounts | null): Promise<StoredMessage | Refusal> {
    try {
      const doc = await this.#messages.create({
        roomId: input.roomId,
        seq,
        clientId: input.clientId,
        author: { id: input.author.id, name: input.author.name },
        body: input.body,
        createdAt: input.createdAt,
        ...(input.recall
          ? {
              recall: {
                messageId: input.recall.messageId,
                seq: input.recall.seq,
                ...(input.recall.byModerator ? { byModerator: true } : {}),
                authorId: input.recall.authorId,
              },
            }
          : {}),
        // An event entry is otherwise an ordinary entry: it takes a seq, and counts (countsAfter,
        // countUnread's `recall: null`) as a message by its author.
        ...(input.event ? { event: toRoomEventDto(input.event) } : {}),
        // A change entry takes a seq too, but never counts (countsAfter, countUnread's `change: null`).
        ...(input.change ? { change: toStoredChange(input.change) } : {}),
        ...(input.replyTo ? { replyTo: { messageId: input.replyTo.messageId, seq: input.replyTo.seq } } : {}),
        ...(input.mentions?.length ? { mentions: input.mentions.map((m) => ({ id: m.id, username: m.username })) } : {}),
        ...(input.attachments?.length ? { attachments: input.attachments.map(toAttachmentDto) } : {}),
        ...(counts ? { counts } : {}),
      });
      return toStoredMessage(doc.toObject());
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return refusalOf(err);
    }
  }

  /** The room's newest entry's seq and counts, read newest-first through the (roomId, seq) index. */
  async #readHead(roomId: string): Promise<Head> {
    const doc = await this.#readNewest<Pick<MessageDoc, 'seq' | 'counts'>>(roomId, { seq: 1, counts: 1 });
    return { seq: doc?.seq ?? 0, counts: doc?.counts ?? null };
  }

  /** The room's newest entry, which becomes the remembered head. */
  async #readNewest<T extends Pick<MessageDoc, 'seq' | 'counts'>>(roomId: string, projection: Record<string, 1>): Promise<T | null> {
    const era = this.#cache.era;
    const known = this.#cache.head(roomId);
    const doc = await this.#messages.findOne({ roomId }, projection).sort({ seq: -1 }).lean<T>();
    const seq = doc?.seq ?? 0;
    // Seqs are never taken back: fewer entries than this process saw stored before this read
    // began means the database lost writes (a restore, a rollback), and nothing remembered holds.
    if (known && known.seq > seq) this.#cache.clear();
    else this.#cache.rememberHead(roomId, { seq, counts: doc?.counts ?? null }, era);
    return doc;
  }

  /**
   * The counts before `seq` in a room that starts counting authors only now (stored before it
   * did): counted from the stream once, then carried forward by every later entry. Streamed, so
   * a long room is never held in memory at once.
   */
  async #countsBefore(roomId: string, seq: number): Promise<StreamCounts> {
    if (seq === 1) return EMPTY_COUNTS;
    let counts = EMPTY_COUNTS;
    const entries = this.#messages
      .find({ roomId, seq: mongoose.trusted({ $lt: seq }) }, { seq: 1, 'author.id': 1, recall: 1, change: 1 })
      .sort({ seq: 1 })
      .lean<Pick<MessageDoc, 'seq' | 'author' | 'recall' | 'change'>>()
      .cursor({ batchSize: 1_000 });
    for await (const entry of entries) counts = countsAfter(counts, entry);
    return counts;
  }

  newest(roomId: string): Promise<StoredMessage | null> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string') return null;
      // With its counts, so that the unread count through it, asked for next, reads nothing more.
      const doc = await this.#readNewest<MessageDoc>(roomId, {});
      return doc ? toStoredMessage(doc) : null;
    });
  }

  newestShown(roomId: string): Promise<StoredMessage | null> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string') return null;
      // Newest first through the (roomId, seq) index, passing over the change entries after the
      // newest message (reactions and edits to recent messages: usually none or a few).
      const doc = await this.#messages.findOne({ roomId, change: null }, { counts: 0 }).sort({ seq: -1 }).lean<MessageDoc>();
      return doc ? toStoredMessage(doc) : null;
    });
  }

  shownWindowStart(roomId: string, query: { throughSeq: number; count: number }): Promise<number> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string') return 0;
      // Newest first through the (roomId, seq) index: the (count + 1)-th shown entry is the one before the window.
      const doc = await this.#messages
        .findOne({ roomId, seq: mongoose.trusted({ $lte: query.throughSeq }), change: null }, { seq: 1 })
        .sort({ seq: -1 })
        .skip(query.count)
        .lean<Pick<MessageDoc, 'seq'>>();
      return doc?.seq ?? 0;
    });
  }

  upToNewest(roomId: string, seq: number): Promise<number> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string') return 0;
      // Seqs have no gaps: one at or below a stored seq is stored.
      if (seq <= (this.#cache.head(roomId)?.seq ?? 0)) return seq;
      return Math.min(seq, (await this.#readHead(roomId)).seq);
    });
  }

  history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<StoredPage> {
    return this.#guarded(async () => {
      const filter = query.beforeSeq === undefined ? { roomId } : { roomId, seq: mongoose.trusted({ $lt: query.beforeSeq }) };
      const docs = await this.#messages.find(filter, { counts: 0 }).sort({ seq: -1 }).limit(query.limit + 1).lean<MessageDoc[]>();
      return { messages: docs.slice(0, query.limit).reverse().map(toStoredMessage), hasMore: docs.length > query.limit };
    });
  }

  since(roomId: string, query: { afterSeq: number; limit: number }): Promise<StoredPage> {
    return this.#guarded(async () => {
      const filter = { roomId, seq: mongoose.trusted({ $gt: query.afterSeq }) };
      const docs = await this.#messages.find(filter, { counts: 0 }).sort({ seq: 1 }).limit(query.limit + 1).lean<MessageDoc[]>();
      return { messages: docs.slice(0, query.limit).map(toStoredMessage), hasMore: docs.length > query.limit };
    });
  }

  findById(id: string): Promise<StoredMessage | null> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return null;
      const doc = await this.#messages.findById(id, { counts: 0 }).lean<MessageDoc>();
      return doc ? toStoredMessage(doc) : null;
    });
  }

  findByClientId(authorId: string, clientId: string): Promise<StoredMessage | null> {
    return this.#guarded(async () => {
      if (typeof authorId !== 'string' || typeof clientId !== 'string') return null;
      // The unique (author.id, clientId) index answers this.
      const doc = await this.#messages.findOne({ 'author.id': authorId, clientId }, { counts: 0 }).lean<MessageDoc>();
      return doc ? toStoredMessage(doc) : null;
    });
  }

  findByIds(ids: readonly string[]): Promise<StoredMessage[]> {
    return this.#guarded(async () => {
      const valid = [...new Set(ids.filter((id) => typeof id === 'string' && OBJECT_ID.test(id)))];
      if (valid.length === 0) return [];
      // One id (a live reply or change entry, the usual case) by key: FerretDB 1.x answers an `_id`
      // lookup by key, but reads its whole table for `$in`.
      if (valid.length === 1) {
        const doc = await this.#messages.findById(valid[0], { counts: 0 }).lean<MessageDoc>();
        return doc ? [toStoredMessage(doc)] : [];
      }
      const docs = await this.#messages.find({ _id: mongoose.trusted({ $in: valid }) }, { counts: 0 }).lean<MessageDoc[]>();
      return docs.map(toStoredMessage);
    });
  }

  /*
   * Edits against recalls. On MongoDB an update is atomic, so an edit conditioned on
   * `recalledAt: null` never lands on an erased message. FerretDB 1.x applies an update by reading
   * the document and writing the whole of it back, unisolated: an edit that read the message
   * before a racing erase wrote can write the old state back over the erase, body, mentions,
   * attachments and all, and `recalledAt` with them. So each side checks after its own write and
   * erases again if it must: the erase re-reads until the document is erased; the edit re-reads
   * and, if a recall has begun (its pending marker, or the recall entry that outlives it: see
   * PendingRecalls), erases it itself. Whichever write lands last is followed by such a check, so
   * the recall always wins.
   */
  edit(id: string, change: { body: string; mentions: MentionDto[]; editedAt: Date }): Promise<StoredMessage | null> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return null;
      const mentions = change.mentions.map((m) => ({ id: m.id, username: m.username }));
      await this.#messages.updateOne(
        { _id: id, recalledAt: null },
        mentions.length > 0
          ? { $set: { body: change.body, mentions, editedAt: change.editedAt } }
          : { $set: { body: change.body, editedAt: change.editedAt }, $unset: { mentions: 1 } },
      );
      const doc = await this.#messages.findById(id, { counts: 0 }).lean<MessageDoc>();
      if (!doc) return null;
      // An edit that wrote back what it read before an erase leaves no `recalledAt`: the marker says
      // whether one began, and whether a moderator's removal, whose mark went with it.
      const started = doc.recalledAt ? null : await this.#pendingRecalls.started(doc);
      const recalledAt = doc.recalledAt ?? started?.at;
      const stored = recalledAt ? await this.#settleErased(id, recalledAt, started?.byModerator === true) : doc;
      return stored ? toStoredMessage(stored) : null;
    });
  }

  erase(id: string, at: Date, options: { byModerator?: boolean } = {}): Promise<void> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return;
      const byModerator = options.byModerator === true;
      const target = await this.#messages.findById(id, { roomId: 1, seq: 1, author: 1, recalledAt: 1, recall: 1, change: 1 }).lean<MessageDoc>();
      if (!target) return;
      if (!target.recall && !target.change && (!target.recalledAt || byModerator)) await this.#pendingRecalls.begin(target, at, byModerator);
      // One write empties the body (and whom it mentioned, and its files) and sets the time, so a
      // message is never recalled with its text still there; the first erase's time is kept. Then
      // checked: see edit. A moderator's mark on a message erased before is set by the check.
      const mark = byModerator ? { removedByModerator: true } : {};
      await this.#messages.updateOne({ _id: id, recalledAt: null }, { $set: { body: '', recalledAt: at, ...mark }, $unset: ERASED_FIELDS });
      await this.#settleErased(id, at, byModerator);
    });
  }

  /**
   * Reads the message until it is erased (and marked as a moderator's removal, for one), erasing it
   * again while a racing edit's write undid that (see edit).
   */
  async #settleErased(id: string, at: Date, byModerator: boolean): Promise<MessageDoc | null> {
    const mark = byModerator ? { removedByModerator: true } : {};
    for (let attempt = 1; ; attempt += 1) {
      const doc = await this.#messages.findById(id, { counts: 0 }).lean<MessageDoc>();
      if (!doc || (doc.recalledAt && doc.body === '' && !doc.mentions && !doc.attachments && (!byModerator || doc.removedByModerator))) return doc;
      if (attempt > MAX_ERASE_WRITES) throw new Error(`message still being edited after ${MAX_ERASE_WRITES} erases`);
      await this.#messages.updateOne({ _id: id }, { $set: { body: '', recalledAt: doc.recalledAt ?? at, ...mark }, $unset: ERASED_FIELDS });
    }
  }

  authoredBy(authorId: string, query: { afterId?: string; limit: number }): Promise<StoredMessage[]> {
    return this.#guarded(async () => {
      if (typeof authorId !== 'string' || (query.afterId !== undefined && !OBJECT_ID.test(String(query.afterId)))) return [];
      // In id order through the ('author.id', _id) index; null matches an absent field too: only
      // messages, and only those not erased.
      const filter = {
        'author.id': authorId,
        ...(query.afterId === undefined ? {} : { _id: mongoose.trusted({ $gt: new mongoose.Types.ObjectId(query.afterId) }) }),
        recalledAt: null,
        recall: null,
        event: null,
        change: null,
      };
      const docs = await this.#messages.find(filter, { counts: 0 }).sort({ _id: 1 }).limit(query.limit).lean<MessageDoc[]>();
      return docs.map(toStoredMessage);
    });
  }

  countMentions(roomId: string, query: { userId: string; afterSeq: number; throughSeq: number }): Promise<number> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string' || typeof query.userId !== 'string' || !(query.throughSeq > query.afterSeq)) return 0;
      // Through the (roomId, seq) index: the range is at most the unread window. Erasing removes
      // `mentions`, so `recalledAt: null` only guards against a write that raced it.
      return this.#messages.countDocuments({
        roomId,
        seq: mongoose.trusted({ $gt: query.afterSeq, $lte: query.throughSeq }),
        'mentions.id': query.userId,
        'author.id': mongoose.trusted({ $ne: query.userId }),
        recalledAt: null,
        recall: null,
        change: null,
        event: null,
      });
    });
  }

  countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string; throughSeq?: number }): Promise<number> {
    return this.#guarded(async () => {
      if (typeof roomId !== 'string') return 0;
      const throughSeq = query.throughSeq ?? (await this.#readHead(roomId)).seq;
      return this.#unread.count(roomId, { afterSeq: query.afterSeq, excludeAuthorId: query.excludeAuthorId, throughSeq });
    });
  }
}
