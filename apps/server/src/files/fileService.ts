import type { RateLimits } from '../limits/rateLimits.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';
import { createDownloadAccess } from './downloadAccess.js';
import { sweepOrphans } from './orphanSweep.js';
import { createUploads } from './upload.js';

export type { IncomingFile } from './upload.js';

/** Uploads, who may download what, and the orphan sweep, over the app's stores. */
export function createFileService(deps: {
  stores: Pick<Stores, 'files' | 'messages' | 'rooms'>;
  rateLimits: RateLimits;
  now: () => Date;
  logger: Logger;
  /** The largest upload now (an admin setting, `UPLOAD_MAX_MB` until changed): read per upload. */
  maxBytes: () => number;
  /** Each user's quota now (`UPLOAD_QUOTA_MB` until changed); null for no quota: read per upload. */
  quotaBytes: () => number | null;
}) {
  const { files } = deps.stores;
  const { upload } = createUploads({ files, rateLimits: deps.rateLimits, now: deps.now, logger: deps.logger, maxBytes: deps.maxBytes, quotaBytes: deps.quotaBytes });
  const { openForDownload } = createDownloadAccess(deps.stores);

  return {
    upload,
    /** The largest upload now. */
    maxBytes: deps.maxBytes,
    openForDownload,
    /** Streams a blob (or the inclusive `range` of it) that `openForDownload` allowed; null if it is gone meanwhile. */
    readBlob: files.readBlob.bind(files),
    /** Removes uploads no message took in time (see sweepOrphans); `now` is the app's clock unless given. */
    sweep: (now: Date = deps.now()) => sweepOrphans(files, now, deps.logger),
  };
}

export type FileService = ReturnType<typeof createFileService>;
