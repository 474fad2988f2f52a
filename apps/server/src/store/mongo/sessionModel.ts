import { Schema, type Connection } from 'mongoose';
import type { SessionRecord } from '../ports.js';

export interface SessionDoc {
  _id: string;
  userId: string;
  expiresAt: Date;
  credential?: string;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true, minlength: 1, maxlength: 128 },
    userId: { type: String, required: true, minlength: 1, maxlength: 128 },
    expiresAt: { type: Date, required: true },
    // Absent on sessions stored before it existed: those no longer authenticate.
    credential: { type: String, maxlength: 128 },
  },
  { collection: 'sessions', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// Signing out everywhere (a password change) finds a user's sessions by userId.
sessionSchema.index({ userId: 1 });
// No TTL index here: FerretDB cannot build one, so ensureIndexes adds it only where supported.

export function sessionModel(connection: Connection) {
  return connection.model<SessionDoc>('Session', sessionSchema);
}

export type SessionModel = ReturnType<typeof sessionModel>;

export function toSessionRecord(doc: SessionDoc): SessionRecord {
  return { id: doc._id, userId: doc.userId, expiresAt: doc.expiresAt, credential: doc.credential ?? '' };
}
