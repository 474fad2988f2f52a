import type { NewUser, UserRecord, UserStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { toUserRecord, usernameKey, type UserDoc, type UserModel } from './userModel.js';

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
        const doc = await this.#users.create({ ...user, usernameKey: usernameKey(user.username) });
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
}
