import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { instrumentStores } from '../src/store/instrumented.js';
import { createMemoryStores } from '../src/store/memory/index.js';
import { openPersistedMemoryStores } from '../src/store/memory/persistedMemoryStores.js';
import type { Stores, UserRecord } from '../src/store/ports.js';
import { describeAdminStoreContract, samePair } from './support/adminStoreContract.js';
import { servingIndex, type IndexKey } from './support/indexCoverage.js';
import { dropDatabase, mongoUrl, openTestStores, testDatabaseName } from './support/mongo.js';
import { filteredOps, recordOps, type RecordedOp } from './support/mongoOps.js';

const root = mkdtempSync(join(tmpdir(), 'confab-admin-stores-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent', pretty: false });
let fileCount = 0;
function freshFile(): string {
  fileCount += 1;
  return join(root, String(fileCount), 'store.json');
}

/** Two store instances on one fresh database (two servers), dropped on close. */
async function mongoPair() {
  const dbName = testDatabaseName(import.meta.filename);
  const [a, b] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
  return { a, b, dbName, close: async () => void (await Promise.all([a.close(), b.close()]), await dropDatabase(dbName)) };
}

describeAdminStoreContract('memory', () => samePair(createMemoryStores()));
describeAdminStoreContract('memory kept in a file', () => samePair(openPersistedMemoryStores(freshFile(), { logger })));
describeAdminStoreContract('mongodb', mongoPair);

const at = new Date('2026-03-01T12:00:00.000Z');
const admin = { id: 'a'.repeat(24), name: 'Admin' };
const hex = (n: number) => `65f000000000${n.toString(16).padStart(12, '0')}`;
const tokenHash = 'ab'.repeat(32);

async function createUser(stores: Stores, username: string): Promise<UserRecord> {
  const user = await stores.users.create({ username, displayName: username, passwordHash: 'hash', createdAt: at });
  if (user === 'username_taken') throw new Error('unexpected');
  return user;
}

/** One of everything administration stores. */
async function administer(stores: Stores) {
  const user = await createUser(stores, 'spammer');
  await stores.users.setRole(user.id, 'admin');
  await stores.users.setDeactivated(user.id, { deactivatedAt: at, bannedAt: at });
  await stores.settings.update({ serverName: 'Acme', registration: 'invitation', editWindowMs: null });
  await stores.settings.claimFirstAccount(admin.id);
  await stores.invitations.create({ id: hex(1), tokenHash, createdBy: admin, createdAt: at, expiresAt: new Date(at.getTime() + 3_600_000), maxUses: 3, revokedAt: null, uses: 0 });
  await stores.invitations.takeUse(hex(1), 3, at);
  await stores.invitations.takeUse(hex(1), 3, at);
  await stores.invitations.releaseUse(hex(1), 1);
  await stores.reports.create({ id: hex(2), messageId: hex(3), roomId: 'lobby', reporter: admin, reason: 'spam', createdAt: at });
  await stores.reports.create({ id: hex(4), messageId: hex(5), roomId: 'lobby', reporter: admin, reason: '', createdAt: at });
  await stores.reports.resolve(hex(4), { status: 'dismissed', by: admin, at });
  await stores.audit.append({ id: hex(6), at, actor: admin, action: 'user.ban', target: { kind: 'user', id: user.id, label: 'spammer' }, details: { removedMessages: '12' } });
  const { message } = await stores.messages.append({ roomId: 'lobby', clientId: 'spam', author: { id: user.id, name: 'spammer' }, body: 'buy now', createdAt: at });
  await stores.messages.erase(message.id, at, { byModerator: true });
  await stores.messages.append({ roomId: 'lobby', clientId: `remove:${message.id}`, author: admin, body: '', createdAt: at, recall: { messageId: message.id, seq: message.seq, byModerator: true } });
  return { user, messageId: message.id };
}

