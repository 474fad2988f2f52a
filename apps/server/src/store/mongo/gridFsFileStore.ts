import mongoose from 'mongoose';
import type { Readable } from 'node:stream';
import { assertBlobKind, assertFileId } from '../local/blobArgs.js';
import type { BlobKind, ByteRange, FileClaim, FileRecord, FileStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { insertOnce } from './driverErrors.js';
import { toFileClaim, type FileClaimDoc, type FileClaimModel } from './fileClaimModel.js';
import { toFileDoc, toFileRecord, type FileDoc, type FileModel } from './fileModel.js';
import type { GridFsBlobs } from './gridFsBlobs.js';

const blobId = (fileId: string, kind: BlobKind) => (kind === 'file' ? fileId : `${fileId}.thumbnail`);

// How many candidates the orphan sweep reads at a time.
const SWEEP_PAGE = 100;

/**
 * Files on MongoDB: blobs in GridFS, records in `fileRecords`, claims in `fileClaims` under the
 * file's id. A claim is an insert under the unique `_id` index, never a conditional update,
 * because FerretDB 1.x does not isolate those.
 */
export class GridFsFileStore implements FileStore {
  readonly #files: FileModel;
  readonly #claims: FileClaimModel;
  readonly #blobs: GridFsBlobs;
  readonly #guarded: AvailabilityGuard;

  constructor(models: { files: FileModel; fileClaims: FileClaimModel }, blobs: GridFsBlobs, guarded: AvailabilityGuard) {
    this.#files = models.files;
    this.#claims = models.fileClaims;
    this.#blobs = blobs;
    this.#guarded = guarded;
  }

  async putBlob(fileId: string, kind: BlobKind, source: Readable): Promise<number> {
    assertFileId(fileId);
    assertBlobKind(kind);
    return this.#guarded(() => this.#blobs.put(blobId(fileId, kind), source));
  }

  async readBlob(fileId: string, kind: BlobKind, range?: ByteRange): Promise<Readable | null> {
    assertFileId(fileId);
    assertBlobKind(kind);
    return this.#guarded(() => this.#blobs.read(blobId(fileId, kind), range));
  }

  async create(record: FileRecord): Promise<void> {
    assertFileId(record.id);
    return this.#guarded(async () => {
      await this.#files.create(toFileDoc(record));
    });
  }

  async find(id: string): Promise<FileRecord | null> {
    assertFileId(id);
    return this.#guarded(async () => {
      const doc = await this.#files.findOne({ _id: id }, { bytes: 0, isClaimed: 0 }).lean<FileDoc>();
      return doc ? toFileRecord(doc) : null;
    });
  }

  async usage(ownerId: string): Promise<number> {
    return this.#guarded(async () => {
      if (typeof ownerId !== 'string') return 0;
      const [total] = await this.#files.aggregate<{ bytes: number }>([
        { $match: { ownerId } },
        { $group: { _id: null, bytes: { $sum: '$bytes' } } },
      ]);
      return total?.bytes ?? 0;
    });
  }

  async claim(claim: FileClaim): Promise<FileClaim> {
    assertFileId(claim.fileId);
    return this.#guarded(async () => {
      // A claim released between a lost insert and the read is tried again.
      for (;;) {
        const isNew = await insertOnce(() =>
          this.#claims.create({
            _id: claim.fileId,
            authorId: claim.authorId,
            clientId: claim.clientId,
            roomId: claim.roomId,
            ...(claim.messageId ? { messageId: claim.messageId } : {}),
            at: claim.at,
          }),
        );
        if (isNew) {
          // Only the winner sets the hint, and after its insert: the sweep never skips an unclaimed file for it.
          await this.#files.updateOne({ _id: claim.fileId }, { $set: { isClaimed: true } });
          return { ...claim, at: new Date(claim.at) };
        }
        const earlier = await this.#claimDoc(claim.fileId);
        if (earlier) return toFileClaim(earlier);
      }
    });
  }

  async claimOf(fileId: string): Promise<FileClaim | null> {
    assertFileId(fileId);
    return this.#guarded(async () => {
      const doc = await this.#claimDoc(fileId);
      return doc ? toFileClaim(doc) : null;
    });
  }

  #claimDoc(fileId: string): Promise<FileClaimDoc | null> {
    return this.#claims.findOne({ _id: fileId }).lean<FileClaimDoc>();
  }

  async setClaimMessage(fileId: string, messageId: string): Promise<void> {
    assertFileId(fileId);
    return this.#guarded(async () => {
      await this.#claims.updateOne({ _id: fileId }, { $set: { messageId } });
    });
  }

  async releaseClaim(fileId: string, authorId: string, clientId: string): Promise<void> {
    assertFileId(fileId);
    return this.#guarded(async () => {
      const mine = { _id: fileId, authorId, clientId };
      if (!(await this.#claims.exists(mine))) return;
      // The hint goes first: a crash in between leaves it false with the claim still there, which
      // the sweep checks, rather than true with no claim, which it would skip for ever.
      await this.#files.updateOne({ _id: fileId }, { $set: { isClaimed: false } });
      await this.#claims.deleteOne(mine);
    });
  }

  async delete(id: string): Promise<void> {
    assertFileId(id);
    return this.#guarded(async () => {
      // The claim first and the record last: a crash part-way leaves an unclaimed record, which
      // the orphan sweep finishes deleting.
      await this.#claims.deleteOne({ _id: id });
      await this.#blobs.delete(blobId(id, 'file'));
      await this.#blobs.delete(blobId(id, 'thumbnail'));
      await this.#files.deleteOne({ _id: id });
    });
  }

  async unclaimedBefore(before: Date, limit: number): Promise<FileRecord[]> {
    return this.#guarded(async () => {
      const found: FileRecord[] = [];
      let last: Pick<FileDoc, '_id' | 'createdAt'> | undefined;
      while (found.length < limit) {
        const after = last
          ? { $or: [{ createdAt: mongoose.trusted({ $gt: last.createdAt, $lt: before }) }, { createdAt: last.createdAt, _id: mongoose.trusted({ $gt: last._id }) }] }
          : { createdAt: mongoose.trusted({ $lt: before }) };
        const page = await this.#files
          .find({ isClaimed: false, ...after }, { bytes: 0, isClaimed: 0 })
          .sort({ createdAt: 1, _id: 1 })
          .limit(SWEEP_PAGE)
          .lean<FileDoc[]>();
        if (page.length === 0) break;
        // The hint can be false for a claimed file (a release that failed part-way): the claims decide.
        const claimed = await this.#claims.find({ _id: mongoose.trusted({ $in: page.map((d) => d._id) }) }, { _id: 1 }).lean<Pick<FileClaimDoc, '_id'>[]>();
        const claimedIds = new Set(claimed.map((c) => c._id));
        for (const doc of page) if (!claimedIds.has(doc._id) && found.length < limit) found.push(toFileRecord(doc));
        if (page.length < SWEEP_PAGE) break;
        last = page[page.length - 1];
      }
      return found;
    });
  }
}
