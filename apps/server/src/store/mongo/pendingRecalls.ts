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

  /** Before `target` is erased at `at` (by a moderator: `byModerator`). */
  async begin(target: Pick<MessageDoc, '_id' | 'roomId' | 'seq' | 'author'>, at: Date, byModerator = false): Promise<void> {
    const _id = target._id.toHexString();
    try {
      await this.#pending.create({ _id, roomId: target.roomId, seq: target.seq, authorId: target.author.id, at, ...(byModerator ? { byModerator } : {}) });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // The author's recall began first and a moderator removes it now: whichever entry follows, it is the removal.
      if (byModerator) await this.#pending.updateOne({ _id }, { $set: { byModerator } });
    }
  }

  /**
   * When a recall of `target` began, if one did, and whether a moderator's: its marker is written
   * before the erase and removed only once the recall entry exists, so one of the two is always
   * there to find (the marker is read first). Null when no recall had begun by the time the marker
   * was read. Once the marker is gone only the author's own recall entry is looked for: a
   * moderator's removal is found by its marker, which outlives the erase by the two writes that
   * end the removal.
   */
  async started(target: Pick<MessageDoc, '_id' | 'author'>): Promise<{ at: Date; byModerator: boolean } | null> {
    const id = target._id.toHexString();
    const marker = await this.#pending.findById(id, { at: 1, byModerator: 1 }).lean<Pick<PendingRecallDoc, 'at' | 'byModerator'>>();
    if (marker) return { at: marker.at ?? new Date(), byModerator: marker.byModerator === true };
    const entry = await this.#messages.findOne({ 'author.id': target.author.id, clientId: `recall:${id}` }, { createdAt: 1 }).lean<Pick<MessageDoc, 'createdAt'>>();
    return entry ? { at: entry.createdAt, byModerator: false } : null;
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
        this.#hasEntry(marker),
        this.#messages.exists({ _id: marker._id, recalledAt: mongoose.trusted({ $ne: null }) }),
      ]);
      if (entry) await this.end(marker._id);
      else if (erased) count += 1;
    }
    return count;
  }

  /**
   * Whether the recall entry of a marker's message is stored: the author's own, found by its
   * clientId; a moderator's (another author, whose clientId the store does not make) by walking the
   * room's entries after the message.
   */
  async #hasEntry(marker: PendingRecallDoc): Promise<boolean> {
    if (await this.#messages.exists({ 'author.id': marker.authorId, clientId: `recall:${marker._id}` })) return true;
    if (!marker.byModerator) return false;
    return (await this.#messages.exists({ roomId: marker.roomId, seq: mongoose.trusted({ $gt: marker.seq }), 'recall.messageId': marker._id })) !== null;
  }
}
