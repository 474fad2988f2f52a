import { Schema, type Connection, type Types } from 'mongoose';

/**
 * A user's read (or delivery) mark in a room, one document per mark reached, never updated: the
 * highest is the mark.
 */
export interface ReadMarkDoc {
  _id: Types.ObjectId;
  roomId: string;
  userId: string;
  seq: number;
}

/** The schema of one kind of mark, kept in `collection`. */
function markSchema(collection: string) {
  const schema = new Schema<ReadMarkDoc>(
    {
      roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
      userId: { type: String, required: true, minlength: 1, maxlength: 128 },
      seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
    },
    { collection, strict: 'throw', strictQuery: 'throw', versionKey: false },
  );
  // Two racing calls for one mark: exactly one stores it, and so exactly one reports moving it.
  schema.index({ roomId: 1, userId: 1, seq: -1 }, { unique: true });
  return schema;
}

export function readMarkModel(connection: Connection) {
  return connection.model<ReadMarkDoc>('ReadMark', markSchema('readMarks'));
}

/** Delivery marks: the highest seq one of the user's devices received, kept as read marks are. */
export function deliveryMarkModel(connection: Connection) {
  return connection.model<ReadMarkDoc>('DeliveryMark', markSchema('deliveryMarks'));
}

export type ReadMarkModel = ReturnType<typeof readMarkModel>;
