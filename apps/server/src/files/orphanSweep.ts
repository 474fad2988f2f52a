import { LIMITS } from '@confab/shared';
import type { Logger } from '../logger.js';
import type { FileStore } from '../store/ports.js';

const PAGE = 100;
// A sweep stops after this many pages (and the next one carries on), so that a store whose
// deletes silently fail cannot keep one running for ever.
const PAGES_PER_SWEEP = 100;

/**
 * Removes uploads no message took within `LIMITS.unattachedUploadTtlMs` of being stored, a page
 * at a time. Returns how many it removed. A send may claim a file between the page being read
 * and the delete: the claim is looked up again right before each delete to keep that window
 * to one round trip.
 */
export async function sweepOrphans(files: FileStore, now: Date, logger: Logger): Promise<number> {
  const before = new Date(now.getTime() - LIMITS.unattachedUploadTtlMs);
  let removed = 0;
  for (let page = 0; page < PAGES_PER_SWEEP; page += 1) {
    const orphans = await files.unclaimedBefore(before, PAGE);
    for (const record of orphans) {
      if (await files.claimOf(record.id)) continue;
      await files.delete(record.id);
      removed += 1;
    }
    if (orphans.length < PAGE) break;
  }
  if (removed > 0) logger.info({ removed, before: before.toISOString() }, 'removed uploads no message took');
  return removed;
}
