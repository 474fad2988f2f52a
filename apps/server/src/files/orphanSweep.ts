import { LIMITS } from '@confab/shared';
import type { Logger } from '../logger.js';
import type { FileClaim, FileStore } from '../store/ports.js';

const PAGE = 100;
// A sweep stops after this many pages (and the next one carries on), so that a store whose
// deletes silently fail cannot keep one running for ever.
const PAGES_PER_SWEEP = 100;

/**
 * The sweep's own claim on a file it is about to remove: a send claiming it afterwards is refused
 * (`not_found`, as for any taken upload) instead of naming bytes that are going away. Its author
 * is no user (user ids come from the store's ObjectId-like ids, never all zeros) and its room none.
 */
function sweepClaim(fileId: string, at: Date): FileClaim {
  return { fileId, authorId: '0'.repeat(24), clientId: 'orphan-sweep', roomId: 'none', at };
}

/**
 * Removes uploads no message took within `LIMITS.unattachedUploadTtlMs` of being stored, a page
 * at a time. Returns how many it removed. Each file is claimed by the sweep before it is deleted,
 * so a send racing the sweep either claims it first (and the sweep leaves it) or is refused.
 */
export async function sweepOrphans(files: FileStore, now: Date, logger: Logger): Promise<number> {
  const before = new Date(now.getTime() - LIMITS.unattachedUploadTtlMs);
  let removed = 0;
  for (let page = 0; page < PAGES_PER_SWEEP; page += 1) {
    const orphans = await files.unclaimedBefore(before, PAGE);
    for (const record of orphans) {
      const mine = sweepClaim(record.id, now);
      const held = await files.claim(mine);
      if (held.authorId !== mine.authorId || held.clientId !== mine.clientId) continue;
      await files.delete(record.id);
      removed += 1;
    }
    if (orphans.length < PAGE) break;
  }
  if (removed > 0) logger.info({ removed, before: before.toISOString() }, 'removed uploads no message took');
  return removed;
}
