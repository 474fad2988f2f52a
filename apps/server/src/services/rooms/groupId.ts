import { createHash } from 'node:crypto';

/**
 * The id of the group conversation of exactly these users: `g:` and 24 hex digits of the SHA-256
 * of their ids, ascending and comma-joined. Whoever opens it, on whichever instance, computes the
 * same id, so the store's uniqueness on ids is what makes concurrent opens find one room.
 */
export function groupRoomId(memberIds: readonly string[]): string {
  const sorted = [...new Set(memberIds)].sort();
  return `g:${createHash('sha256').update(sorted.join(',')).digest('hex').slice(0, 24)}`;
}
