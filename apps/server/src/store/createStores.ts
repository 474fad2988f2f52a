import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryStores } from './memory/index.js';
import { openFiles, openPersistedMemoryStores } from './memory/persistedMemoryStores.js';
import { createMongoStores } from './mongo/index.js';
import type { Stores } from './ports.js';

/**
 * MongoDB when MONGODB_URL is set (waiting for it at start-up), otherwise the in-memory store,
 * kept in `config.embeddedStoreFile` when there is one (development), with uploaded files in
 * `config.filesDir` (a temporary folder when there is none).
 */
export async function createStores(config: Config, logger: Logger): Promise<Stores> {
  if (config.mongodbUrl) {
    return createMongoStores(config.mongodbUrl, {
      logger,
      connectTimeoutMs: config.mongodbConnectTimeoutMs,
      serverSelectionTimeoutMs: config.mongodbServerSelectionTimeoutMs,
    });
  }
  if (config.embeddedStoreFile) {
    const { filesDir } = config;
    const stores = await openPersistedMemoryStores(config.embeddedStoreFile, { logger, filesDir });
    logger.info(
      { path: config.embeddedStoreFile, filesDir },
      `MONGODB_URL is not set: keeping accounts, sessions and history in ${config.embeddedStoreFile} (for trying Confab; set MONGODB_URL for real use)`,
    );
    return stores;
  }
  logger.warn('MONGODB_URL is not set: using the in-memory store; history and accounts are NOT persisted');
  const stores = createMemoryStores({ filesDir: config.filesDir });
  // A temporary folder is made on the first upload instead, so a server killed before then leaves none.
  if (config.filesDir) await openFiles(stores, config.filesDir);
  return stores;
}