/** What administration stored, read back through the stores. */
async function readBack(stores: Stores, ids: { user: UserRecord; messageId: string }) {
  return {
    user: await stores.users.findById(ids.user.id),
    deactivated: await stores.users.deactivatedIds(),
    admins: await stores.users.countActiveAdmins(),
    settings: await stores.settings.get(),
    firstAccountTaken: !(await stores.settings.claimFirstAccount('f'.repeat(24))),
    invitations: await stores.invitations.list({ limit: 10 }),
    nextUse: await stores.invitations.takeUse(hex(1), 3, at),
    reports: await stores.reports.list({ status: 'all', limit: 10 }),
    audit: await stores.audit.list({ limit: 10 }),
    stream: (await stores.messages.since('lobby', { afterSeq: 0, limit: 10 })).messages,
    authored: await stores.messages.authoredBy(ids.user.id, { limit: 10 }),
  };
}

describe('the file-backed memory store keeps what administration stores', () => {
  it('roles, deactivation, settings, the first account, invitations and their uses, reports, the audit log and removals are as they were after a reopen', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    const ids = await administer(stores);
    // Read before the reopen from a twin that stays open, since reading takes a use and claims.
    const before = await readBack(createMemoryStores({ saved: stores.saved() }), ids);
    await stores.close();
    const reopened = await openPersistedMemoryStores(file, { logger });
    const after = await readBack(reopened, ids);
    await reopened.close();
    expect(after).toEqual(before);
    expect(after).toMatchObject({
      user: { role: 'admin', deactivatedAt: at, bannedAt: at },
      deactivated: [ids.user.id],
      admins: 0,
      settings: { serverName: 'Acme', registration: 'invitation', editWindowMs: null },
      firstAccountTaken: true,
      nextUse: 1,
      reports: [{ id: hex(4), status: 'dismissed', resolvedAt: at }, { id: hex(2), status: 'open' }],
      audit: [{ id: hex(6), details: { removedMessages: '12' } }],
      authored: [],
    });
    expect(after.invitations).toEqual([{ id: hex(1), tokenHash, createdBy: admin, createdAt: at, expiresAt: new Date(at.getTime() + 3_600_000), maxUses: 3, revokedAt: null, uses: 1 }]);
    expect(after.stream.map((m) => [m.removedByModerator, m.recall?.byModerator])).toEqual([[true, undefined], [undefined, true]]);
  });

  it('opens a file written before administration existed: its users are active members, and nothing else is saved', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    const user = await createUser(stores, 'old');
    await stores.close();
    // As an earlier Confab wrote it: no roles or deactivation on users, none of the new stores.
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { users: Record<string, unknown>[] };
    const { settings: _s, invitations: _i, reports: _r, audit: _a, ...old } = current;
    old.users = current.users.map(({ role: _role, deactivatedAt: _d, bannedAt: _b, ...rest }) => rest);
    const oldFile = freshFile();
    mkdirSync(dirname(oldFile), { recursive: true });
    writeFileSync(oldFile, JSON.stringify(old), { mode: 0o600 });

    const reopened = await openPersistedMemoryStores(oldFile, { logger });
    expect(await reopened.users.findById(user.id)).toEqual(user);
    expect(user).toMatchObject({ role: 'member', deactivatedAt: null, bannedAt: null });
    expect([await reopened.users.countActiveAdmins(), await reopened.users.deactivatedIds()]).toEqual([0, []]);
    expect(await reopened.settings.get()).toEqual({});
    expect([await reopened.invitations.list({ limit: 10 }), await reopened.reports.list({ status: 'all', limit: 10 }), await reopened.audit.list({ limit: 10 })]).toEqual([[], [], []]);
    expect(await reopened.settings.claimFirstAccount(user.id)).toBe(true);
    await reopened.close();
    expect(JSON.parse(readFileSync(oldFile, 'utf8')).settings).toEqual({ values: {}, firstAccountId: user.id });
  });
});

describe('instrumented stores', () => {
  it('time the administration stores\' calls like the others', async () => {
    const calls: string[] = [];
    const stores = instrumentStores(createMemoryStores(), (store, method) => void calls.push(`${store}.${method}`));
    await stores.settings.get();
    await stores.invitations.list({ limit: 1 });
    await stores.reports.find(hex(1));
    await stores.audit.list({ limit: 1 });
    expect(calls).toEqual(['settings.get', 'invitations.list', 'reports.find', 'audit.list']);
  });
});

