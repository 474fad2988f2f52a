import mongoose from 'mongoose';
import type { ConversationRecord, ConversationStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { toConversationRecord, type ActivityDoc, type ActivityModel, type ConversationDoc, type ConversationModel } from './conversationModel.js';
import { insertOnce } from './driverErrors.js';
import type { ReadMarkDoc, ReadMarkModel } from './readMarkModel.js';

// Each extra round means another writer changed the room meanwhile, so the room makes progress;
// the bound only stops one call from starving under extreme contention.
const MAX_ATTEMPTS = 50;

/*
 * Correct without atomic updates (FerretDB 1.x applies every update as an unisolated
 * read-modify-write, so even `$max` can land a stale, smaller value after a greater one):
 *
 * Read marks (and delivery marks, kept the same way in a collection of their own) are documents
 * that are only ever inserted, one per (room, user, seq), under a unique index; the mark is the
 * highest. Inserts cannot lose each other, so the mark never goes back. The
 * call whose insert succeeded and which then finds its mark the highest reports `moved`, so
 * whoever stored the final mark reports it (two racing calls may both report, which only costs a
 * repeated broadcast; none can be missed).
 *
 * Activity times are likewise inserted, one per (room, at), never updated. The conversation
 * document that the listing sorts on is then raised to the caller's time, and re-checked against
 * the highest activity after every write, until it is at least that high. Whoever's write is the
 * last to change it re-checks after that write, and any activity it cannot see yet was inserted by
 * a writer that re-checks later still; so a stale write is always repaired by someone.
 *
 * Superseded marks and activity documents (strictly below one that exists) are deleted after each
 * call: the highest is never deleted, so the collections hold about one document per room (and
 * user) and reads stay cheap.
 */
export class MongoConversationStore implements ConversationStore {
  readonly #conversations: ConversationModel;
  readonly #activity: ActivityModel;
  readonly #readMarks: ReadMarkModel;
  readonly #deliveryMarks: ReadMarkModel;
  readonly #guarded: AvailabilityGuard;

  constructor(
    models: { conversations: ConversationModel; activity: ActivityModel; readMarks: ReadMarkModel; deliveryMarks: ReadMarkModel },
    guarded: AvailabilityGuard,
  ) {
    this.#conversations = models.conversations;
    this.#activity = models.activity;
    this.#readMarks = models.readMarks;
    this.#deliveryMarks = models.deliveryMarks;
    this.#guarded = guarded;
  }

  touch(roomId: string, memberIds: readonly [string, string], at: Date): Promise<void> {
    return this.#guarded(async () => {
      await insertOnce(() => this.#activity.create({ roomId, at }));
      for (let attempt = 1, target = at; ; attempt += 1) {
        await this.#raise(roomId, memberIds, target);
        // Re-check after writing: a racing writer's stale update may have undone ours (see above).
        const [latest, older] = await this.#activity.find({ roomId }, { at: 1 }).sort({ at: -1 }).limit(2).lean<Pick<ActivityDoc, 'at'>[]>();
        if (!latest) throw new Error('the activity just recorded is missing');
        const stored = await this.#conversations.findById(roomId, { lastActivityAt: 1 }).lean<Pick<ConversationDoc, 'lastActivityAt'>>();
        if (stored && stored.lastActivityAt.getTime() >= latest.at.getTime()) {
          if (older) await this.#activity.deleteMany({ roomId, at: mongoose.trusted({ $lt: latest.at }) });
          return;
        }
        if (attempt >= MAX_ATTEMPTS) throw new Error(`room activity still moving after ${MAX_ATTEMPTS} attempts`);
        target = latest.at;
      }
    });
  }

  /** Moves the room's record up to `at` (never down), creating it if it is new. */
  async #raise(roomId: string, memberIds: readonly [string, string], at: Date): Promise<void> {
    const { matchedCount } = await this.#conversations.updateOne({ _id: roomId }, { $max: { lastActivityAt: at } });
    // Concurrent upserts of one _id fail on FerretDB, so a new room is an insert; losing it is fine.
    if (matchedCount === 0) await insertOnce(() => this.#conversations.create({ _id: roomId, memberIds: [...memberIds], lastActivityAt: at }));
  }

  find(roomId: string): Promise<ConversationRecord | null> {
    return this.#guarded(async () => {
      const doc = await this.#conversations.findById(roomId).lean<ConversationDoc>();
      return doc ? toConversationRecord(doc) : null;
    });
  }

  listForUser(userId: string, query: { before?: { at: Date; roomId: string }; limit: number }): Promise<ConversationRecord[]> {
    return this.#guarded(async () => {
      const { before } = query;
      const after = before && {
        $or: [
          { lastActivityAt: mongoose.trusted({ $lt: before.at }) },
          { lastActivityAt: before.at, _id: mongoose.trusted({ $lt: before.roomId }) },
        ],
      };
      const docs = await this.#conversations
        .find({ memberIds: userId, ...after })
        .sort({ lastActivityAt: -1, _id: -1 })
        .limit(query.limit)
        .lean<ConversationDoc[]>();
      return docs.map(toConversationRecord);
    });
  }

  markRead(roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }> {
    return this.#guarded(() => raiseMark(this.#readMarks, roomId, userId, seq));
  }

  readSeq(roomId: string, userId: string): Promise<number> {
    return this.#guarded(() => highestMark(this.#readMarks, roomId, userId));
  }

  readMarks(roomId: string): Promise<{ userId: string; seq: number }[]> {
    return this.#guarded(async () => {
      // Superseded marks are deleted after each call, so this is about one document per reader.
      const docs = await this.#readMarks.find({ roomId }, { userId: 1, seq: 1 }).lean<Pick<ReadMarkDoc, 'userId' | 'seq'>[]>();
      const highest = new Map<string, number>();
      for (const { userId, seq } of docs) highest.set(userId, Math.max(seq, highest.get(userId) ?? 0));
      return [...highest].map(([userId, seq]) => ({ userId, seq }));
    });
  }

  markDelivered(roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }> {
    return this.#guarded(() => raiseMark(this.#deliveryMarks, roomId, userId, seq));
  }

  deliveredSeq(roomId: string, userId: string): Promise<number> {
    return this.#guarded(() => highestMark(this.#deliveryMarks, roomId, userId));
  }
}

/** Moves a user's mark in a room up to `seq` (see the comment on MongoConversationStore). */
async function raiseMark(marks: ReadMarkModel, roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }> {
  if (!(seq >= 1)) return { seq: await highestMark(marks, roomId, userId), moved: false };
  const inserted = await insertOnce(() => marks.create({ roomId, userId, seq }));
  // The highest is the mark, whoever stored it; what lies below it is superseded.
  const [highest, lower] = await marks.find({ roomId, userId }, { seq: 1 }).sort({ seq: -1 }).limit(2).lean<Pick<ReadMarkDoc, 'seq'>[]>();
  const now = highest?.seq ?? seq;
  if (lower) await marks.deleteMany({ roomId, userId, seq: mongoose.trusted({ $lt: now }) });
  return { seq: now, moved: inserted && now === seq };
}

async function highestMark(marks: ReadMarkModel, roomId: string, userId: string): Promise<number> {
  const doc = await marks.findOne({ roomId, userId }, { seq: 1 }).sort({ seq: -1 }).lean<Pick<ReadMarkDoc, 'seq'>>();
  return doc?.seq ?? 0;
}
