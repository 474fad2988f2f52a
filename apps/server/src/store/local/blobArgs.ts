import type { BlobKind, ByteRange } from '../ports.js';

const HEX_DIGITS = '0123456789abcdef';

/** Whether `text` is exactly `length` lowercase hex digits. */
export function isLowerHex(text: unknown, length: number): text is string {
  if (typeof text !== 'string' || text.length !== length) return false;
  for (const c of text) if (!HEX_DIGITS.includes(c)) return false;
  return true;
}

/** Whether `id` is a server-made file id: exactly 24 lowercase hex digits, so it can name nothing but itself on disk. */
export function isFileId(id: unknown): id is string {
  return isLowerHex(id, 24);
}

/** Throws unless `id` is a server-made file id: every path the local store makes starts from one. */
export function assertFileId(id: unknown): asserts id is string {
  if (!isFileId(id)) throw new TypeError('a file id must be 24 lowercase hex digits');
}

export function assertBlobKind(kind: unknown): asserts kind is BlobKind {
  if (kind !== 'file' && kind !== 'thumbnail') throw new TypeError('a blob kind must be "file" or "thumbnail"');
}

/** Throws unless `range` lies within a blob of `size` bytes. */
export function checkRange(range: ByteRange, size: number): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end >= size) {
    throw new RangeError(`bytes ${start}-${end} do not lie within a blob of ${size} bytes`);
  }
}
