import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryStores } from './memory/index.js';
import { createMongoStores } from './mongo/index.js';
import type { Stores } from './ports.js';

/** MongoDB when MONGODB_URL is set (waiting for it at start-up), otherwise the in-memory store. */
export async function createStores(config: Config, logger: Logger): Promise<Stores> {
  if (!config.mongodbUrl) {
    logger.warn('MONGODB_URL is not set: using the in-memory store; history and accounts are NOT persisted');
    return createMemoryStores();
  }
  return createMongoStores(config.mongodbUrl, {
    logger,
    connectTimeoutMs: config.mongodbConnectTimeoutMs,
    serverSelectionTimeoutMs: config.mongodbServerSelectionTimeoutMs,
  });
}
