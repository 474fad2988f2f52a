import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createAuditLog, type AuditLog } from '../services/admin/auditLog.js';
import { createStores } from '../store/createStores.js';
import type { Stores } from '../store/ports.js';
import { openEmbeddedStore, type CreateStore } from './embeddedStore.js';
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
  // The command line signs no sessions. Without SESSION_SECRET the server reads (creating it, and
  // DATA_DIR, on first start) a secret file in DATA_DIR, which a command must not leave behind,
  // on a mistyped DATA_DIR least of all. Production requires the variable: checked as the server does.
  const isSecretFromFile = !env.SESSION_SECRET && env.NODE_ENV !== 'production';
  try {
    return loadConfig(isSecretFromFile ? { ...env, SESSION_SECRET: randomBytes(32).toString('base64url') } : env);
  } catch (err) {
    throw failure((err as Error).message);
  }
}

/** A logger for what the stores report (warnings only), on stderr: stdout is the command's output. */
export function cliLogger(): Logger {
  return createLogger({ level: 'warn', pretty: false }, pino.destination({ fd: 2, sync: true }));
}

export interface OpenOptions {
  /** The command's name, shown to whoever finds the embedded store locked meanwhile. */
  command: string;
  /** The command writes: it takes the embedded store's lock, and is refused while a server holds it. */
  willChange: boolean;
  /** Whether a command that writes may start a new embedded store where there is none (see CreateStore). */
  createStore?: CreateStore;
}

export interface OpenedStores {
  stores: Stores;
  /**
   * A reading command on the embedded store while a live process holds it: who. What it reads is
   * that process's last write.
   */
  heldBy?: string | undefined;
  /** There was no embedded store: this is a new, empty one (written when the command changes it). */
  isNew?: boolean;
}

/**
 * Opens the stores the server uses: MongoDB at `MONGODB_URL`, or the embedded store's file in
 * `DATA_DIR`. A server with neither keeps everything in its own memory, out of reach: refused.
 */
export async function openStores(config: Readonly<Config>, logger: Logger, options: OpenOptions): Promise<OpenedStores> {
  if (!config.mongodbUrl && !config.embeddedStoreFile) {
    throw failure(
      `MONGODB_URL is not set and NODE_ENV is ${config.env}: the server keeps its data in its own memory, which the command line cannot reach. ` +
        'Set MONGODB_URL as the server has it (or run with NODE_ENV=development for the embedded store in DATA_DIR).',
    );
  }
  if (!config.mongodbUrl) return openEmbeddedStore(config.embeddedStoreFile!, logger, options);
  try {
    return { stores: await createStores({ ...config, mongodbConnectTimeoutMs: Math.min(config.mongodbConnectTimeoutMs, CONNECT_TIMEOUT_CAP_MS) }, logger) };
  } catch (err) {
    throw failure((err as Error).message);
  }
}

export async function openContext(config: Readonly<Config>, io: { out: Output }, options: OpenOptions): Promise<CliContext & { close(): Promise<void> }> {
  const logger = cliLogger();
  const { stores, isNew } = await openStores(config, logger, options);
  if (isNew) io.out.line(`Starting a new embedded store in ${config.embeddedStoreFile} (there was no Confab data in DATA_DIR).`);
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
