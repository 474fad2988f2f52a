import mongoose from 'mongoose';
import { prefixRange } from './prefixRange.js';
import type { NewUser, UserRecord, UserStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { displayNameKey, toUserRecord, usernameKey, type UserDoc, type UserModel } from './userModel.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

export class MongoUserStore implements UserStore {
  readonly #users: UserModel;
  readonly #guarded: AvailabilityGuard;

  constructor(users: UserModel, guarded: AvailabilityGuard) {
    this.#users = users;
    this.#guarded = guarded;
  }

  create(user: NewUser): Promise<UserRecord | 'username_taken'> {
    return this.#guarded(async () => {
      try {
        const doc = await this.#users.create({ ...user, usernameKey: usernameKey(user.username), displayNameKey: displayNameKey(user.displayName) });
        return toUserRecord(doc.toObject());
      } catch (err) {
        // usernameKey is the only unique field besides the generated _id.
        if (isDuplicateKeyError(err)) return 'username_taken';
        throw err;
      }
    });
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      const doc = await this.#users.findOne({ usernameKey: usernameKey(username) }).lean<UserDoc>();
      return doc ? toUserRecord(doc) : null;
    });
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return null;
      const doc = await this.#users.findById(id).lean<UserDoc>();
      return doc ? toUserRecord(doc) : null;
    });
  }

  setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return false;
      const { matchedCount } = await this.#users.updateOne({ _id: id }, { $set: { passwordHash: String(passwordHash) } });
      return matchedCount === 1;
    });
  }

  count(): Promise<number> {
    // From the collection's metadata, not a scan: exact on a standalone server and after clean
    // shutdowns, which is all a member count shown to users needs.
    return this.#guarded(() => this.#users.estimatedDocumentCount());
  }

  search(query: { prefix: string; afterUsername?: string; limit: number }): Promise<UserRecord[]> {
    return this.#guarded(async () => {
      // Both names are lower-cased the same way on both sides of the comparison.
      const prefix = query.prefix.toLowerCase();
      const range = prefixRange(prefix);
      const filter = {
        ...(prefix === '' ? {} : { $or: [{ usernameKey: mongoose.trusted(range) }, { displayNameKey: mongoose.trusted(range) }] }),
        ...(query.afterUsername === undefined ? {} : { usernameKey: mongoose.trusted({ $gt: query.afterUsername }) }),
      };
      const docs = await this.#users.find(filter).sort({ usernameKey: 1 }).limit(query.limit).lean<UserDoc[]>();
      return docs.map(toUserRecord);
    });
  }
}
