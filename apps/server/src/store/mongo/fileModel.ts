import { LIMITS } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import { isLowerHex } from '../local/blobArgs.js';
import type { FileRecord } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

/** A file's record; its bytes are GridFS files (see GridFsFileStore). */
export interface FileDoc {
  /** The file id (24 hex digits). */
  _id: string;
  ownerId: string;
  name: string;
  contentType: string;
  kind: FileRecord['kind'];
  size: number;
  width?: number;
  height?: number;
  thumbnail?: { width: number; height: number; size: number };
  sha256: string;
  createdAt: Date;
  /** Bytes of every blob (file and thumbnail), summed for the owner's quota. */
  bytes: number;
  /**
   * Whether a claim was made, as a hint for the orphan sweep, so it need not read every old claimed
   * file each time: the claims collection alone decides (see GridFsFileStore.claim and releaseClaim).
   */
  isClaimed: boolean;
}

const countType = { type: Number, required: true, min: 0, validate: { validator: Number.isSafeInteger, message: 'must be an integer' } } as const;
const optionalCountType = { ...countType, required: false } as const;

const thumbnailSchema = new Schema<NonNullable<FileDoc['thumbnail']>>(
  { width: countType, height: countType, size: countType },
  { _id: false, strict: 'throw' },
);

const fileSchema = new Schema<FileDoc>(
  {
    _id: objectIdHexType,
    ownerId: objectIdHexType,
    // Limits count code points; mongoose counts UTF-16 units, and a code point takes at most two.
    name: { type: String, required: true, minlength: 1, maxlength: LIMITS.fileNameMaxLength * 2 },
    contentType: { type: String, required: true, minlength: 1, maxlength: 255 },
    kind: { type: String, required: true, enum: ['image', 'file'] },
    size: countType,
    width: optionalCountType,
    height: optionalCountType,
    thumbnail: { type: thumbnailSchema },
    sha256: { type: String, required: true, validate: { validator: (v: string) => isLowerHex(v, 64), message: 'sha256 must be 64 hex digits' } },
    createdAt: { type: Date, required: true },
    bytes: countType,
    isClaimed: { type: Boolean, required: true },
  },
  { collection: 'fileRecords', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// The owner's quota: the sum of their files' bytes.
fileSchema.index({ ownerId: 1 });
// The orphan sweep: unclaimed files, oldest first.
fileSchema.index({ isClaimed: 1, createdAt: 1, _id: 1 });

export function fileModel(connection: Connection) {
  return connection.model<FileDoc>('FileRecord', fileSchema);
}

export type FileModel = ReturnType<typeof fileModel>;

export function toFileDoc(record: FileRecord): FileDoc {
  return {
    _id: record.id,
    ownerId: record.ownerId,
    name: record.name,
    contentType: record.contentType,
    kind: record.kind,
    size: record.size,
    ...(record.width !== undefined ? { width: record.width } : {}),
    ...(record.height !== undefined ? { height: record.height } : {}),
    ...(record.thumbnail ? { thumbnail: { width: record.thumbnail.width, height: record.thumbnail.height, size: record.thumbnail.size } } : {}),
    sha256: record.sha256,
    createdAt: record.createdAt,
    bytes: record.size + (record.thumbnail?.size ?? 0),
    isClaimed: false,
  };
}

export function toFileRecord(doc: FileDoc): FileRecord {
  return {
    id: doc._id,
    ownerId: doc.ownerId,
    name: doc.name,
    contentType: doc.contentType,
    kind: doc.kind,
    size: doc.size,
    ...(doc.width !== undefined && doc.width !== null ? { width: doc.width } : {}),
    ...(doc.height !== undefined && doc.height !== null ? { height: doc.height } : {}),
    ...(doc.thumbnail ? { thumbnail: { width: doc.thumbnail.width, height: doc.thumbnail.height, size: doc.thumbnail.size } } : {}),
    sha256: doc.sha256,
    createdAt: new Date(doc.createdAt),
  };
}
