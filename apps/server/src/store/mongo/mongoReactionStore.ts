import type { ReactionDto } from '@confab/shared';
import mongoose from 'mongoose';
import type { NewReaction, ReactionStore } from '../ports.js';
import { grouped } from '../reactionGroups.js';
import type { AvailabilityGuard } from './availability.js';
import { insertOnce } from './driverErrors.js';
import type { ReactionDoc, ReactionModel } from './reactionModel.js';

/**
 * Reactions as documents under a unique (messageId, emoji, user) index: adding is an insert and
 * removing a delete, never an update, so racing calls on FerretDB 1.x (which does not isolate
 * updates) still store each reaction once and report each change once.
 */
export class MongoReactionStore implements ReactionStore {
  readonly #reactions: ReactionModel;
  readonly #guarded: AvailabilityGuard;

  constructor(reactions: ReactionModel, guarded: AvailabilityGuard) {
    this.#reactions = reactions;
    this.#guarded = guarded;
  }

  add(reaction: NewReaction): Promise<boolean> {
    return this.#guarded(() =>
      insertOnce(() =>
        this.#reactions.create({
          messageId: reaction.messageId,
          roomId: reaction.roomId,
          user: { id: reaction.user.id, name: reaction.user.name },
          emoji: reaction.emoji,
          at: reaction.at,
        }),
      ),
    );
  }

  remove(messageId: string, userId: string, emoji: string): Promise<boolean> {
    return this.#guarded(async () => {
      const { deletedCount } = await this.#reactions.deleteOne({ messageId, emoji, 'user.id': userId });
      return deletedCount === 1;
    });
  }

  of(messageIds: readonly string[]): Promise<Map<string, ReactionDto[]>> {
    return this.#guarded(async () => {
      const ids = [...new Set(messageIds.filter((id) => typeof id === 'string'))];
      const result = new Map<string, ReactionDto[]>();
      if (ids.length === 0) return result;
      const docs = await this.#reactions
        .find({ messageId: mongoose.trusted({ $in: ids }) }, { messageId: 1, user: 1, emoji: 1, at: 1 })
        .lean<Pick<ReactionDoc, '_id' | 'messageId' | 'user' | 'emoji' | 'at'>[]>();
      // Ids in insertion order break ties between equal times (grouped keeps the order given).
      docs.sort((a, b) => (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
      const byMessage = new Map<string, typeof docs>();
      for (const doc of docs) {
        const list = byMessage.get(doc.messageId) ?? [];
        byMessage.set(doc.messageId, list);
        list.push(doc);
      }
      for (const [messageId, list] of byMessage) result.set(messageId, grouped(list));
      return result;
    });
  }

  addedAt(messageId: string, userId: string, emoji: string): Promise<Date | null> {
    return this.#guarded(async () => {
      if (typeof messageId !== 'string' || typeof userId !== 'string' || typeof emoji !== 'string') return null;
      // The unique (messageId, emoji, user.id) index answers this.
      const doc = await this.#reactions.findOne({ messageId, emoji, 'user.id': userId }, { at: 1 }).lean<Pick<ReactionDoc, 'at'>>();
      return doc ? new Date(doc.at) : null;
    });
  }

  emojiOf(messageId: string): Promise<string[]> {
    return this.#guarded(async () => {
      if (typeof messageId !== 'string') return [];
      return this.#reactions.distinct('emoji', { messageId });
    });
  }
}
