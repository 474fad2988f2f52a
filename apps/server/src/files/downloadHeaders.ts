import { parse } from 'node:path';
import { INLINE_IMAGE_TYPES } from '@confab/shared';
import contentDisposition from 'content-disposition';
import parseRange from 'range-parser';
import type { BlobKind, ByteRange, FileRecord } from '../store/ports.js';

/**
 * The Content-Security-Policy of every file response: nothing may load or run, and a document
 * opened from a file gets a unique origin (`sandbox`), so even a type a browser might render
 * could not reach the app's cookies or API. `img-src 'self'` lets an image opened on its own show.
 */
export const FILE_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox";

/** The response headers that describe a blob: type, disposition and validator. */
export function describeBlob(record: FileRecord, kind: BlobKind): { contentType: string; disposition: string; etag: string; size: number } {
  if (kind === 'thumbnail') {
    return {
      contentType: 'image/webp',
      disposition: contentDisposition(`${parse(record.name).name || 'image'}.webp`, { type: 'inline' }),
      // Blobs are written once, so a file's thumbnail never changes: its file's hash identifies it.
      etag: `"${record.sha256}-thumbnail"`,
      size: record.thumbnail?.size ?? 0,
    };
  }
  // Only the decoded, re-encoded raster types show in the browser; everything else, SVG and HTML
  // included, is an opaque download whatever it is.
  const isInline = record.kind === 'image' && INLINE_IMAGE_TYPES.includes(record.contentType);
  return {
    contentType: isInline ? record.contentType : 'application/octet-stream',
    disposition: contentDisposition(record.name, { type: isInline ? 'inline' : 'attachment' }),
    etag: `"${record.sha256}"`,
    size: record.size,
  };
}

/** Which answer a GET or HEAD gets, from its conditional and Range headers. */
export type ResponsePlan =
  | { status: 304 }
  | { status: 200 }
  | { status: 206; range: ByteRange }
  | { status: 416 };

export interface ConditionalHeaders {
  'if-none-match'?: string | undefined;
  range?: string | undefined;
  'if-range'?: string | undefined;
}

/**
 * RFC 9110's order: If-None-Match first (304 when one of its tags matches, weakly compared);
 * then Range, honoured only when If-Range is absent or is this ETag exactly (we send no
 * Last-Modified, so a date never matches). One satisfiable byte range: 206. None satisfiable:
 * 416. Several, a malformed header or another unit: the whole body (200), which is always allowed.
 */
export function planResponse(headers: ConditionalHeaders, etag: string, size: number): ResponsePlan {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined && matchesAny(ifNoneMatch, etag)) return { status: 304 };
  const range = headers.range;
  if (range === undefined) return { status: 200 };
  const ifRange = headers['if-range'];
  if (ifRange !== undefined && ifRange.trim() !== etag) return { status: 200 };
  const ranges = parseRange(size, range, { combine: true });
  if (ranges === -1) return { status: 416 };
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return { status: 200 };
  const [only] = ranges;
  return { status: 206, range: { start: only!.start, end: only!.end } };
}

/** Whether an If-None-Match list names `etag` (`*` names any). Our tags hold no commas, so splitting on them is safe. */
function matchesAny(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const tag = item.trim();
    return tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
  });
}
