import { NOTIFY_LEVELS, roomIdSchema, type NotifyLevel } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import type { NotifySettingRecord } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

/**
 * Half of a user's notification setting for one room: the level, or the mute. Each field has a
 * document of its own ({@link notifySettingIds}), so that a change of one never writes the other:
 * FerretDB 1.x applies an update as read, change, write back the whole document, without isolation,
 * so a change of the level racing a mute in one document could write back the old mute (the
 * reviewer saw 53 of 60 such races lose a field). MongoDB would not, but one shape serves both.
 */
export interface NotifySettingDoc {
  /** `<userId>/<roomId>` for the level, `<userId>/<roomId>/mute` for the mute. */
  _id: string;
  userId: string;
  roomId: string;
  /** The level document's field. */
  level?: NotifyLevel;
  /**
   * The mute document's field. A level document may carry one too, written before the mute had a
   * document of its own; the mute document, once there, wins.
   */
  mutedUntil?: Date | null;
}

const notifySettingSchema = new Schema<NotifySettingDoc>(
  {
    _id: { type: String, required: true, maxlength: 128 },
    userId: objectIdHexType,
    roomId: { type: String, required: true, validate: { validator: (id: string) => roomIdSchema.safeParse(id).success, message: 'roomId must be a room id' } },
    level: { type: String, enum: NOTIFY_LEVELS },
    mutedUntil: { type: Date },
  },
  { collection: 'notifySettings', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// The settings a client fetches on connect: all of one user's.
notifySettingSchema.index({ userId: 1 });

/** The `_id`s of the level's and the mute's documents of one (user, room) pair. */
export function notifySettingIds(userId: string, roomId: string): { level: string; mute: string } {
  const level = `${userId}/${roomId}`;
  return { level, mute: `${level}/mute` };
}

export function notifySettingModel(connection: Connection) {
  return connection.model<NotifySettingDoc>('NotifySetting', notifySettingSchema);
}

export type NotifySettingModel = ReturnType<typeof notifySettingModel>;

/** The settings the documents of one user hold, one record per room. */
export function toNotifySettingRecords(docs: readonly NotifySettingDoc[]): NotifySettingRecord[] {
  const byRoom = new Map<string, { level?: NotifySettingDoc; mute?: NotifySettingDoc }>();
  for (const doc of docs) {
    const pair = byRoom.get(doc.roomId) ?? {};
    if (doc._id === notifySettingIds(doc.userId, doc.roomId).mute) pair.mute = doc;
    else pair.level = doc;
    byRoom.set(doc.roomId, pair);
  }
  return [...byRoom.entries()].map(([roomId, { level, mute }]) => {
    const userId = (level ?? mute)!.userId;
    const mutedUntil = (mute ?? level)?.mutedUntil ?? null;
    return { userId, roomId, ...(level?.level ? { level: level.level } : {}), mutedUntil };
  });
}
