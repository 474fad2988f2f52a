import { USER_ROLES, type UserRole } from '@confab/shared';
import mongoose, { type QueryFilter, type UpdateQuery } from 'mongoose';
import { prefixRange } from './prefixRange.js';
import type { NewUser, UserRecord, UserStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { displayNameKey, toUserRecord, usernameKey, type UserDoc, type UserModel } from './userModel.js';
import type { WriteLocks } from './writeLocks.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

export class MongoUserStore implements UserStore {
  readonly #users: UserModel;
  readonly #guarded: AvailabilityGuard;
  readonly #locks: WriteLocks;

  constructor(users: UserModel, guarded: AvailabilityGuard, locks: WriteLocks) {
    this.#users = users;
    this.#guarded = guarded;
    this.#locks = locks;
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
      return (await this.#write(id, { $set: { passwordHash: String(passwordHash) } })) !== null;
    });
  }

  setRole(id: string, role: UserRole): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      const doc = await this.#write(id, { $set: { role } });
      return doc && toUserRecord(doc);
    });
  }

  replaceRole(id: string, change: { from: UserRole; to: UserRole }): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      // null matches an absent role too (users stored before roles): members.
      const from = change.from === 'member' ? mongoose.trusted({ $in: ['member' as const, null] }) : change.from;
      const doc = await this.#write(id, { $set: { role: change.to } }, { role: from });
      return doc && toUserRecord(doc);
    });
  }

  setDeactivated(id: string, change: { deactivatedAt: Date | null; bannedAt?: Date }): Promise<UserRecord | null> {
    return this.#guarded(async () => {
      const { deactivatedAt, bannedAt } = change;
      const doc = await this.#write(id, { $set: { deactivatedAt, ...(bannedAt ? { bannedAt } : {}) } });
      return doc && toUserRecord(doc);
    });
  }

  /**
   * Changes fields of one user under the user's write lock, and reads the user back; null when
   * there is no such user, or it does not match `condition`. Different writers change different
   * fields of a user (the user their password, admins the role and deactivation), which FerretDB
   * 1.x does not isolate: see WriteLocks.
   */
  async #write(id: string, update: UpdateQuery<UserDoc>, condition: QueryFilter<UserDoc> = {}): Promise<UserDoc | null> {
    if (typeof id !== 'string' || !OBJECT_ID.test(id)) return null;
    return this.#locks.with(`user:${id}`, async () => {
      // Under the lock, the condition holds until the update is written: no other writer of this user runs meanwhile.
      const { matchedCount } = await this.#users.updateOne({ ...condition, _id: id }, update, { runValidators: true });
      return matchedCount === 0 ? null : this.#users.findById(id).lean<UserDoc>();
    });
  }

  delete(id: string): Promise<boolean> {
    return this.#guarded(async () => {
      if (typeof id !== 'string' || !OBJECT_ID.test(id)) return false;
      // Under the user's write lock, as every other write of a user is (see #write).
      return this.#locks.with(`user:${id}`, async () => (await this.#users.deleteOne({ _id: id })).deletedCount === 1);
    });
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
