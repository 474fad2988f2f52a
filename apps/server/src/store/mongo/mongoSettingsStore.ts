import { adminSettingsUpdateSchema } from '@confab/shared';
import mongoose from 'mongoose';
import type { SettingsStore, StoredSettings } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { insertOnce, isDuplicateKeyError } from './driverErrors.js';
import { SETTING_KEYS, type ServerClaimModel, type SettingDoc, type SettingModel } from './settingModel.js';

const FIRST_ACCOUNT = 'firstAccount';

export class MongoSettingsStore implements SettingsStore {
  readonly #settings: SettingModel;
  readonly #claims: ServerClaimModel;
  readonly #guarded: AvailabilityGuard;

  constructor(models: { settings: SettingModel; serverClaims: ServerClaimModel }, guarded: AvailabilityGuard) {
    this.#settings = models.settings;
    this.#claims = models.serverClaims;
    this.#guarded = guarded;
  }

  get(): Promise<StoredSettings> {
    return this.#guarded(() => this.#read());
  }

  // Only the settings this version knows (a newer one may have saved more), each by its key.
  async #read(): Promise<StoredSettings> {
    const docs = await this.#settings.find({ _id: mongoose.trusted({ $in: SETTING_KEYS }) }).lean<SettingDoc[]>();
    return Object.fromEntries(docs.map((doc) => [doc._id, doc.value])) as StoredSettings;
  }

  update(change: StoredSettings): Promise<StoredSettings> {
    return this.#guarded(async () => {
      const fields = Object.entries(change).filter(([, value]) => value !== undefined);
      // A backstop behind the services' validation: a value the schema refuses is never stored.
      for (const [key, value] of fields) {
        const schema = adminSettingsUpdateSchema.shape[key as keyof typeof adminSettingsUpdateSchema.shape];
        if (!schema?.safeParse(value).success) throw new Error(`setting ${key} cannot be ${JSON.stringify(value)}`);
      }
      await Promise.all(fields.map(([key, value]) => this.#upsert(key as SettingDoc['_id'], value)));
      return this.#read();
    });
  }

  /**
   * FerretDB 1.x refuses the second of two racing upserts of one new `_id` as a duplicate key
   * (MongoDB retries it itself): the document exists by then, so the retry is a plain update.
   */
  async #upsert(_id: SettingDoc['_id'], value: unknown): Promise<void> {
    try {
      await this.#settings.updateOne({ _id }, { $set: { value } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.#settings.updateOne({ _id }, { $set: { value } });
    }
  }

  claimFirstAccount(userId: string): Promise<boolean> {
    return this.#guarded(() => insertOnce(() => this.#claims.create({ _id: FIRST_ACCOUNT, userId })));
  }
}
