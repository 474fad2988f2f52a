import { USER_ROLES, type UserRole } from '@confab/shared';
import mongoose, { type UpdateQuery } from 'mongoose';
import { prefixRange } from './prefixRange.js';
import type { NewUser, UserRecord, UserStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { displayNameKey, toUserRecord, usernameKey, type UserDoc, type UserModel } from './userModel.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

// How many times a change of a user is written before the store gives up checking it stuck: each
// time means another change of the same user overwrote it (see #write).
const MAX_WRITES = 3;

const sameTime = (a: Date | null | undefined, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

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
        const doc = await this.#users.create({
          ...user,
          role: user.role ?? 'member',
          usernameKey: usernameKey(user.username),
          displayNameKey: displayNameKey(user.displayName),
        });
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
      const hash = String(passwordHash);
      return (await this.#write(id, { $set: { passwordHash: hash } }, (doc) => doc.passwordHash === hash)) !== null;
    });
  }

  setRole(id: string, role: UserRole): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      const doc = await this.#write(id, { $set: { role } }, (d) => d.role === role);
      return doc && toUserRecord(doc);
    });
  }

  setDeactivated(id: string, change: { deactivatedAt: Date | null; bannedAt?: Date }): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      const { deactivatedAt, bannedAt } = change;
      const set = { deactivatedAt, ...(bannedAt ? { bannedAt } : {}) };
      const doc = await this.#write(id, { $set: set }, (d) => sameTime(d.deactivatedAt, deactivatedAt) && (!bannedAt || sameTime(d.bannedAt, bannedAt)));
      return doc && toUserRecord(doc);
    });
  }

  /**
   * Changes fields of one user and reads the user back, writing again while the change did not
   * stick. FerretDB 1.x applies an update by reading the document and writing all of it back,
   * unisolated, so two changes of different fields of one user (an admin's deactivation, the
   * user's new password) can write back each other's old value; a change that sees its own field
   * undone writes it again (`$set` of its fields only, onto what is stored now). MongoDB isolates
   * each update, and the first read agrees. Null when there is no such user.
   */
  async #write(id: string, update: UpdateQuery<UserDoc>, isStored: (doc: UserDoc) => boolean): Promise<UserDoc | null> {
    if (typeof id !== 'string' || !OBJECT_ID.test(id)) return null;
    for (let attempt = 1; ; attempt += 1) {
      const { matchedCount } = await this.#users.updateOne({ _id: id }, update, { runValidators: true });
      if (matchedCount === 0) return null;
      const doc = await this.#users.findById(id).lean<UserDoc>();
      if (!doc || isStored(doc) || attempt >= MAX_WRITES) return doc;
    }
  }

  countActiveAdmins(): Promise<number> {
    // null matches an absent field too (users stored before deactivation existed).
    return this.#guarded(() => this.#users.countDocuments({ role: 'admin', deactivatedAt: null }));
  }

  deactivatedIds(): Promise<string[]> {
    return this.#guarded(async () => {
      // Every role, null for users stored before roles: so the (role, deactivatedAt) index serves it.
      const filter = { role: mongoose.trusted({ $in: [...USER_ROLES, null] }), deactivatedAt: mongoose.trusted({ $ne: null }) };
      const docs = await this.#users.find(filter, { _id: 1 }).lean<Pick<UserDoc, '_id'>[]>();
      return docs.map((d) => d._id.toHexString());
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
