import { Schema, type Connection } from 'mongoose';

/**
 * A lease on changing one document: see WriteLocks. `_id` names what is locked (a user's id), so
 * the unique `_id` index lets one holder in at a time.
 */
export interface WriteLockDoc {
  _id: string;
  /** The holder's, so that only it (or a taker of an expired lease) removes the lock. */
  token: string;
  /** When the lease was taken, by the holder's clock. */
  at: Date;
}

const writeLockSchema = new Schema<WriteLockDoc>(
  {
    _id: { type: String, required: true, minlength: 1, maxlength: 128 },
    token: { type: String, required: true, minlength: 1, maxlength: 64 },
    at: { type: Date, required: true },
  },
  { collection: 'writeLocks', strict: 'throw', strictQuery: 'throw', versionKey: false },
);

export function writeLockModel(connection: Connection) {
  return connection.model<WriteLockDoc>('WriteLock', writeLockSchema);
}

export type WriteLockModel = ReturnType<typeof writeLockModel>;
