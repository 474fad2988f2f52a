import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import { LIMITS, describeBytes, fail, normalizeFileName, ok, type Ack, type AckError, type AttachmentDto, type UserDto } from '@confab/shared';
import type { RateLimits } from '../limits/rateLimits.js';
import type { Logger } from '../logger.js';
import { toAttachmentDto } from '../services/attachments.js';
import type { BlobKind, FileRecord, FileStore } from '../store/ports.js';
import { detectType } from './detectType.js';
import { processImage, stripFileMetadata, type ImageOutcome } from './images.js';
import { receiveToFile } from './receive.js';

/** One file part of an upload, read only once the upload is admitted. */
export interface IncomingFile {
  stream: Readable;
  /** The name the client gave (only ever shown, after `normalizeFileName`). */
  filename: string;
}

export interface UploadDeps {
  files: FileStore;
  rateLimits: RateLimits;
  now: () => Date;
  logger: Logger;
  /** The largest upload now (an admin setting, `UPLOAD_MAX_MB` until changed): read per upload. */
  maxBytes: () => number;
  /** Each user's quota now (`UPLOAD_QUOTA_MB` until changed); null for no quota: read per upload. */
  quotaBytes: () => number | null;
}

/** What is stored for an upload: the bytes to serve and, for images, the thumbnail. */
interface Prepared {
  path: string;
  size: number;
  contentType: string;
  kind: 'image' | 'file';
  width?: number;
  height?: number;
  thumbnail?: { path: string; width: number; height: number; size: number };
}

/**
 * Uploads: admitted by the `uploads` rate limit and the owner's quota before a byte of the body
 * is read; streamed to a private temporary folder with the size limit (and what is left of the
 * quota) enforced while streaming; typed from the bytes; images checked, stripped and
 * thumbnailed; then streamed into the file store and recorded. The temporary folder is removed
 * on every path, and a failure after the first blob was stored removes what was stored.
 */
