import { fileTypeFromFile } from 'file-type';
import { INLINE_IMAGE_TYPES } from '@confab/shared';

/** What an upload's bytes are, as far as their magic numbers tell. */
export interface DetectedType {
  /** The media type file-type found, or `application/octet-stream` when none matched. */
  contentType: string;
  /** Whether the bytes start like one of the image formats we decode (INLINE_IMAGE_TYPES). */
  isImageCandidate: boolean;
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
  return { contentType, isImageCandidate: INLINE_IMAGE_TYPES.includes(contentType) };
}
