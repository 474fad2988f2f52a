import { NOTIFY_LEVELS, roomIdSchema, type NotifyLevel } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import type { NotifySettingRecord } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

/** A user's notification setting for one room. */
export interface NotifySettingDoc {
  /**
   * `<userId>/<roomId>` ({@link notifySettingId}): one document per pair, written only by
   * upserts on `_id`, which both MongoDB and FerretDB 1.x apply as one document write.
   */
  _id: string;
  userId: string;
  roomId: string;
  /** Absent while the room has its default level. */
  level?: NotifyLevel;
  mutedUntil: Date | null;
}

const notifySettingSchema = new Schema<NotifySettingDoc>(
  {
    _id: { type: String, required: true, maxlength: 128 },
    userId: objectIdHexType,
    roomId: { type: String, required: true, validate: { validator: (id: string) => roomIdSchema.safeParse(id).success, message: 'roomId must be a room id' } },
    level: { type: String, enum: NOTIFY_LEVELS },
    mutedUntil: { type: Date, default: null },
  },
  { collection: 'notifySettings', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// The settings a client fetches on connect: all of one user's.
notifySettingSchema.index({ userId: 1 });

export function notifySettingId(userId: string, roomId: string): string {
  return `${userId}/${roomId}`;
}

export function notifySettingModel(connection: Connection) {
  return connection.model<NotifySettingDoc>('NotifySetting', notifySettingSchema);
}

export type NotifySettingModel = ReturnType<typeof notifySettingModel>;

export function toNotifySettingRecord(doc: NotifySettingDoc): NotifySettingRecord {
  return { userId: doc.userId, roomId: doc.roomId, ...(doc.level ? { level: doc.level } : {}), mutedUntil: doc.mutedUntil ?? null };
}
