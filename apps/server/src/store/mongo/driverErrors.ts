import mongoose from 'mongoose';

const { mongo } = mongoose;

// Server error codes that mean "this server cannot serve right now" rather than "this request is
// wrong": the driver's own retryable-error list (HostUnreachable, NetworkTimeout, ShutdownInProgress,
// NotWritablePrimary, InterruptedAtShutdown, …).
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Whether a mongoose or driver error means the database is unreachable, not that the request was bad. */
export function isUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (
    err instanceof mongo.MongoNetworkError ||
    err instanceof mongo.MongoServerSelectionError ||
    err instanceof mongo.MongoNotConnectedError ||
    err instanceof mongo.MongoTopologyClosedError ||
    err instanceof mongo.MongoServerClosedError ||
    err instanceof mongo.MongoClientClosedError
  ) {
    return true;
  }
  // Mongoose wraps server selection failures of the initial connect in its own class.
  if (err.name === 'MongooseServerSelectionError') return true;
  if (err instanceof mongo.MongoError) {
    return UNAVAILABLE_CODES.has(Number(err.code)) || err.hasErrorLabel('RetryableWriteError');
  }
  return false;
}

/** An insert or update hit a unique index. (FerretDB does not say which index: no keyPattern.) */
export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof mongo.MongoServerError && err.code === 11000;
}

/**
 * The fields of the unique index that refused an insert, as MongoDB reports them; null when the
 * server does not say (FerretDB 1.x).
 */
export function duplicateKeyFields(err: unknown): string[] | null {
  const keyPattern = isDuplicateKeyError(err) ? (err as InstanceType<typeof mongo.MongoServerError>).keyPattern : undefined;
  return keyPattern && typeof keyPattern === 'object' ? Object.keys(keyPattern) : null;
}

/** The server does not implement a command or option (FerretDB, for TTL indexes among others). */
export function isNotImplementedError(err: unknown): boolean {
  // 238 NotImplemented, 115 CommandNotSupported, 59 CommandNotFound
  return err instanceof mongo.MongoServerError && [238, 115, 59].includes(Number(err.code));
}

/**
 * Inserts, answering false when the unique index says an equal document exists already (a lost
 * race, or a repeat): the one way the MongoDB stores make "exactly one wins" without transactions.
 */
export async function insertOnce(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
