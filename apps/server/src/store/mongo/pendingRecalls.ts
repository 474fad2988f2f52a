import mongoose from 'mongoose';
import { isDuplicateKeyError } from './driverErrors.js';
import type { MessageDoc, MessageModel } from './messageModel.js';
import type { PendingRecallDoc, PendingRecallModel } from './pendingRecallModel.js';

/**
 * Recalls between their two writes (see PendingRecallDoc): the erase, then the recall entry. A
 * marker is written before the erase and removed once the entry is stored, so a recall the store
 * failed to finish is still known, without reading the room, to the unread counts that ask.
 */
export class PendingRecalls {
  readonly #pending: PendingRecallModel;
  readonly #messages: MessageModel;

  constructor(pending: PendingRecallModel, messages: MessageModel) {
    this.#pending = pending;
    this.#messages = messages;
  }

  /** Before `target` is erased at `at`. */
  async begin(target: Pick<MessageDoc, '_id' | 'roomId' | 'seq' | 'author'>, at: Date): Promise<void> {
    try {
      await this.#pending.create({ _id: target._id.toHexString(), roomId: target.roomId, seq: target.seq, authorId: target.author.id, at });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  /**
   * When a recall of `target` began, if one did: its marker is written before the erase and
   * removed only once the recall entry exists, so one of the two is always there to find (the
   * marker is read first). Null when no recall had begun by the time the marker was read.
   */
  async startedAt(target: Pick<MessageDoc, '_id' | 'author'>): Promise<Date | null> {
    const id = target._id.toHexString();
    const marker = await this.#pending.findById(id, { at: 1 }).lean<Pick<PendingRecallDoc, 'at'>>();
    if (marker) return marker.at ?? new Date();
    const entry = await this.#messages.findOne({ 'author.id': target.author.id, clientId: `recall:${id}` }, { createdAt: 1 }).lean<Pick<MessageDoc, 'createdAt'>>();
    return entry?.createdAt ?? null;
  }

  /** Once the recall entry of `messageId` is stored; a marker this fails to remove is removed by the next count that meets it. */
  async end(messageId: string): Promise<void> {
    await this.#pending.deleteOne({ _id: messageId }).catch(() => {});
  }

  /** How many messages in `(afterSeq, throughSeq]` not by `excludeAuthorId` were erased and have no recall entry. */
  async erasedWithoutEntry(roomId: string, query: { afterSeq: number; throughSeq: number; excludeAuthorId: string }): Promise<number> {
    const markers = await this.#pending
      .find({ roomId, seq: mongoose.trusted({ $gt: query.afterSeq, $lte: query.throughSeq }), authorId: mongoose.trusted({ $ne: query.excludeAuthorId }) })
      .lean<PendingRecallDoc[]>();
    let count = 0;
    // Nearly always none: a marker outlives its recall only when the store failed in between.
    for (const marker of markers) {
      const [entry, erased] = await Promise.all([
        this.#messages.exists({ 'author.id': marker.authorId, clientId: `recall:${marker._id}` }),
        this.#messages.exists({ _id: marker._id, recalledAt: mongoose.trusted({ $ne: null }) }),
      ]);
      if (entry) await this.end(marker._id);
      else if (erased) count += 1;
    }
    return count;
  }
}
