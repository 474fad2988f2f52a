import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryStores } from './memory/index.js';
import { openPersistedMemoryStores } from './memory/persistedMemoryStores.js';
import { createMongoStores } from './mongo/index.js';
import type { Stores } from './ports.js';

/**
 * MongoDB when MONGODB_URL is set (waiting for it at start-up), otherwise the in-memory store,
 * kept in `config.embeddedStoreFile` when there is one (development).
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
    const stores = await openPersistedMemoryStores(config.embeddedStoreFile, { logger });
    logger.info(
      { path: config.embeddedStoreFile },
      `MONGODB_URL is not set: keeping accounts, sessions and history in ${config.embeddedStoreFile} (for trying Confab; set MONGODB_URL for real use)`,
    );
    return stores;
  }
  logger.warn('MONGODB_URL is not set: using the in-memory store; history and accounts are NOT persisted');
  return createMemoryStores();
}
