import type { MessageDto, MessagePage } from '@confab/shared';
import mongoose from 'mongoose';
import type { AppendResult, MessageStore, NewMessage } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { toMessageDto, type MessageDoc, type MessageModel } from './messageModel.js';
import { createSerialByKey } from './serialByKey.js';

// Each failed attempt means another instance stored a message in this room meanwhile, so the
// room makes progress; the bound only stops one send from starving under extreme contention.
const MAX_ATTEMPTS = 50;

const OBJECT_ID = /^[0-9a-f]{24}$/;

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
 * Appends to one room are also queued within this process, so that concurrent sends here do not
 * race each other for the same seq; the retry loop only handles races between instances.
 */
export class MongoMessageStore implements MessageStore {
  readonly #messages: MessageModel;
  readonly #guarded: AvailabilityGuard;
  readonly #serial = createSerialByKey();

  constructor(messages: MessageModel, guarded: AvailabilityGuard) {
    this.#messages = messages;
    this.#guarded = guarded;
  }

  append(input: NewMessage): Promise<AppendResult> {
    // The guard runs inside the queue, so sends queued behind an outage are refused at once too.
    return this.#serial(String(input.roomId), () => this.#guarded(() => this.#insertNext(input)));
  }

  async #insertNext(input: NewMessage): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const last = await this.#messages.findOne({ roomId: input.roomId }, { seq: 1 }).sort({ seq: -1 }).lean<Pick<MessageDoc, 'seq'>>();
      try {
        const doc = await this.#messages.create({
          roomId: input.roomId,
          seq: (last?.seq ?? 0) + 1,
          clientId: input.clientId,
          author: { id: input.author.id, name: input.author.name },
          body: input.body,
          createdAt: input.createdAt,
          ...(input.recall ? { recall: { messageId: input.recall.messageId, seq: input.recall.seq } } : {}),
        });
        return { message: toMessageDto(doc.toObject()), isNew: true };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const original = await this.#messages.findOne({ 'author.id': input.author.id, clientId: input.clientId }).lean<MessageDoc>();
      if (original) return { message: toMessageDto(original), isNew: false };
      if (attempt >= MAX_ATTEMPTS) throw new Error(`no free seq in room after ${MAX_ATTEMPTS} attempts`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }

  history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.#guarded(async () => {
      const filter = query.beforeSeq === undefined ? { roomId } : { roomId, seq: mongoose.trusted({ $lt: query.beforeSeq }) };
      const docs = await this.#messages.find(filter).sort({ seq: -1 }).limit(query.limit + 1).lean<MessageDoc[]>();
      return { messages: docs.slice(0, query.limit).reverse().map(toMessageDto), hasMore: docs.length > query.limit };
    });
  }

  since(roomId: string, query: { afterSeq: number; limit: number }): Promise<MessagePage> {
    return this.#guarded(async () => {
      const filter = { roomId, seq: mongoose.trusted({ $gt: query.afterSeq }) };
      const docs = await this.#messages.find(filter).sort({ seq: 1 }).limit(query.limit + 1).lean<MessageDoc[]>();
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

  countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string }): Promise<number> {
    return this.#guarded(() =>
      this.#messages.countDocuments({
        roomId,
        seq: mongoose.trusted({ $gt: query.afterSeq }),
        'author.id': mongoose.trusted({ $ne: query.excludeAuthorId }),
        // null matches an absent field too: only recalled messages carry recalledAt, only recall entries recall.
        recalledAt: null,
        recall: null,
      }),
    );
  }
}
