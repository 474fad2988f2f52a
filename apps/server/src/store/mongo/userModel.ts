import { LIMITS, USER_ROLES, type UserRole } from '@confab/shared';
import { Schema, type Connection, type Types } from 'mongoose';
import type { UserRecord } from '../ports.js';

export interface UserDoc {
  _id: Types.ObjectId;
  username: string;
  // The username lower-cased: its unique index is what makes names unique in any letter case.
  // (A case-insensitive collation would do the same on MongoDB, but FerretDB has no collations.)
  usernameKey: string;
  displayName: string;
  // The display name lower-cased (as JS lower-cases it, which $toLower and collations do not
  // match), so the directory can prefix-search both names case-insensitively.
  displayNameKey: string;
  passwordHash: string;
  createdAt: Date;
  // Absent on users stored before roles and deactivation existed: active members.
  role?: UserRole;
  deactivatedAt?: Date | null;
  bannedAt?: Date | null;
}

const userSchema = new Schema<UserDoc>(
  {
    username: { type: String, required: true, minlength: 1, maxlength: LIMITS.usernameMaxLength },
    usernameKey: { type: String, required: true, minlength: 1, maxlength: LIMITS.usernameMaxLength },
    // Limits count code points; mongoose counts UTF-16 units, and a code point takes at most two.
    displayName: { type: String, required: true, minlength: 1, maxlength: LIMITS.displayNameMaxLength * 2 },
    // Lower-casing can lengthen a string (İ becomes i̇), hence the larger bound.
    displayNameKey: { type: String, required: true, minlength: 1, maxlength: LIMITS.displayNameMaxLength * 4 },
    passwordHash: { type: String, required: true, minlength: 1 },
    createdAt: { type: Date, required: true },
    role: { type: String, enum: USER_ROLES },
    deactivatedAt: { type: Date },
    bannedAt: { type: Date },
  },
  { collection: 'users', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
userSchema.index({ usernameKey: 1 }, { unique: true });
userSchema.index({ displayNameKey: 1 });
// The active admins (role, then no deactivatedAt) and the deactivated users (any role: see
// MongoUserStore.deactivatedIds), both read through the role.
userSchema.index({ role: 1, deactivatedAt: 1 });

export function userModel(connection: Connection) {
  return connection.model<UserDoc>('User', userSchema);
}

export type UserModel = ReturnType<typeof userModel>;

export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function displayNameKey(displayName: string): string {
  return displayName.toLowerCase();
}

export function toUserRecord(doc: UserDoc): UserRecord {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    displayName: doc.displayName,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt,
    role: doc.role ?? 'member',
    deactivatedAt: doc.deactivatedAt ?? null,
    bannedAt: doc.bannedAt ?? null,
  };
}
