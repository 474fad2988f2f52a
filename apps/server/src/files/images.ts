import { join } from 'node:path';
import { LIMITS } from '@confab/shared';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { createSerialByKey } from '../serialByKey.js';

/** What became of an upload whose bytes start like an image. */
export type ImageOutcome =
  /** Decoded and re-encoded: `path` holds the bytes to serve, `thumbnail.path` the WebP thumbnail. */
  | {
      kind: 'image';
      path: string;
      size: number;
      width: number;
      height: number;
      thumbnail: { path: string; width: number; height: number; size: number };
    }
  /** More pixels than `LIMITS.imagePixelsMax` (every frame counted): refused unread. */
  | { kind: 'too_large'; width: number; height: number; pages: number; pixels: number }
  /** Not decodable as the type its magic number claims: kept as a plain file. */
  | { kind: 'not_an_image' };

/** sharp's format name for each type we decode, so a file is decoded only as what it was detected as. */
const FORMAT_OF: Record<string, 'jpeg' | 'png' | 'webp' | 'gif'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

// Uploads are decoded once each, so libvips' operation cache would only hold memory (and paths of
// removed temporary files).
sharp.cache(false);

// A decode within the pixel limit takes about a second; one that takes far longer is given up
// (and the upload kept as a plain file) rather than holding the queue below.
const DECODE_TIMEOUT_SECONDS = 30;

// One decode at a time per process: a decode may take up to LIMITS.imagePixelsMax × 4 bytes, and
// parallel uploads must not multiply that. libvips still uses several threads for each one. And
// one image at a time per uploader in that queue: a decode can take seconds, and one user's burst
// of uploads must not hold every other user's behind it.
const serial = createSerialByKey();

/**
 * Checks, orients, strips and thumbnails the image at `input` (detected as `contentType`) that
 * `uploaderId` sent, writing what to serve into `workDir`. The pixel count is read from the header
 * before anything is decoded; every decoding call carries `limitInputPixels` as well, in case a
 * header lies.
 *
 * What is served is re-encoded in its own format with no metadata at all: EXIF (GPS, camera,
 * times), XMP, IPTC, comments and the ICC profile are dropped (sharp converts to sRGB first, so
 * colours stay right). Still images are turned upright from their EXIF orientation, so `width`
 * and `height` are as displayed. Animated GIF and WebP keep every frame; their EXIF orientation,
 * which browsers differ on for animations, is dropped rather than applied, and their thumbnail is
 * the first frame.
 */
export function processImage(input: string, contentType: string, workDir: string, uploaderId: string): Promise<ImageOutcome> {
  return serial(`uploader:${uploaderId}`, () => serial('decode', () => decodeAndStrip(input, contentType, workDir)));
}

async function decodeAndStrip(input: string, contentType: string, workDir: string): Promise<ImageOutcome> {
  const format = FORMAT_OF[contentType];
  if (!format) return { kind: 'not_an_image' };
  let header: Metadata;
  try {
    // The header only, which is why the limit is off here: with it on, sharp refuses without
    // saying the size, and it counts one frame of an animation; the check below counts them all.
    header = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return { kind: 'not_an_image' };
  }
  if (header.format !== format) return { kind: 'not_an_image' };
  const pages = Math.max(1, header.pages ?? 1);
  const frameHeight = header.pageHeight ?? header.height;
  const pixels = header.width * frameHeight * pages;
  if (pixels > LIMITS.imagePixelsMax) return { kind: 'too_large', width: header.width, height: frameHeight, pages, pixels };

  const isAnimated = pages > 1;
  // Damaged pixel data is decoded as far as it goes (`failOn: 'none'`) rather than refused: what is
  // decoded is re-encoded without metadata, whereas bytes that fail here are refused as an upload
  // (they cannot be stripped), so a photo cut short (an interrupted copy) still goes through.
  const open = (options: SharpOptions = {}): Sharp =>
    sharp(input, { limitInputPixels: LIMITS.imagePixelsMax, autoOrient: !isAnimated, failOn: 'none', ...options }).timeout({ seconds: DECODE_TIMEOUT_SECONDS });
  try {
    const path = join(workDir, `image.${format}`);
    const served = await encode(open({ animated: isAnimated }), format).toFile(path);
    const thumbnailPath = join(workDir, 'thumbnail.webp');
    const thumbnail = await open()
      .resize(LIMITS.thumbnailMaxEdge, LIMITS.thumbnailMaxEdge, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(thumbnailPath);
    return {
      kind: 'image',
      path,
      size: served.size,
      width: served.width,
      height: isAnimated ? frameHeight : served.height,
      thumbnail: { path: thumbnailPath, width: thumbnail.width, height: thumbnail.height, size: thumbnail.size },
    };
  } catch {
    // Data too corrupt to decode at all.
    return { kind: 'not_an_image' };
  }
}

/** Re-encodes in the input's format; without `keepMetadata`/`withMetadata`, sharp writes none. */
function encode(image: Sharp, format: 'jpeg' | 'png' | 'webp' | 'gif'): Sharp {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 90 });
    case 'png':
      return image.png();
    case 'webp':
      return image.webp({ quality: 90 });
    case 'gif':
      return image.gif();
  }
}

/** What became of a photo in a format kept as a download (TIFF, AVIF): re-encoded without metadata, or why not. */
export type StrippedFile = { kind: 'stripped'; path: string; size: number } | { kind: 'too_large'; width: number; height: number; pages: number; pixels: number } | { kind: 'not_an_image' };

/**
 * Re-encodes the TIFF or AVIF at `input` in its own format without any metadata (EXIF with a GPS
 * position above all), in the same queue and under the same limits as the images shown inline.
 */
export function stripFileMetadata(input: string, format: 'tiff' | 'avif', workDir: string, uploaderId: string): Promise<StrippedFile> {
  return serial(`uploader:${uploaderId}`, () => serial('decode', () => reencode(input, format, workDir)));
}

async function reencode(input: string, format: 'tiff' | 'avif', workDir: string): Promise<StrippedFile> {
  let header: Metadata;
  try {
    header = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return { kind: 'not_an_image' };
  }
  // libvips names AVIF's container "heif".
  if (header.format !== (format === 'avif' ? 'heif' : 'tiff')) return { kind: 'not_an_image' };
  const pages = Math.max(1, header.pages ?? 1);
  const frameHeight = header.pageHeight ?? header.height;
  const pixels = header.width * frameHeight * pages;
  if (pixels > LIMITS.imagePixelsMax) return { kind: 'too_large', width: header.width, height: frameHeight, pages, pixels };
  try {
    const path = join(workDir, `stripped.${format}`);
    const image = sharp(input, { limitInputPixels: LIMITS.imagePixelsMax, failOn: 'none', pages: -1 }).timeout({ seconds: DECODE_TIMEOUT_SECONDS });
    const out = await (format === 'avif' ? image.avif() : image.tiff()).toFile(path);
    return { kind: 'stripped', path, size: out.size };
  } catch {
    return { kind: 'not_an_image' };
  }
}
