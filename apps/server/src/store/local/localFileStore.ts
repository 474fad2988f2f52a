import { createWriteStream } from 'node:fs';
import { link, mkdir, open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobKind, ByteRange, FileClaim, FileRecord, FileStore } from '../ports.js';
import { assertBlobKind, assertFileId, checkRange } from './blobArgs.js';
import { KeyedQueue } from './keyedQueue.js';
import type { FilesLayout } from './layout.js';
import { openFolder, temporaryFolder } from './openFolder.js';
import { partialPath, writeJsonAtomically } from './sidecars.js';

/** What the store keeps in memory: every record and claim, read once at open, so no call scans the folder. */
interface Index {
  layout: FilesLayout;
  records: Map<string, FileRecord>;
  claims: Map<string, FileClaim>;
  usage: Map<string, number>;
}

const blobBytes = (r: FileRecord) => r.size + (r.thumbnail?.size ?? 0);

/**
 * The embedded file store: blobs and JSON records in a private local folder (see FilesLayout),
 * for one server process. Every path is made from a checked server-made id, never from a name.
 * Opens on first use (or `open()`); a temporary store makes its folder then and removes it on `close()`.
 */
export class LocalFileStore implements FileStore {
  readonly #dir: string | undefined;
  #opening: Promise<Index> | undefined;
  readonly #queue = new KeyedQueue();

  /** `dir`: the folder to keep (created if missing); omitted: a temporary folder, removed on close. */
  constructor(dir?: string) {
    this.#dir = dir;
  }

  /** Opens the folder now (it is opened on first use otherwise), so a bad folder fails start-up. */
  async open(): Promise<void> {
    await this.#index();
  }

  /** The folder in use (opening the store if it is not yet open). */
  async folder(): Promise<string> {
    return (await this.#index()).layout.dir;
  }

  /** Waits for writes in progress; a temporary store's folder is then removed. */
  async close(): Promise<void> {
    await this.#queue.idle();
    if (this.#dir !== undefined || !this.#opening) return;
    const index = await this.#opening.catch(() => undefined);
    if (index) await rm(index.layout.dir, { recursive: true, force: true });
  }

  #index(): Promise<Index> {
    this.#opening ??= (async () => {
      const { layout, records, claims } = await openFolder(this.#dir ?? (await temporaryFolder()));
      const index: Index = { layout, records: new Map(), claims: new Map(), usage: new Map() };
      for (const record of records) this.#remember(index, record);
      for (const claim of claims) index.claims.set(claim.fileId, claim);
      return index;
    })();
    return this.#opening;
  }

  #remember(index: Index, record: FileRecord): void {
    index.records.set(record.id, record);
    index.usage.set(record.ownerId, (index.usage.get(record.ownerId) ?? 0) + blobBytes(record));
  }

  #forget(index: Index, record: FileRecord): void {
    index.records.delete(record.id);
    const left = (index.usage.get(record.ownerId) ?? 0) - blobBytes(record);
    if (left > 0) index.usage.set(record.ownerId, left);
    else index.usage.delete(record.ownerId);
  }

  async putBlob(fileId: string, kind: BlobKind, source: Readable): Promise<number> {
    assertFileId(fileId);
    assertBlobKind(kind);
    const { layout } = await this.#index();
    const partial = partialPath(layout.partialDir);
    try {
      const sink = createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true });
      await pipeline(source, sink);
      await mkdir(layout.shardOf(fileId), { recursive: true, mode: 0o700 });
      // A link, unlike a rename, refuses to replace: a blob is written once.
      await link(partial, layout.path(fileId, kind));
      return sink.bytesWritten;
    } finally {
      await rm(partial, { force: true });
    }
  }

  async readBlob(fileId: string, kind: BlobKind, range?: ByteRange): Promise<Readable | null> {
    assertFileId(fileId);
    assertBlobKind(kind);
    const { layout } = await this.#index();
    let handle;
    try {
      handle = await open(layout.path(fileId, kind), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (!range) return handle.createReadStream();
    try {
      checkRange(range, (await handle.stat()).size);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle.createReadStream({ start: range.start, end: range.end });
  }

  async create(record: FileRecord): Promise<void> {
    assertFileId(record.id);
    const copy = structuredClone(record);
    await this.#queue.run(record.id, async () => {
      const index = await this.#index();
      if (index.records.has(record.id)) throw new Error(`file ${record.id} is recorded already`);
      await mkdir(index.layout.shardOf(record.id), { recursive: true, mode: 0o700 });
      await writeJsonAtomically(index.layout.path(record.id, 'record'), copy, index.layout.partialDir, true);
      this.#remember(index, copy);
    });
  }

  async find(id: string): Promise<FileRecord | null> {
    assertFileId(id);
    const record = (await this.#index()).records.get(id);
    return record ? structuredClone(record) : null;
  }

  async usage(ownerId: string): Promise<number> {
    return (await this.#index()).usage.get(ownerId) ?? 0;
  }

  async claim(claim: FileClaim): Promise<FileClaim> {
    assertFileId(claim.fileId);
    const copy = structuredClone(claim);
    return this.#queue.run(claim.fileId, async () => {
      const index = await this.#index();
      const earlier = index.claims.get(claim.fileId);
      if (earlier) return structuredClone(earlier);
      await mkdir(index.layout.shardOf(claim.fileId), { recursive: true, mode: 0o700 });
      await writeJsonAtomically(index.layout.path(claim.fileId, 'claim'), copy, index.layout.partialDir, true);
      index.claims.set(claim.fileId, copy);
      return structuredClone(copy);
    });
  }

  async claimOf(fileId: string): Promise<FileClaim | null> {
    assertFileId(fileId);
    const claim = (await this.#index()).claims.get(fileId);
    return claim ? structuredClone(claim) : null;
  }

  async setClaimMessage(fileId: string, messageId: string): Promise<void> {
    assertFileId(fileId);
    return this.#queue.run(fileId, async () => {
      const index = await this.#index();
      const claim = index.claims.get(fileId);
      if (!claim) return;
      const updated = { ...claim, messageId };
      await writeJsonAtomically(index.layout.path(fileId, 'claim'), updated, index.layout.partialDir);
      index.claims.set(fileId, updated);
    });
  }

  async releaseClaim(fileId: string, authorId: string, clientId: string): Promise<void> {
    assertFileId(fileId);
    return this.#queue.run(fileId, async () => {
      const index = await this.#index();
      const claim = index.claims.get(fileId);
      if (!claim || claim.authorId !== authorId || claim.clientId !== clientId) return;
      await rm(index.layout.path(fileId, 'claim'), { force: true });
      index.claims.delete(fileId);
    });
  }

  async delete(id: string): Promise<void> {
    assertFileId(id);
    return this.#queue.run(id, async () => {
      const index = await this.#index();
      // The claim first and the record last: a crash part-way leaves an unclaimed record, which the
      // orphan sweep finishes deleting.
      for (const kind of ['claim', 'file', 'thumbnail', 'record'] as const) {
        await rm(index.layout.path(id, kind), { force: true });
        if (kind === 'claim') index.claims.delete(id);
      }
      const record = index.records.get(id);
      if (record) this.#forget(index, record);
    });
  }

  async unclaimedBefore(before: Date, limit: number): Promise<FileRecord[]> {
    const { records, claims } = await this.#index();
    return [...records.values()]
      .filter((r) => r.createdAt < before && !claims.has(r.id))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, Math.max(0, limit))
      .map((r) => structuredClone(r));
  }
}
