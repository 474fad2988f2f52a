import { LIMITS, type AuthorDto } from '@confab/shared';
import { Schema, type Connection, type Types } from 'mongoose';
import { authorSchema, objectIdHexType } from './messageModel.js';

/** One user's reaction with one emoji to one message: inserted, deleted, never updated. */
export interface ReactionDoc {
  _id: Types.ObjectId;
  messageId: string;
  roomId: string;
  user: AuthorDto;
  emoji: string;
  at: Date;
}

const reactionSchema = new Schema<ReactionDoc>(
  {
    messageId: objectIdHexType,
    roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
    user: { type: authorSchema, required: true },
    // LIMITS counts UTF-16 units here, as mongoose does.
    emoji: { type: String, required: true, minlength: 1, maxlength: LIMITS.reactionEmojiMaxLength },
    at: { type: Date, required: true },
  },
  { collection: 'reactions', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// A reaction exists once, however many sockets add it at once: the one insert that wins is the one
// add that reports it. Its leading messageId also serves the reads of a page's reactions.
reactionSchema.index({ messageId: 1, emoji: 1, 'user.id': 1 }, { unique: true });

export function reactionModel(connection: Connection) {
  return connection.model<ReactionDoc>('Reaction', reactionSchema);
}

export type ReactionModel = ReturnType<typeof reactionModel>;
