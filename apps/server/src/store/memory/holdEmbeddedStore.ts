import { dirname } from 'node:path';
import type { Config } from '../../config.js';
import { ensureDataDir } from '../../dataDir.js';
import type { Logger } from '../../logger.js';
import { describeHolder, StoreLockedError, takeStoreLock, type StoreLock } from './storeLock.js';

/**
 * The server's hold on the embedded store in `DATA_DIR`, or undefined without one. The store
 * lives in the server's memory and is written back whole: one server per `DATA_DIR`, and no
 * command line changing the file beside it (cli/embeddedStore.ts). Throws an Error saying what to
 * do when another live process holds it or the folder cannot be written.
 */
export function holdEmbeddedStore(config: Pick<Config, 'embeddedStoreFile' | 'host' | 'port'>, logger: Logger): StoreLock | undefined {
  const storeFile = config.embeddedStoreFile;
  if (!storeFile) return undefined;
  let lock: StoreLock;
  try {
    ensureDataDir(dirname(storeFile));
    lock = takeStoreLock(storeFile, { kind: 'server', host: config.host, port: config.port });
  } catch (err) {
    throw new Error(
      err instanceof StoreLockedError
        ? `${err.by} holds the embedded store in ${storeFile}: two processes on one store would overwrite each other's changes. ` +
            `Stop it (or let the command finish), give this server another DATA_DIR, or use MongoDB (MONGODB_URL). If no such process runs, delete ${err.lockPath}.`
        : `Could not lock the embedded store in ${storeFile}: ${(err as Error).message}. Set DATA_DIR to a folder this user may write.`,
      { cause: err },
    );
  }
  if (lock.tookOverFrom) logger.warn({ lock: lock.path }, `took over the embedded store's lock from ${describeHolder(lock.tookOverFrom)}, which is no longer running`);
  // Also on process.exit() from a failed start-up or a shutdown that took too long; only a crash or
  // SIGKILL leaves the lock behind, and the next start takes over a dead process's lock.
  process.on('exit', () => lock.release());
  return lock;
}
