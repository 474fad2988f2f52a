import { pino } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createAuditLog, type AuditLog } from '../services/admin/auditLog.js';
import { createStores } from '../store/createStores.js';
import type { Stores } from '../store/ports.js';
import { isEmbeddedServerRunning } from './embeddedServer.js';
import { failure } from './errors.js';
import { createInstanceNotifier, type InstanceNotifier } from './liveSessions.js';
import type { Output } from './output.js';

/** What a command works with: the server's configuration and stores, opened as the server opens them. */
export interface CliContext {
  config: Readonly<Config>;
  stores: Stores;
  audit: AuditLog;
  now: () => Date;
  out: Output;
  /** The running instances, through Redis; undefined without `REDIS_URL`. */
  instances: InstanceNotifier | undefined;
  logger: Logger;
}

// Longer than this and an operator waiting on `status` would think the command hung.
const CONNECT_TIMEOUT_CAP_MS = 10_000;

/** The configuration as the server reads it; an invalid one fails the command, saying why. */
export function readConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  try {
    return loadConfig(env);
  } catch (err) {
    throw failure((err as Error).message);
  }
}

/** A logger for what the stores report (warnings only), on stderr: stdout is the command's output. */
export function cliLogger(): Logger {
  return createLogger({ level: 'warn', pretty: false }, pino.destination({ fd: 2, sync: true }));
}

/**
 * Opens the stores the server uses: MongoDB at `MONGODB_URL`, or the embedded store's file in
 * `DATA_DIR`. A server with neither keeps everything in its own memory, out of reach: refused.
 * `willChange`: the command writes, so a running server holding the embedded store refuses it.
 */
export async function openStores(config: Readonly<Config>, logger: Logger, options: { willChange: boolean }): Promise<Stores> {
  if (!config.mongodbUrl && !config.embeddedStoreFile) {
    throw failure(
      `MONGODB_URL is not set and NODE_ENV is ${config.env}: the server keeps its data in its own memory, which the command line cannot reach. ` +
        'Set MONGODB_URL as the server has it (or run with NODE_ENV=development for the embedded store in DATA_DIR).',
    );
  }
  if (!config.mongodbUrl && options.willChange && (await isEmbeddedServerRunning(config))) {
    throw failure(
      `A Confab server with the embedded store is running on port ${config.port}: it keeps the data in memory and would overwrite this change. ` +
        'Stop it, run the command, then start it again.',
    );
  }
  try {
    return await createStores({ ...config, mongodbConnectTimeoutMs: Math.min(config.mongodbConnectTimeoutMs, CONNECT_TIMEOUT_CAP_MS) }, logger);
  } catch (err) {
    throw failure((err as Error).message);
  }
}

export async function openContext(config: Readonly<Config>, io: { out: Output }, options: { willChange: boolean }): Promise<CliContext & { close(): Promise<void> }> {
  const logger = cliLogger();
  const stores = await openStores(config, logger, options);
  const now = () => new Date();
  const instances = config.redisUrl ? createInstanceNotifier(config.redisUrl, logger) : undefined;
  return {
    config,
    stores,
    audit: createAuditLog({ audit: stores.audit, now }),
    now,
    out: io.out,
    instances,
    logger,
    async close() {
      await instances?.close();
      try {
        await stores.close();
      } catch (err) {
        // The embedded store writes its file on close: a change not written is not made.
        throw failure(`could not close the store: ${(err as Error).message}`);
      }
    },
  };
}
