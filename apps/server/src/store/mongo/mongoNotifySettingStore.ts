import type { NotifyLevel } from '@confab/shared';
import type { NotifySettingRecord, NotifySettingStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { notifySettingIds, toNotifySettingRecords, type NotifySettingDoc, type NotifySettingModel } from './notifySettingModel.js';

export class MongoNotifySettingStore implements NotifySettingStore {
  readonly #settings: NotifySettingModel;
  readonly #guarded: AvailabilityGuard;

  constructor(settings: NotifySettingModel, guarded: AvailabilityGuard) {
    this.#settings = settings;
    this.#guarded = guarded;
  }

  update(userId: string, roomId: string, change: { level?: NotifyLevel; mutedUntil?: Date | null }): Promise<NotifySettingRecord> {
    return this.#guarded(async () => {
      const ids = notifySettingIds(userId, roomId);
      const pair = { userId: String(userId), roomId: String(roomId) };
      // Each field in its own document (see NotifySettingDoc): racing changes of the two never meet.
      await Promise.all([
        change.level !== undefined ? this.#upsert(ids.level, { ...pair, level: change.level }) : null,
        change.mutedUntil !== undefined ? this.#upsert(ids.mute, { ...pair, mutedUntil: change.mutedUntil }) : null,
      ]);
      const record = await this.#read(ids);
      if (!record) throw new Error(`the notification setting ${ids.level} was not stored`);
      return record;
    });
  }

  /**
   * FerretDB 1.x refuses the second of two racing upserts of one new `_id` as a duplicate key
   * (MongoDB retries it itself): the document exists by then, so the retry is a plain update.
   */
  async #upsert(_id: string, set: Partial<NotifySettingDoc>): Promise<void> {
    try {
      await this.#settings.updateOne({ _id }, { $set: set }, { upsert: true, runValidators: true });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.#settings.updateOne({ _id }, { $set: set }, { runValidators: true });
    }
  }

  // Two lookups by key rather than one `$in`: FerretDB 1.x reads its whole table for `$in`.
  async #read(ids: { level: string; mute: string }): Promise<NotifySettingRecord | null> {
    const docs = await Promise.all([this.#settings.findById(ids.level).lean<NotifySettingDoc>(), this.#settings.findById(ids.mute).lean<NotifySettingDoc>()]);
    return toNotifySettingRecords(docs.filter((doc) => doc !== null))[0] ?? null;
  }

  find(userId: string, roomId: string): Promise<NotifySettingRecord | null> {
    return this.#guarded(async () => {
      return this.#read(notifySettingIds(userId, roomId));
    });
  }

  listForUser(userId: string): Promise<NotifySettingRecord[]> {
    return this.#guarded(async () => toNotifySettingRecords(await this.#settings.find({ userId: String(userId) }).lean<NotifySettingDoc[]>()));
  }

  countForUser(userId: string): Promise<number> {
    return this.#guarded(async () => (await this.#settings.distinct('roomId', { userId: String(userId) })).length);
  }

  remove(userId: string, roomId: string): Promise<void> {
    return this.#guarded(async () => {
      const ids = notifySettingIds(userId, roomId);
      await Promise.all([this.#settings.deleteOne({ _id: ids.level }), this.#settings.deleteOne({ _id: ids.mute })]);
    });
  }
}
