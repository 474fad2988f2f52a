import { Schema, type Connection } from 'mongoose';
import { objectIdHexType } from './messageModel.js';

/**
 * A recall under way: written before the message is erased, deleted once its recall entry is in
 * the stream. One left behind means the erase happened and the entry never followed (the store
 * failed in between), so unread counts, which learn of recalls from the entries, must leave the
 * message out themselves.
 */
export interface PendingRecallDoc {
  /** The recalled message's id. */
  _id: string;
  roomId: string;
  seq: number;
  authorId: string;
  /** When the recall began (absent in markers written before edits existed). */
  at?: Date;
  /** A moderator's removal: its entry is not the author's (see PendingRecalls.erasedWithoutEntry). */
  byModerator?: boolean;
}

const pendingRecallSchema = new Schema<PendingRecallDoc>(
  {
    _id: objectIdHexType,
    roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
    authorId: objectIdHexType,
    at: { type: Date },
    byModerator: { type: Boolean },
  },
  { collection: 'pendingRecalls', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
pendingRecallSchema.index({ roomId: 1, seq: 1 });

export function pendingRecallModel(connection: Connection) {
  return connection.model<PendingRecallDoc>('PendingRecall', pendingRecallSchema);
}

export type PendingRecallModel = ReturnType<typeof pendingRecallModel>;
