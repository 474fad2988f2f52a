import { fileTypeFromFile } from 'file-type';
import { INLINE_IMAGE_TYPES } from '@confab/shared';

/** What an upload's bytes are, as far as their magic numbers tell. */
export interface DetectedType {
  /** The media type file-type found, or `application/octet-stream` when none matched. */
  contentType: string;
  /** Whether the bytes start like one of the image formats we decode (INLINE_IMAGE_TYPES). */
  isImageCandidate: boolean;
  /**
   * For other image formats, what to do about the metadata they may carry (an EXIF GPS position):
   * `strip` (a format sharp re-encodes: kept as a download, re-encoded without it), `refuse` (one
   * it cannot: HEIC, camera raw, JPEG XL, Photoshop…), or `none` (no metadata to carry: BMP,
   * icons). Undefined for what is not an image.
   */
  otherImage?: { metadata: 'strip'; format: 'tiff' | 'avif' } | { metadata: 'refuse' } | { metadata: 'none' };
}

const STRIPPED_FORMATS: Record<string, 'tiff' | 'avif'> = { 'image/tiff': 'tiff', 'image/avif': 'avif' };
const WITHOUT_METADATA: readonly string[] = ['image/bmp', 'image/x-icon', 'image/vnd.microsoft.icon', 'image/icns'];

function otherImage(contentType: string): DetectedType['otherImage'] {
  if (!contentType.startsWith('image/') || INLINE_IMAGE_TYPES.includes(contentType)) return undefined;
  const format = STRIPPED_FORMATS[contentType];
  if (format) return { metadata: 'strip', format };
  return WITHOUT_METADATA.includes(contentType) ? { metadata: 'none' } : { metadata: 'refuse' };
}

export const UNKNOWN_TYPE = 'application/octet-stream';

// An animated PNG is a PNG (its animation is in chunks other decoders skip): file-type names it
// apart, but it decodes as a PNG like any other, to its default image (libvips reads no APNG frames).
const ALSO_KNOWN_AS: Record<string, string> = { 'image/apng': 'image/png' };

/**
 * The type of the file at `path`, from its first bytes only: never from its name or the type the
 * client claimed, which an attacker chooses. Text formats (HTML, SVG, scripts) have no magic
 * number, so they come out as `application/octet-stream` and are only ever downloaded.
 */
export async function detectType(path: string): Promise<DetectedType> {
  const found = await fileTypeFromFile(path);
  const contentType = found ? (ALSO_KNOWN_AS[found.mime] ?? found.mime) : UNKNOWN_TYPE;
  const other = otherImage(contentType);
  return { contentType, isImageCandidate: INLINE_IMAGE_TYPES.includes(contentType), ...(other ? { otherImage: other } : {}) };
}
