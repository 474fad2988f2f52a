import type { Logger } from '../../logger.js';
import { displayNameKey, type UserDoc, type UserModel } from './userModel.js';

/**
 * Gives users created before the directory existed the lower-cased display name it searches on.
 * Display names never change, so a racing second instance writes the same value. Where nothing is
 * missing this is one query.
 */
export async function backfillDisplayNameKeys(users: UserModel, logger: Logger): Promise<void> {
  // null matches an absent field too.
  const missing = await users.find({ displayNameKey: null }, { displayName: 1 }).lean<Pick<UserDoc, '_id' | 'displayName'>[]>();
  for (const user of missing) {
    await users.updateOne({ _id: user._id }, { $set: { displayNameKey: displayNameKey(user.displayName) } });
  }
  if (missing.length > 0) logger.info({ count: missing.length }, 'added the directory search key to existing users');
}
