import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUTED_FOREVER } from '@confab/shared';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { instrumentStores } from '../src/store/instrumented.js';
import { createMemoryStores } from '../src/store/memory/index.js';
import { openPersistedMemoryStores } from '../src/store/memory/persistedMemoryStores.js';
import { servingIndex, type IndexKey } from './support/indexCoverage.js';
import { dropDatabase, freshTestStores, mongoUrl, openTestStores, testDatabaseName } from './support/mongo.js';
import { filteredOps, recordOps } from './support/mongoOps.js';
import { describeNotifySettingStoreContract } from './support/notifySettingStoreContract.js';

const root = mkdtempSync(join(tmpdir(), 'confab-notify-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent', pretty: false });
let fileCount = 0;
function freshFile(): string {
  fileCount += 1;
  return join(root, String(fileCount), 'store.json');
}

describeNotifySettingStoreContract('memory', () => createMemoryStores());
describeNotifySettingStoreContract('memory kept in a file', () => openPersistedMemoryStores(freshFile(), { logger }));
describeNotifySettingStoreContract(
  'mongodb',
  () => freshTestStores(import.meta.filename),
  async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const [a, b] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
    return { a, b, close: async () => void (await Promise.all([a.close(), b.close()]), await dropDatabase(dbName)) };
  },
);

const alice = 'a1'.padStart(24, '0');
const channel = `c:${'1'.repeat(24)}`;

describe('the file-backed memory store keeps notification settings', () => {
  it('a setting, "until turned back on" included, is as it was after a reopen', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    await stores.notifySettings.update(alice, channel, { level: 'none', mutedUntil: new Date(MUTED_FOREVER) });
    await stores.notifySettings.update(alice, 'lobby', { level: 'all' });
    await stores.close();
    const reopened = await openPersistedMemoryStores(file, { logger });
    expect(await reopened.notifySettings.find(alice, channel)).toEqual({ userId: alice, roomId: channel, level: 'none', mutedUntil: new Date(MUTED_FOREVER) });
    expect(await reopened.notifySettings.find(alice, 'lobby')).toEqual({ userId: alice, roomId: 'lobby', level: 'all', mutedUntil: null });
    await reopened.close();
  });

  it('opens a file written before settings existed, with none', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    await stores.users.create({ username: 'old', displayName: 'Old', passwordHash: 'h', createdAt: new Date() });
    await stores.close();
    const { notifySettings: _settings, ...before } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(before), { mode: 0o600 });
    const reopened = await openPersistedMemoryStores(file, { logger });
    expect(await reopened.users.count()).toBe(1);
    expect(await reopened.notifySettings.listForUser(alice)).toEqual([]);
    await reopened.close();
  });
});

describe('instrumented stores', () => {
  it('time the notification setting store\'s calls like the others', async () => {
    const calls: string[] = [];
    const stores = instrumentStores(createMemoryStores(), (store, method) => void calls.push(`${store}.${method}`));
    await stores.notifySettings.listForUser(alice);
    expect(calls).toEqual(['notifySettings.listForUser']);
  });
});

describe('mongodb notification setting store, beyond the contract', () => {
  it('every query it sends is served by an index', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const stores = await openTestStores(dbName);
    const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
    try {
      const { ops } = await recordOps(async () => {
        await stores.notifySettings.update(alice, channel, { level: 'none' });
        await stores.notifySettings.update(alice, channel, { mutedUntil: null });
        await stores.notifySettings.find(alice, channel);
        await stores.notifySettings.listForUser(alice);
        await stores.notifySettings.countForUser(alice);
        await stores.notifySettings.remove(alice, channel);
      });
      const indexes = (await raw.collection('notifySettings').indexes()) as { name: string; key: IndexKey }[];
      const queries = filteredOps(ops).filter((op) => op.collection === 'notifySettings');
      expect(queries.map((op) => op.method).sort()).toEqual(['deleteOne', 'deleteOne', 'distinct', 'find', 'findOne', 'findOne', 'findOne', 'findOne', 'findOne', 'findOne', 'updateOne', 'updateOne']);
      expect(queries.filter((op) => !servingIndex(op.filter, op.options.sort as Record<string, number> | undefined, indexes)).map((op) => JSON.stringify(op.filter))).toEqual([]);
    } finally {
      await raw.close();
      await stores.close();
      await dropDatabase(dbName);
    }
  });


  it('refuses documents its schema rejects, and stores nothing', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const stores = await openTestStores(dbName);
    try {
      await expect(stores.notifySettings.update(alice, 'not-a-room', { level: 'all' })).rejects.toThrow(/roomId/);
      await expect(stores.notifySettings.update(alice, channel, { level: 'loud' as 'all' })).rejects.toThrow(/level/);
      expect(await stores.notifySettings.listForUser(alice)).toEqual([]);
    } finally {
      await stores.close();
      await dropDatabase(dbName);
    }
  });
});