export function createUploads(deps: UploadDeps) {
  const { files } = deps;
  // Bytes each user's uploads in progress on this instance have received: what the store's usage
  // does not count yet, so that uploads running side by side share what is left of the quota.
  const receiving = new Map<string, number>();
  const received = (userId: string) => receiving.get(userId) ?? 0;

  /** `receive` is called only once the upload is admitted, so a refused one reads no body. */
  async function upload(user: UserDto, receive: () => Promise<IncomingFile | null>): Promise<Ack<AttachmentDto>> {
    const limited = await deps.rateLimits.check('uploads', user.id);
    if (limited) return limited;
    // Read once, so that a change of settings mid-upload does not mix the old and the new limits.
    const maxBytes = deps.maxBytes();
    const quotaBytes = deps.quotaBytes();
    const room = quotaBytes === null ? Infinity : quotaBytes - (await files.usage(user.id));
    if (room - received(user.id) <= 0) return quotaExceeded(quotaBytes!);
    const incoming = await receive();
    if (!incoming) return fail('invalid_payload', 'Send one file, as a multipart/form-data file part.', { field: 'file' });

    const dir = await mkdtemp(join(tmpdir(), 'confab-upload-'));
    let taken = 0;
    let isOverQuota = false;
    const take = (bytes: number): boolean => {
      if (received(user.id) + bytes > room) return !(isOverQuota = true);
      taken += bytes;
      receiving.set(user.id, received(user.id) + bytes);
      return true;
    };
    try {
      const result = await receiveToFile(incoming.stream, join(dir, 'upload'), maxBytes, take);
      if (result.kind === 'broken') return fail('invalid_payload', 'The upload was cut short or malformed; nothing was stored.', { field: 'file' });
      if (result.kind === 'over_limit') return isOverQuota ? quotaExceeded(quotaBytes!) : tooLarge(maxBytes);
      const prepared = await prepare(user, join(dir, 'upload'), result.size, dir);
      if ('error' in prepared) return { ok: false, error: prepared.error };
      const stored = prepared.size + (prepared.thumbnail?.size ?? 0);
      // Re-encoding may make an image larger than it came: the quota counts what is stored.
      if (stored > room) return quotaExceeded(quotaBytes!);
      const record = await store(user, normalizeFileName(incoming.filename), prepared);
      deps.logger.info({ userId: user.id, fileId: record.id, kind: record.kind, contentType: record.contentType, size: record.size }, 'file uploaded');
      return ok(toAttachmentDto(record));
    } finally {
      // Stored or not, these bytes are now the store's usage or nobody's.
      const left = received(user.id) - taken;
      if (left > 0) receiving.set(user.id, left);
      else receiving.delete(user.id);
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function prepare(user: UserDto, path: string, size: number, dir: string): Promise<Prepared | { error: AckError }> {
    const detected = await detectType(path);
    if (detected.otherImage?.metadata === 'refuse') {
      return { error: { code: 'invalid_payload', field: 'file', message: `This ${detected.contentType} image may carry where it was taken, and this server cannot remove that from it: share it as JPEG or PNG. Nothing was stored.` } };
    }
    if (detected.otherImage?.metadata === 'strip') {
      const stripped = await stripFileMetadata(path, detected.otherImage.format, dir, user.id);
      if (stripped.kind === 'too_large') return { error: { code: 'file_too_large', message: tooManyPixels(stripped) } };
      if (stripped.kind === 'not_an_image') return { error: unreadableImage(detected.contentType) };
      return { path: stripped.path, size: stripped.size, contentType: detected.contentType, kind: 'file' };
    }
    if (!detected.isImageCandidate) return { path, size, contentType: detected.contentType, kind: 'file' };
    const image: ImageOutcome = await processImage(path, detected.contentType, dir, user.id);
    if (image.kind === 'too_large') return { error: { code: 'file_too_large', message: tooManyPixels(image) } };
    // Bytes that start like an image but do not decode cannot be stripped of their metadata (an
    // EXIF position sits before the pixels): refused rather than kept as they came.
    if (image.kind === 'not_an_image') return { error: unreadableImage(detected.contentType) };
    return { path: image.path, size: image.size, contentType: detected.contentType, kind: 'image', width: image.width, height: image.height, thumbnail: image.thumbnail };
  }

  async function store(user: UserDto, name: string, prepared: Prepared): Promise<FileRecord> {
    const id = randomBytes(12).toString('hex');
    try {
      const file = await putHashed(id, 'file', prepared.path);
      const thumbnail = prepared.thumbnail ? await putHashed(id, 'thumbnail', prepared.thumbnail.path) : undefined;
      const record: FileRecord = {
        id,
        ownerId: user.id,
        name,
        contentType: prepared.contentType,
        kind: prepared.kind,
        size: file.size,
        ...(prepared.width !== undefined && prepared.height !== undefined ? { width: prepared.width, height: prepared.height } : {}),
        ...(prepared.thumbnail && thumbnail ? { thumbnail: { width: prepared.thumbnail.width, height: prepared.thumbnail.height, size: thumbnail.size } } : {}),
        sha256: file.sha256,
        createdAt: deps.now(),
      };
      await files.create(record);
      return record;
    } catch (err) {
      await files.delete(id).catch((cleanupError: unknown) => deps.logger.warn({ fileId: id, err: cleanupError }, 'could not remove a failed upload'));
      throw err;
    }
  }

  /** Streams the file at `path` into the store, hashing it on the way. */
  async function putHashed(id: string, kind: BlobKind, path: string): Promise<{ size: number; sha256: string }> {
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // pipeline() passes a read error on to `tap`, which putBlob then sees.
    const size = await files.putBlob(id, kind, pipeline(createReadStream(path), tap, () => {}));
    return { size, sha256: hash.digest('hex') };
  }

  function tooLarge(maxBytes: number): { ok: false; error: AckError } {
    return fail('file_too_large', `Files may be at most ${describeBytes(maxBytes)}. Nothing was stored.`);
  }

  function quotaExceeded(quota: number): { ok: false; error: AckError } {
    return fail('quota_exceeded', `This file would take your uploads over your ${describeBytes(quota)} storage quota. Nothing was stored.`);
  }

  return { upload };
}

export type Uploads = ReturnType<typeof createUploads>;

function tooManyPixels(image: { width: number; height: number; pages: number; pixels: number }): string {
  const frames = image.pages > 1 ? ` × ${image.pages} frames` : '';
  return `The image is ${image.width} × ${image.height} pixels${frames} (${image.pixels} pixels); images may have at most ${LIMITS.imagePixelsMax} pixels. Nothing was stored.`;
}

function unreadableImage(contentType: string): AckError {
  const format = contentType.slice('image/'.length).toUpperCase();
  return { code: 'invalid_payload', field: 'file', message: `This looks like a ${format} image but cannot be read, so its metadata cannot be removed. Nothing was stored.` };
}
