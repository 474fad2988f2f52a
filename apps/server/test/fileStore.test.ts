import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createStores } from '../src/store/createStores.js';
import { instrumentStores } from '../src/store/instrumented.js';
import { LocalFileStore } from '../src/store/local/localFileStore.js';
import { createMemoryStores } from '../src/store/memory/index.js';
import type { FileClaim, FileRecord, FileStore } from '../src/store/ports.js';
import { describeFileStoreContract, type FileStoreHarness } from './support/fileStoreContract.js';
import { dropDatabase, mongoUrl, openTestStores, testDatabaseName } from './support/mongo.js';

const root = mkdtempSync(join(tmpdir(), 'confab-file-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folderCount = 0;
/** A folder path of its own, not yet created. */
const freshFolder = () => join(root, String((folderCount += 1)));

async function countEntries(dir: string): Promise<number> {
  return existsSync(dir) ? (await readdir(dir)).length : 0;
}

function localHarness(dir = freshFolder()): FileStoreHarness {
  const files = new LocalFileStore(dir);
  return { files, unfinishedPieces: () => countEntries(join(dir, 'partial')), close: () => files.close() };
}

async function gridFsHarness(): Promise<FileStoreHarness & { raw: mongoose.Connection; dbName: string }> {
  const dbName = testDatabaseName(import.meta.filename);
  const stores = await openTestStores(dbName);
  const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
  return {
    files: stores.files,
    raw,
    dbName,
    async unfinishedPieces() {
      const blobIds = new Set((await raw.collection('files.files').find({}, { projection: { _id: 1 } }).toArray()).map((f) => String(f._id)));
      const chunks = await raw.collection('files.chunks').find({}, { projection: { files_id: 1 } }).toArray();
      return chunks.filter((c) => !blobIds.has(String(c.files_id))).length;
    },
    async close() {
      await stores.close();
      await raw.close();
      await dropDatabase(dbName);
    },
  };
}

describeFileStoreContract('local folder', async () => localHarness());
describeFileStoreContract('gridfs', gridFsHarness);

const hex = (n: number) => n.toString(16).padStart(24, '0');
const alice = hex(0xa1);
const at = new Date('2026-03-01T12:00:00.000Z');
const recordOf = (id: string, overrides: Partial<FileRecord> = {}): FileRecord => ({
  id, ownerId: alice, name: 'a.png', contentType: 'image/png', kind: 'image', size: 5, width: 2, height: 1,
  thumbnail: { width: 2, height: 1, size: 3 }, sha256: 'cd'.repeat(32), createdAt: at, ...overrides,
});
const claimOf = (fileId: string, overrides: Partial<FileClaim> = {}): FileClaim => ({ fileId, authorId: alice, clientId: 'send-1', roomId: 'lobby', at, ...overrides });
const text = async (stream: Readable | null) => {
  if (!stream) return null;
  let all = '';
  for await (const piece of stream) all += String(piece);
  return all;
};

describe('the local file store', () => {
  it('refuses ids that are not 24 lowercase hex digits without touching the disk', async () => {
    const dir = freshFolder();
    const files = new LocalFileStore(dir);
    const bad = ['../../etc/passwd', 'a/b', '', '..', 'A'.repeat(24), `${'a'.repeat(22)}/x`, `${'a'.repeat(23)}\u0000`, '0'.repeat(25)];
    for (const id of bad) {
      const calls: [string, () => Promise<unknown>][] = [
        ['putBlob', () => files.putBlob(id, 'file', Readable.from([Buffer.from('x')]))],
        ['readBlob', () => files.readBlob(id, 'thumbnail')],
        ['create', () => files.create(recordOf(id))],
        ['find', () => files.find(id)],
        ['claim', () => files.claim(claimOf(id))],
        ['claimOf', () => files.claimOf(id)],
        ['setClaimMessage', () => files.setClaimMessage(id, hex(1))],
        ['releaseClaim', () => files.releaseClaim(id, alice, 'send-1')],
        ['delete', () => files.delete(id)],
      ];
      for (const [method, call] of calls) await expect(call(), `${method}(${JSON.stringify(id)})`).rejects.toThrow(TypeError);
    }
    // A blob kind is checked as strictly: it is part of the path too.
    await expect(files.readBlob(hex(1), '../x' as 'file')).rejects.toThrow(TypeError);
    expect(existsSync(dir)).toBe(false);
    await files.close();
  });

  it('keeps its folder private: folders 0700 and files 0600, whatever the umask', async () => {
    const dir = freshFolder();
    const files = new LocalFileStore(dir);
    const id = hex(0x5a);
    const umask = process.umask(0);
    try {
      await files.putBlob(id, 'file', Readable.from([Buffer.from('bytes')]));
      await files.putBlob(id, 'thumbnail', Readable.from([Buffer.from('thumb')]));
      await files.create(recordOf(id));
      await files.claim(claimOf(id));
      await files.setClaimMessage(id, hex(0x77));
    } finally {
      process.umask(umask);
    }
    const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(dir, 'partial'))).toBe(0o700);
    expect(await modeOf(join(dir, '00'))).toBe(0o700);
    const names = (await readdir(join(dir, '00'))).sort();
    expect(names).toEqual([id, `${id}.claim.json`, `${id}.json`, `${id}.thumbnail`]);
    for (const name of names) expect(await modeOf(join(dir, '00', name)), name).toBe(0o600);
    await files.close();
  });

  it('records, claims and blobs are as they were after the store is opened again on the same folder', async () => {
    const dir = freshFolder();
    const first = new LocalFileStore(dir);
    const [claimed, unclaimed] = [hex(0x100), hex(0x200)];
    for (const id of [claimed, unclaimed]) {
      await first.putBlob(id, 'file', Readable.from([Buffer.from(`file ${id}`)]));
      await first.putBlob(id, 'thumbnail', Readable.from([Buffer.from('thumb')]));
      await first.create(recordOf(id));
    }
    await first.claim(claimOf(claimed));
    await first.setClaimMessage(claimed, hex(0x77));
    await first.close();

    const reopened = new LocalFileStore(dir);
    expect(await reopened.find(claimed)).toEqual(recordOf(claimed));
    expect(await reopened.claimOf(claimed)).toEqual({ ...claimOf(claimed), messageId: hex(0x77) });
    expect(await text(await reopened.readBlob(claimed, 'file'))).toBe(`file ${claimed}`);
    expect(await text(await reopened.readBlob(unclaimed, 'thumbnail', { start: 1, end: 3 }))).toBe('hum');
    expect(await reopened.usage(alice)).toBe(16);
    expect(await reopened.unclaimedBefore(new Date(at.getTime() + 1), 10)).toEqual([recordOf(unclaimed)]);
    // The claim still holds against another send.
    expect((await reopened.claim(claimOf(claimed, { clientId: 'send-2' }))).clientId).toBe('send-1');
    await reopened.close();
  });

  it('opening removes what a crash leaves (partial writes, blobs never recorded) and nothing else', async () => {
    const dir = freshFolder();
    const first = new LocalFileStore(dir);
    const [kept, neverRecorded] = [hex(0x300), hex(0x301)];
    await first.putBlob(kept, 'file', Readable.from([Buffer.from('kept')]));
    await first.create(recordOf(kept));
    await first.putBlob(neverRecorded, 'file', Readable.from([Buffer.from('cut off')]));
    await first.close();
    await writeFile(join(dir, 'partial', `${'9'.repeat(32)}.part`), 'half an upload');
    await writeFile(join(dir, 'partial', 'not-ours.txt'), 'mine');
    await mkdir(join(dir, 'zz'));
    await writeFile(join(dir, 'notes.txt'), 'mine too');

    const reopened = new LocalFileStore(dir);
    await reopened.open();
    expect((await readdir(join(dir, 'partial'))).sort()).toEqual(['not-ours.txt']);
    expect(await reopened.readBlob(neverRecorded, 'file')).toBeNull();
    expect(await text(await reopened.readBlob(kept, 'file'))).toBe('kept');
    expect((await readdir(dir)).sort()).toEqual(['.gitignore', '00', 'notes.txt', 'partial', 'zz']);
    await reopened.close();
  });

  it('a store on a folder it cannot create fails to open, naming the reason', async () => {
    const blocker = join(freshFolder());
    await writeFile(blocker, 'a file where the folder should be');
    await expect(new LocalFileStore(join(blocker, 'files')).open()).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});

describe('the memory stores\' files', () => {
  it('live in a temporary folder that closing the stores removes', async () => {
    const stores = createMemoryStores();
    const id = hex(0x400);
    await stores.files.putBlob(id, 'file', Readable.from([Buffer.from('temporary')]));
    const dir = await stores.files.folder();
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(await text(await stores.files.readBlob(id, 'file'))).toBe('temporary');
    await stores.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('are kept in the folder given, which closing leaves in place', async () => {
    const dir = freshFolder();
    const stores = createMemoryStores({ filesDir: dir });
    const id = hex(0x401);
    await stores.files.putBlob(id, 'file', Readable.from([Buffer.from('kept')]));
    await stores.files.create(recordOf(id));
    await stores.close();
    const again = createMemoryStores({ filesDir: dir });
    expect(await again.files.find(id)).toEqual(recordOf(id));
    expect(await text(await again.files.readBlob(id, 'file'))).toBe('kept');
    await again.close();
  });
});

describe('instrumented stores', () => {
  it('time the file store\'s calls, except putBlob, whose time is the uploader\'s connection', async () => {
    const calls: string[] = [];
    const stores = instrumentStores(createMemoryStores(), (store, method) => void calls.push(`${store}.${method}`));
    const id = hex(0x700);
    await stores.files.putBlob(id, 'file', Readable.from([Buffer.from('timed?')]));
    await stores.files.create(recordOf(id));
    expect(await text(await stores.files.readBlob(id, 'file'))).toBe('timed?');
    await stores.close();
    expect(calls).toEqual(['files.create', 'files.readBlob']);
  });
});

describe('the embedded stores a server starts with', () => {
  const logger = createLogger({ level: 'silent', pretty: false });
  // Development without MONGODB_URL: the settings `pnpm start` runs with.
  const embedded = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'development', SESSION_SECRET: 's'.repeat(32), ...env });

  it('keep files in DATA_DIR/files, private, across a restart', async () => {
    const dataDir = freshFolder();
    const id = hex(0x600);
    const first = await createStores(embedded({ DATA_DIR: dataDir }), logger);
    await first.files.putBlob(id, 'file', Readable.from([Buffer.from('survives')]));
    await first.files.create(recordOf(id));
    await first.files.claim(claimOf(id));
    await first.close();
    expect((await stat(join(dataDir, 'files'))).mode & 0o777).toBe(0o700);

    const restarted = await createStores(embedded({ DATA_DIR: dataDir }), logger);
    expect(await restarted.files.find(id)).toEqual(recordOf(id));
    expect(await restarted.files.claimOf(id)).toEqual(claimOf(id));
    expect(await text(await restarted.files.readBlob(id, 'file'))).toBe('survives');
    await restarted.close();
  });

  it('keep files in FILES_DIR when it is set, and refuse to start when it cannot be made', async () => {
    const dataDir = freshFolder();
    const filesDir = freshFolder();
    const stores = await createStores(embedded({ DATA_DIR: dataDir, FILES_DIR: filesDir }), logger);
    const id = hex(0x601);
    await stores.files.putBlob(id, 'file', Readable.from([Buffer.from('here')]));
    expect(existsSync(join(filesDir, '00', id))).toBe(true);
    expect(existsSync(join(dataDir, 'files'))).toBe(false);
    await stores.close();

    const blocker = freshFolder();
    await writeFile(blocker, 'a file, not a folder');
    await expect(createStores(embedded({ DATA_DIR: freshFolder(), FILES_DIR: join(blocker, 'files') }), logger)).rejects.toThrow(/Could not keep files in .*FILES_DIR/);
  });
});

describe('the gridfs file store, beyond the contract', () => {
  async function twoServers() {
    const harness = await gridFsHarness();
    const other = await openTestStores(harness.dbName);
    return { harness, one: harness.files, two: other.files, close: async () => (await other.close(), await harness.close()) };
  }

  it('a blob is one GridFS file with the file id (or `<id>.thumbnail`) as its id, served by every instance', async () => {
    const { harness, one, two, close } = await twoServers();
    try {
      const id = hex(0x500);
      await one.putBlob(id, 'file', Readable.from([Buffer.from('across')]));
      await one.putBlob(id, 'thumbnail', Readable.from([Buffer.from('small')]));
      const stored = await harness.raw.collection('files.files').find({}).sort({ _id: 1 }).toArray();
      expect(stored.map((f) => [f._id, f.length])).toEqual([[id, 6], [`${id}.thumbnail`, 5]]);
      expect(await text(await two.readBlob(id, 'file'))).toBe('across');
      expect(await text(await two.readBlob(id, 'thumbnail', { start: 1, end: 2 }))).toBe('ma');
    } finally {
      await close();
    }
  });

  it('two instances racing 20 claims for one file: exactly one claim is stored, and both are told it', async () => {
    const { one, two, close } = await twoServers();
    try {
      const id = hex(0x501);
      await one.create(recordOf(id));
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).claim(claimOf(id, { clientId: `send-${i}` }))));
      expect(new Set(results.map((c) => c.clientId)).size).toBe(1);
      expect(await two.claimOf(id)).toEqual(results[0]);
      expect(await one.unclaimedBefore(new Date(at.getTime() + 1), 10)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the sweep reads past pages of claimed files, and the claims (not the record\'s hint) decide', async () => {
    const harness = await gridFsHarness();
    const files: FileStore = harness.files;
    try {
      const minute = (n: number) => new Date(at.getTime() + n * 60_000);
      // More claimed files than one page of the sweep (100), all older than the unclaimed ones.
      const claimedIds = Array.from({ length: 130 }, (_, i) => hex(0x1000 + i));
      await harness.raw.collection('fileRecords').insertMany(
        claimedIds.map((id, i) => ({ _id: id as never, ownerId: alice, name: 'a', contentType: 'text/plain', kind: 'file', size: 1, sha256: 'cd'.repeat(32), createdAt: minute(i), bytes: 1, isClaimed: false })),
      );
      await harness.raw.collection('fileClaims').insertMany(claimedIds.map((id) => ({ _id: id as never, authorId: alice, clientId: `send-${id}`, roomId: 'lobby', at })));
      const orphans = [hex(0x2000), hex(0x2001)];
      await files.create(recordOf(orphans[0]!, { createdAt: minute(200) }));
      await files.create(recordOf(orphans[1]!, { createdAt: minute(201) }));
      expect((await files.unclaimedBefore(minute(300), 10)).map((r) => r.id)).toEqual(orphans);
      expect((await files.unclaimedBefore(minute(300), 1)).map((r) => r.id)).toEqual([orphans[0]]);
    } finally {
      await harness.close();
    }
  });
});
