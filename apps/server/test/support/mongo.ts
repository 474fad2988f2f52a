import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import mongoose from 'mongoose';
import { inject } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createMongoStores, type MongoStoresOptions } from '../../src/store/mongo/index.js';
import type { Stores } from '../../src/store/ports.js';

export function mongoUrl(): string {
  return inject('mongoUrl');
}

export const quietLogger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', pretty: false });

/** `confab_test_<file>_<random>`: a database no other test file (or run) uses. */
export function testDatabaseName(testFile: string): string {
  const tag = basename(testFile).replace(/\.test\.ts$/, '').replace(/[^A-Za-z0-9]/g, '').slice(0, 24);
  return `confab_test_${tag}_${randomBytes(4).toString('hex')}`;
}

async function withConnection<T>(url: string, dbName: string, use: (db: mongoose.Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

export function dropDatabase(dbName: string, url = mongoUrl()): Promise<void> {
  return withConnection(url, dbName, async (db) => {
    await db.dropDatabase();
  });
}

/** Every document in every collection, by collection name, in _id order: to assert "nothing changed". */
export function snapshotDatabase(dbName: string, url = mongoUrl()): Promise<Record<string, unknown[]>> {
  return withConnection(url, dbName, async (db) => {
    const snapshot: Record<string, unknown[]> = {};
    for (const { name } of await db.listCollections()) {
      snapshot[name] = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    }
    return snapshot;
  });
}

/** Mongo stores on `dbName` (a fresh database by default), quiet, against the test server. */
export function openTestStores(dbName: string, options: Partial<MongoStoresOptions> & { url?: string } = {}): Promise<Stores> {
  const { url = mongoUrl(), ...rest } = options;
  return createMongoStores(url, { logger: quietLogger, dbName, connectTimeoutMs: 10_000, ...rest });
}

/** Mongo stores on a database of their own, which their `close()` drops. */
export async function freshTestStores(testFile: string): Promise<Stores> {
  const dbName = testDatabaseName(testFile);
  const stores = await openTestStores(dbName);
  return {
    ...stores,
    close: async () => {
      await dropDatabase(dbName);
      await stores.close();
    },
  };
}
