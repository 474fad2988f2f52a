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

/**
 * The type of the file at `path`, from its first bytes only: never from its name or the type the
 * client claimed, which an attacker chooses. Text formats (HTML, SVG, scripts) have no magic
 * number, so they come out as `application/octet-stream` and are only ever downloaded.
 */
export async function detectType(path: string): Promise<DetectedType> {
  const found = await fileTypeFromFile(path);
  const contentType = found?.mime ?? UNKNOWN_TYPE;
  return { contentType, isImageCandidate: INLINE_IMAGE_TYPES.includes(contentType) };
}
