import mongoose, { type Connection } from 'mongoose';
import type { Readable } from 'node:stream';
import { checkRange } from '../local/blobArgs.js';
import type { ByteRange } from '../ports.js';

const { mongo } = mongoose;

/** The GridFS bucket: collections `files.files` (one document per blob) and `files.chunks`. */
export const BUCKET = 'files';

// GridFS ids are typed as ObjectIds, but any unique value serves: ours are the file id and kind.
const gridId = (id: string) => id as unknown as InstanceType<typeof mongo.ObjectId>;

/**
 * Blobs as GridFS files with string ids, in the same database as everything else, so every
 * instance serves every blob and a backup of the database holds them.
 */
export class GridFsBlobs {
  readonly #bucket: InstanceType<typeof mongo.GridFSBucket>;
  readonly #files: ReturnType<NonNullable<Connection['db']>['collection']>;
  readonly #chunks: ReturnType<NonNullable<Connection['db']>['collection']>;

  constructor(connection: Connection) {
    const db = connection.db;
    if (!db) throw new Error('GridFsBlobs needs a connected connection');
    this.#bucket = new mongo.GridFSBucket(db, { bucketName: BUCKET });
    this.#files = db.collection(`${BUCKET}.files`);
    this.#chunks = db.collection(`${BUCKET}.chunks`);
  }

  /**
   * The indexes GridFS relies on, built at start-up: the driver builds them on a first upload but
   * ignores a failure, and the unique (files_id, n) index is what keeps a blob's chunks in order.
   */
  static async ensureIndexes(connection: Connection): Promise<void> {
    const db = connection.db;
    if (!db) throw new Error('GridFS indexes need a connected connection');
    await db.collection(`${BUCKET}.files`).createIndex({ filename: 1, uploadDate: 1 });
    await db.collection(`${BUCKET}.chunks`).createIndex({ files_id: 1, n: 1 }, { unique: true });
  }

  /**
   * Streams `source` into a new GridFS file `id`: each chunk is written before the next is read, so
   * when `source` (or the database) fails no write is in flight and aborting removes every chunk.
   */
  async put(id: string, source: Readable): Promise<number> {
    if (await this.#files.findOne({ _id: gridId(id) }, { projection: { _id: 1 } })) {
      throw new Error(`blob ${id} exists; a blob is written once`);
    }
    const upload = this.#bucket.openUploadStreamWithId(gridId(id), id);
    // Failures arrive through the callbacks below; without a listener an 'error' event would throw.
    upload.on('error', () => {});
    try {
      for await (const chunk of source) await written((cb) => upload.write(chunk as Buffer, cb));
      await written((cb) => upload.end(cb));
      return upload.length;
    } catch (err) {
      // The caller hears of what went wrong, not of a failed clean-up on top of it.
      await this.#discard(upload, id).catch(() => {});
      throw err;
    }
  }

  async #discard(upload: InstanceType<typeof mongo.GridFSBucketWriteStream>, id: string): Promise<void> {
    try {
      await upload.abort();
    } catch {
      // Already ended (its files document failed): abort refuses, so remove the chunks here.
      await this.#chunks.deleteMany({ files_id: gridId(id) });
    }
  }

  /** The blob's bytes (only `range`, which must lie within it); null when there is no such blob. */
  async read(id: string, range?: ByteRange): Promise<Readable | null> {
    const file = await this.#files.findOne({ _id: gridId(id) }, { projection: { length: 1 } });
    if (!file) return null;
    if (!range) return this.#bucket.openDownloadStream(gridId(id));
    checkRange(range, Number(file.length));
    // GridFS counts `end` exclusively, HTTP inclusively.
    return this.#bucket.openDownloadStream(gridId(id), { start: range.start, end: range.end + 1 });
  }

  /** Removes the blob; nothing when there is none. Chunks first: a crash part-way leaves a blob a repeat removes. */
  async delete(id: string): Promise<void> {
    await this.#chunks.deleteMany({ files_id: gridId(id) });
    await this.#files.deleteOne({ _id: gridId(id) });
  }
}

function written(write: (callback: (err?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => write((err) => (err ? reject(err) : resolve())));
}
