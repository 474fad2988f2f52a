import { INLINE_IMAGE_TYPES, isolateText, type AttachmentDto } from '@confab/shared';
import { currentLocale, t } from '../i18n';

/**
 * The largest box an image shows in inline, in CSS pixels. Thumbnails are made at twice this
 * (LIMITS.thumbnailMaxEdge), so they stay sharp on high-density screens.
 */
export const INLINE_IMAGE_MAX = { width: 400, height: 300 } as const;

export interface Size {
  width: number;
  height: number;
}

/** An attachment shown as an inline image: a raster image the server measured and made a thumbnail of. */
export type InlineImage = AttachmentDto & { width: number; height: number; thumbnail: Size };

export function isInlineImage(attachment: AttachmentDto): attachment is InlineImage {
  const { kind, contentType, width, height, thumbnail } = attachment;
  return kind === 'image' && INLINE_IMAGE_TYPES.includes(contentType) && !!thumbnail && !!width && !!height && width > 0 && height > 0;
}

/**
 * `size` scaled down (never up) to fit in `max`, keeping its aspect ratio; whole pixels, at least
 * one on each side. The inline box is reserved at this size before the image loads.
 */
export function fitWithin(size: Size, max: Size = INLINE_IMAGE_MAX): Size {
  const scale = Math.min(1, max.width / size.width, max.height / size.height);
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

const LARGER_UNITS = ['kilobyte', 'megabyte', 'gigabyte'] as const;

/**
 * A byte count as people read it, in the language on screen (or `locale`): `512 bytes`, `14 kB`,
 * `2.5 MB` (`512字节`). Binary multiples (1 MB = 1,048,576 bytes), as the server's UPLOAD_MAX_MB
 * counts, so a file at the limit reads as the limit. Never four digits: 1,000 kB and up shows as MB.
 */
export function formatFileSize(bytes: number, locale: string = currentLocale()): string {
  if (bytes < 1000) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1000 && unit < LARGER_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return new Intl.NumberFormat(locale, { style: 'unit', unit: LARGER_UNITS[unit], unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
}

/** Which icon a file card shows. */
export type FileIconKind = 'pdf' | 'archive' | 'text' | 'image' | 'audio' | 'video' | 'file';

const ARCHIVE_TYPES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/x-lzip',
  'application/x-compress',
]);
const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/rtf', 'application/x-ndjson']);
// Plain text has no magic number, so the server calls it application/octet-stream; for the icon
// alone (never for how it is served) the name's extension may say more.
const TEXT_EXTENSIONS = new Set(['txt', 'md', 'csv', 'tsv', 'log', 'json', 'xml', 'yaml', 'yml', 'ini', 'toml']);

/** The file's extension as typed, lower case, when it is a short run of letters and digits; else ''. */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  const extension = name.slice(dot + 1).toLowerCase();
  const isPlain = extension.length <= 5 && [...extension].every((c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  return isPlain ? extension : '';
}

/** The icon for a file: from the type the server found in its bytes, else (unknown bytes) from its extension. */
export function fileIconKind(attachment: Pick<AttachmentDto, 'contentType' | 'name'>): FileIconKind {
  const type = attachment.contentType;
  if (type === 'application/pdf') return 'pdf';
  if (ARCHIVE_TYPES.has(type)) return 'archive';
  if (type.startsWith('text/') || TEXT_TYPES.has(type)) return 'text';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type === 'application/octet-stream' && TEXT_EXTENSIONS.has(fileExtension(attachment.name))) return 'text';
  return 'file';
}

/**
 * A message's attachments as text, for where only text fits (previews, notifications, quotes):
 * `📎 cat.png` for one, `📎 3 images` or `📎 3 files` for several (in the language on screen); ''
 * for none. A right-to-left name is isolated, so that it cannot reorder what a platform puts after it.
 */
export function attachmentsText(attachments: readonly Pick<AttachmentDto, 'name' | 'kind'>[] | undefined): string {
  if (!attachments?.length) return '';
  if (attachments.length === 1) return `📎 ${isolateText(attachments[0]!.name)}`;
  const n = attachments.length;
  return attachments.every((a) => a.kind === 'image') ? t('chat.attachments.images', { n }, n) : t('chat.attachments.files', { n }, n);
}
