import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { connectRedis, type RedisConnections } from './scaleout/redis.js';
import { createStores } from './store/createStores.js';
import { holdEmbeddedStore } from './store/memory/holdEmbeddedStore.js';
import type { StoreLock } from './store/memory/storeLock.js';
import type { Stores } from './store/ports.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });

// Before the stores open: loading the embedded store while another process holds it would lose its changes.
let storeLock: StoreLock | undefined;
try {
  storeLock = holdEmbeddedStore(config, logger);
} catch (err) {
  logger.fatal((err as Error).message);
  process.exit(1);
}

let stores: Stores;
try {
  stores = await createStores(config, logger);
} catch (err) {
  logger.fatal((err as Error).message);
  process.exit(1);
}
if (config.sessionSecretSource === 'file') {
  logger.info({ path: config.sessionSecretPath }, `SESSION_SECRET is not set: signing sessions with the secret kept in ${config.sessionSecretPath}, so they survive a restart`);
} else if (config.sessionSecretSource === 'random') {
  logger.warn('SESSION_SECRET is not set: using a random one; sessions end when the process stops');
}

let redis: RedisConnections | undefined;
if (config.redisUrl) {
  try {
    redis = await connectRedis(config.redisUrl, logger);
    logger.info('REDIS_URL is set: broadcasts and presence are shared with the other instances');
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'could not connect to Redis at start-up');
    process.exit(1);
  }
}

const app = await createApp({ stores, logger, ...(redis ? { redis } : {}) }, config);
const port = await app.listen(config.port, config.host);
storeLock?.update({ port });
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
logger.info({ port, instance: app.instanceId }, `Confab is listening on http://${shownHost}:${port}`);
const metricsPort = app.metricsPort();
if (metricsPort !== undefined) {
  logger.info({ port: metricsPort, host: config.metricsHost, token: Boolean(config.metricsToken) }, `Prometheus metrics on http://${config.metricsHost}:${metricsPort}/metrics`);
  const isLoopback = ['127.0.0.1', '::1', 'localhost'].includes(config.metricsHost);
  if (!isLoopback && !config.metricsToken) logger.warn({ host: config.metricsHost }, 'the metrics endpoint listens beyond this machine without METRICS_TOKEN: keep its port off the public network');
}

let isStopping = false;
async function shutdown(signal: string): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  logger.info({ signal }, 'shutting down');
  const forceExit = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  forceExit.unref();
  let exitCode = 0;
  async function closeStep(name: string, close: () => Promise<void>): Promise<void> {
    try {
      await close();
    } catch (err) {
      exitCode = 1;
      logger.error({ err }, `could not close the ${name}`);
    }
  }
  // Every step runs even when one before it failed: closing the stores writes the embedded store's last changes.
  await closeStep('server', () => app.close());
  await closeStep('stores', () => stores.close());
  // After the stores' last write: from here the file is the whole truth.
  storeLock?.release();
  await closeStep('Redis connections', async () => redis?.close());
  logger.info('stopped');
  process.exit(exitCode);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
