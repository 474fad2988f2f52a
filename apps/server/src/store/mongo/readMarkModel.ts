import { Schema, type Connection, type Types } from 'mongoose';

/** A user's read mark in a room, one document per mark reached, never updated: the highest is the mark. */
export interface ReadMarkDoc {
  _id: Types.ObjectId;
  roomId: string;
  userId: string;
  seq: number;
}

const readMarkSchema = new Schema<ReadMarkDoc>(
  {
    roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
    userId: { type: String, required: true, minlength: 1, maxlength: 128 },
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
  },
  { collection: 'readMarks', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// Two racing calls for one mark: exactly one stores it, and so exactly one reports moving it.
readMarkSchema.index({ roomId: 1, userId: 1, seq: -1 }, { unique: true });

export function readMarkModel(connection: Connection) {
  return connection.model<ReadMarkDoc>('ReadMark', readMarkSchema);
}

export type ReadMarkModel = ReturnType<typeof readMarkModel>;
