import { z } from 'zod';
import { LIMITS } from './limits.js';

/** A file id (`AttachmentDto.id`): 24 lowercase hex digits. Checked by format before any lookup. */
export const fileIdSchema = z.string({ error: 'must be a string' }).regex(/^[0-9a-f]{24}$/, { error: 'must be a file id (24 hex digits)' });

/**
 * The files a `message:send` or `dm:send` carries: ids of the sender's own uploads, each complete
 * and not yet part of another message, at most `LIMITS.attachmentsPerMessageMax`, none twice.
 * Refused with `not_found` (field `attachments.<index>`) when one is not such an upload.
 */
export const attachmentsSchema = z
  .array(fileIdSchema, { error: 'attachments must be a list of file ids' })
  .max(LIMITS.attachmentsPerMessageMax, { error: `a message may carry at most ${LIMITS.attachmentsPerMessageMax} attachments` })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'attachments must not name a file twice' });

/**
 * The media types served inline (`Content-Disposition: inline`) and shown as images: the raster
 * formats every browser decodes, which cannot carry script. SVG and HTML never are.
 */
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** Where a file's bytes are served (members of its message's room only): `GET /api/files/<id>`. */
export function fileUrl(id: string): string {
  return `/api/files/${id}`;
}

/** Where an image's thumbnail (WebP) is served: `GET /api/files/<id>/thumbnail`. */
export function thumbnailUrl(id: string): string {
  return `/api/files/${id}/thumbnail`;
}

// C0 and C1 controls, DEL, direction controls (a right-to-left override can make `exe.jpg` read
// as `gpj.exe`), zero-width and other invisible format characters, and the line separators.
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2028\u2029\uFEFF]/gu;
// Where a name is cut to keep its extension: a dot followed by 1 to 16 letters or digits at the end.
const EXTENSION = /\.[\p{L}\p{N}]{1,16}$/u;

/**
 * The name a file is kept under, from what an uploader sent: NFC; only the part after the last
 * `/` or `\` (so `../../etc/passwd` becomes `passwd`); control, direction and invisible
 * characters removed; white space folded and trimmed, as are leading and trailing dots (`..`
 * alone is no name); cut to `LIMITS.fileNameMaxLength` code points, keeping the extension.
 * An empty result becomes `file`. The name is only shown and used in `Content-Disposition`.
 */
export function normalizeFileName(raw: string): string {
  const normalized = raw.normalize('NFC');
  const base = normalized.slice(Math.max(normalized.lastIndexOf('/'), normalized.lastIndexOf('\\')) + 1);
  const cleaned = trimDotsAndSpaces(base.replace(UNSAFE_NAME_CHARACTERS, '').replace(/\s+/gu, ' '));
  const points = [...cleaned];
  if (points.length <= LIMITS.fileNameMaxLength) return cleaned || 'file';
  const extension = EXTENSION.exec(cleaned)?.[0] ?? '';
  const kept = points.slice(0, LIMITS.fileNameMaxLength - [...extension].length).join('');
  return trimDotsAndSpaces(kept) + extension;
}

/** `text` without leading and trailing dots and spaces; a loop, since `/[ .]+$/` backtracks quadratically on `. . . x`. */
function trimDotsAndSpaces(text: string): string {
  const isTrimmed = (c: string) => c === '.' || c === ' ';
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmed(text[start]!)) start += 1;
  while (end > start && isTrimmed(text[end - 1]!)) end -= 1;
  return text.slice(start, end);
}
