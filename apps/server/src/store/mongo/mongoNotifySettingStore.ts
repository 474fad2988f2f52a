import type { NotifyLevel } from '@confab/shared';
import type { NotifySettingRecord, NotifySettingStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { notifySettingId, toNotifySettingRecord, type NotifySettingDoc, type NotifySettingModel } from './notifySettingModel.js';

export class MongoNotifySettingStore implements NotifySettingStore {
  readonly #settings: NotifySettingModel;
  readonly #guarded: AvailabilityGuard;

  constructor(settings: NotifySettingModel, guarded: AvailabilityGuard) {
    this.#settings = settings;
    this.#guarded = guarded;
  }

  update(userId: string, roomId: string, change: { level?: NotifyLevel; mutedUntil?: Date | null }): Promise<NotifySettingRecord> {
    return this.#guarded(async () => {
      const _id = notifySettingId(userId, roomId);
      // Only the fields named: a concurrent change of the other field (another device) survives.
      const set: Partial<NotifySettingDoc> = { userId: String(userId), roomId: String(roomId) };
      if (change.level !== undefined) set.level = change.level;
      if (change.mutedUntil !== undefined) set.mutedUntil = change.mutedUntil;
      await this.#settings.updateOne({ _id }, { $set: set }, { upsert: true, runValidators: true });
      const doc = await this.#settings.findById(_id).lean<NotifySettingDoc>();
      if (!doc) throw new Error(`the notification setting ${_id} was not stored`);
      return toNotifySettingRecord(doc);
    });
  }

  find(userId: string, roomId: string): Promise<NotifySettingRecord | null> {
    return this.#guarded(async () => {
      const doc = await this.#settings.findById(notifySettingId(userId, roomId)).lean<NotifySettingDoc>();
      return doc ? toNotifySettingRecord(doc) : null;
    });
  }

  listForUser(userId: string): Promise<NotifySettingRecord[]> {
    return this.#guarded(async () => {
      const docs = await this.#settings.find({ userId: String(userId) }).lean<NotifySettingDoc[]>();
      return docs.map(toNotifySettingRecord);
    });
  }
}