function describeOp(op: RecordedOp): string {
  return `${op.collection}.${op.method}(${JSON.stringify(op.filter)}${op.options.sort ? `, sort ${JSON.stringify(op.options.sort)}` : ''})`;
}

/**
 * servingIndex's rule, plus one it leaves out: a query whose only condition is a range of `_id`
 * (or none), sorted by `_id` and limited, walks the `_id` index in order from one end and stops
 * at the limit (a page of the audit log or of every report, newest first).
 */
function isServed(op: RecordedOp, indexes: readonly { name: string; key: IndexKey }[]): boolean {
  const sort = op.options.sort as Record<string, number> | undefined;
  if (servingIndex(op.filter, sort, indexes)) return true;
  const isIdWalk = Object.keys(op.filter).every((field) => field === '_id') && sort !== undefined && Object.keys(sort).join() === '_id';
  return isIdWalk && op.options.limit !== undefined;
}

describe('mongodb administration stores, beyond the contract', () => {
  it('every query of the administration stores, roles, deactivation, removals and a ban\'s walk is served by an index', async () => {
    const pair = await mongoPair();
    const raw = await mongoose.createConnection(mongoUrl(), { dbName: pair.dbName }).asPromise();
    try {
      const { ops } = await recordOps(async () => {
        const ids = await administer(pair.a);
        await readBack(pair.b, ids);
        await pair.b.invitations.find(hex(1));
        await pair.b.invitations.findByTokenHash(tokenHash);
        await pair.b.invitations.list({ createdBy: admin.id, limit: 10 });
        await pair.b.invitations.revoke(hex(1), at);
        await pair.b.reports.list({ status: 'open', before: hex(9), limit: 10 });
        await pair.b.reports.list({ status: 'all', before: hex(9), limit: 10 });
        await pair.b.reports.find(hex(2));
        await pair.b.reports.resolveAllOf(hex(3), { by: admin, at });
        await pair.b.audit.list({ before: hex(9), limit: 10 });
        await pair.b.users.setDeactivated(ids.user.id, { deactivatedAt: null });
        await pair.b.users.setPasswordHash(ids.user.id, 'new');
        await pair.b.messages.authoredBy(ids.user.id, { afterId: ids.messageId, limit: 10 });
        await pair.b.messages.edit(ids.messageId, { body: 'back', mentions: [], editedAt: at });
        await pair.b.messages.countUnread('lobby', { afterSeq: 0, excludeAuthorId: admin.id });
      });
      const indexes = new Map<string, { name: string; key: IndexKey }[]>();
      for (const { name } of await raw.db!.listCollections().toArray()) indexes.set(name, (await raw.collection(name).indexes()) as { name: string; key: IndexKey }[]);
      const queries = filteredOps(ops);
      for (const collection of ['users', 'messages', 'settings', 'invitations', 'invitationUses', 'reports', 'audit', 'writeLocks']) {
        expect(queries.some((op) => op.collection === collection), collection).toBe(true);
      }
      expect(queries.filter((op) => !isServed(op, indexes.get(op.collection) ?? [])).map(describeOp)).toEqual([]);
    } finally {
      await raw.close();
      await pair.close();
    }
  });

  it('reads users stored before roles existed as active members, counts and lists them so, and promotes them from member', async () => {
    const pair = await mongoPair();
    const raw = await mongoose.createConnection(mongoUrl(), { dbName: pair.dbName }).asPromise();
    try {
      const old = { username: 'Old', usernameKey: 'old', displayName: 'Old', displayNameKey: 'old', passwordHash: 'h', createdAt: at };
      const { insertedId } = await raw.collection('users').insertOne(old);
      const id = insertedId.toHexString();
      expect(await pair.a.users.findById(id)).toEqual({ id, username: 'Old', displayName: 'Old', passwordHash: 'h', createdAt: at, role: 'member', deactivatedAt: null, bannedAt: null });
      expect([await pair.a.users.countActiveAdmins(), await pair.a.users.deactivatedIds()]).toEqual([0, []]);
      await pair.a.users.setDeactivated(id, { deactivatedAt: at });
      expect(await pair.b.users.deactivatedIds()).toEqual([id]);
      expect((await pair.b.users.findByUsername('old'))?.role).toBe('member');
      // Promoted from member (ADMIN_USERNAMES at start-up) like any member, once.
      expect(await pair.a.users.replaceRole(id, { from: 'admin', to: 'member' })).toBeNull();
      expect((await pair.b.users.replaceRole(id, { from: 'member', to: 'admin' }))?.role).toBe('admin');
      expect(await pair.a.users.replaceRole(id, { from: 'member', to: 'admin' })).toBeNull();
    } finally {
      await raw.close();
      await pair.close();
    }
  });

  it('two servers changing one user\'s password, role and deactivation at once: every change takes effect', async () => {
    const pair = await mongoPair();
    try {
      const users = await Promise.all(Array.from({ length: 10 }, (_, i) => createUser(pair.a, `racer${i}`)));
      await Promise.all(
        users.flatMap((user, i) => [
          (i % 2 ? pair.a : pair.b).users.setRole(user.id, 'admin'),
          (i % 2 ? pair.b : pair.a).users.setDeactivated(user.id, { deactivatedAt: at, bannedAt: at }),
          (i % 2 ? pair.a : pair.b).users.setPasswordHash(user.id, 'new hash'),
        ]),
      );
      for (const user of users) expect(await pair.b.users.findById(user.id)).toEqual({ ...user, role: 'admin', deactivatedAt: at, bannedAt: at, passwordHash: 'new hash' });
    } finally {
      await pair.close();
    }
  });

  it('a user\'s write lock left by a server that died is taken over once its lease is over, and a live one is waited for', async () => {
    const pair = await mongoPair();
    const raw = await mongoose.createConnection(mongoUrl(), { dbName: pair.dbName }).asPromise();
    try {
      const [dead, busy] = [await createUser(pair.a, 'dead'), await createUser(pair.a, 'busy')];
      await raw.collection('writeLocks').insertMany([
        { _id: `user:${dead.id}` as never, token: 'died', at: new Date(Date.now() - 60_000) },
        { _id: `user:${busy.id}` as never, token: 'live', at: new Date() },
      ]);
      expect((await pair.b.users.setRole(dead.id, 'admin'))?.role).toBe('admin');
      let isDone = false;
      const waiting = pair.b.users.setRole(busy.id, 'admin').then((user) => ((isDone = true), user));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(isDone).toBe(false);
      await raw.collection('writeLocks').deleteOne({ _id: `user:${busy.id}` as never });
      expect((await waiting)?.role).toBe('admin');
      expect(await raw.collection('writeLocks').countDocuments()).toBe(0);
    } finally {
      await raw.close();
      await pair.close();
    }
  });

  it('refuses what its schemas reject (a setting out of range, a malformed token hash, an unknown action) and stores nothing', async () => {
    const pair = await mongoPair();
    const raw = await mongoose.createConnection(mongoUrl(), { dbName: pair.dbName }).asPromise();
    try {
      await expect(pair.a.settings.update({ serverName: 'Fine', uploadMaxBytes: 12 })).rejects.toThrow(/uploadMaxBytes/);
      await expect(pair.a.settings.update({ registration: 'sometimes' as 'open' })).rejects.toThrow(/registration/);
      await expect(pair.a.invitations.create({ id: hex(1), tokenHash: 'not a hash', createdBy: admin, createdAt: at, expiresAt: at, maxUses: 1, revokedAt: null, uses: 0 })).rejects.toThrow(/tokenHash/);
      await expect(pair.a.audit.append({ id: hex(2), at, actor: admin, action: 'user.explode' as 'user.ban', target: { kind: 'user', id: admin.id, label: '' } })).rejects.toThrow(/action/);
      await expect(pair.a.reports.create({ id: hex(3), messageId: 'nope', roomId: 'lobby', reporter: admin, reason: '', createdAt: at })).rejects.toThrow(/messageId/);
      expect(await pair.a.settings.get()).toEqual({});
      for (const collection of ['settings', 'invitations', 'audit', 'reports']) expect(await raw.collection(collection).countDocuments(), collection).toBe(0);
    } finally {
      await raw.close();
      await pair.close();
    }
  });
});
