import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../../logger.js';
import { isUnavailableError } from './driverErrors.js';

export interface ConnectOptions {
  logger: Logger;
  /** Database to use; defaults to the one named in the URL, else `confab`. */
  dbName?: string | undefined;
  /** Total time start-up keeps retrying an unreachable server. */
  connectTimeoutMs: number;
  /** How long one operation waits for a reachable server before failing. */
  serverSelectionTimeoutMs: number;
  /** How often the driver re-checks the server, hence how soon a returning server is noticed. */
  heartbeatFrequencyMs: number;
}

/** The URL without credentials or options, for logs and error messages. */
export function describeMongoUrl(url: string): string {
  // `[\s\S]*` runs to the end, where `$` always holds: `.*$` backtracks quadratically on `?…?\n`.
  return url.replace(/\/\/[^@/]*@/, '//').replace(/\?[\s\S]*$/, '');
}

function databaseNameIn(url: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

function openConnection(url: string, options: ConnectOptions, serverSelectionTimeoutMs: number): Connection {
  const connection = mongoose.createConnection(url, {
    dbName: options.dbName ?? databaseNameIn(url) ?? 'confab',
    // Without buffering, an operation during an outage fails (and is answered `unavailable`)
    // instead of queueing in memory until the database returns.
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: serverSelectionTimeoutMs,
    heartbeatFrequencyMS: options.heartbeatFrequencyMs,
  });
  // Every filter value that is an object with `$` keys is compared literally ({ $eq: … });
  // the stores mark their own operators with mongoose.trusted().
  connection.set('sanitizeFilter', true);
  return connection;
}

/**
 * Connects, then runs `prepare` (index builds), retrying both with backoff while the server is
 * unreachable; fails with a readable error after `connectTimeoutMs`, or at once for errors that
 * waiting cannot fix (bad credentials, a malformed URL).
 */
export async function connectWithRetry<T>(
  url: string,
  options: ConnectOptions,
  prepare: (connection: Connection) => Promise<T>,
): Promise<{ connection: Connection; prepared: T }> {
  const where = describeMongoUrl(url);
  const startedAt = Date.now();
  const deadline = startedAt + options.connectTimeoutMs;
  let delayMs = 250;
  for (let attempt = 1; ; attempt += 1) {
    const remaining = Math.max(deadline - Date.now(), 0);
    const connection = openConnection(url, options, Math.max(Math.min(options.serverSelectionTimeoutMs, remaining), 100));
    try {
      await connection.asPromise();
      const prepared = await prepare(connection);
      options.logger.info({ db: connection.name, where }, 'connected to MongoDB');
      return { connection, prepared };
    } catch (err) {
      await connection.close().catch(() => {});
      const reason = err instanceof Error ? err.message : String(err);
      if (!isUnavailableError(err)) {
        throw new Error(`Cannot use MongoDB at ${where}: ${reason}`, { cause: err });
      }
      const waitMs = Math.min(delayMs, deadline - Date.now());
      if (waitMs <= 0) {
        throw new Error(
          `MongoDB at ${where} was not reachable within ${options.connectTimeoutMs} ms (${attempt} attempts; ` +
            `MONGODB_CONNECT_TIMEOUT_MS sets the limit): ${reason}`,
          { cause: err },
        );
      }
      options.logger.warn({ where, attempt, retryInMs: Math.round(waitMs), err: reason }, 'MongoDB is not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}
