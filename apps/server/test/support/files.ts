import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import type { AckError, AttachmentDto } from '@confab/shared';
import sharp from 'sharp';

export interface UploadAnswer {
  status: number;
  body: { file?: AttachmentDto; error?: AckError };
  headers: Headers;
}

/** `POST /api/files` with a real multipart body (FormData), as a browser sends it. */
export async function uploadFile(
  baseUrl: string,
  cookie: string | undefined,
  file: { bytes: Uint8Array | string; name: string; type?: string },
  headers: Record<string, string> = {},
): Promise<UploadAnswer> {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(`${baseUrl}/api/files`, { method: 'POST', body: form, headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** Uploads and returns the stored file, failing the test if the upload was refused. */
export async function uploaded(baseUrl: string, cookie: string, file: { bytes: Uint8Array | string; name: string; type?: string }): Promise<AttachmentDto> {
  const answer = await uploadFile(baseUrl, cookie, file);
  if (answer.status !== 201 || !answer.body.file) throw new Error(`upload refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.file;
}

export interface DownloadAnswer {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** `GET` (or `HEAD`) `/api/files/:id` or its thumbnail, with the body read whole. */
export async function download(
  baseUrl: string,
  cookie: string | undefined,
  id: string,
  options: { thumbnail?: boolean; method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {},
): Promise<DownloadAnswer> {
  const res = await fetch(`${baseUrl}/api/files/${id}${options.thumbnail ? '/thumbnail' : ''}`, {
    method: options.method ?? 'GET',
    headers: { ...(cookie ? { cookie } : {}), ...options.headers },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG made by hand whose header claims `width` × `height` RGB pixels, with a small IDAT: a few
 * dozen bytes that would decode to width × height × 3 bytes. Valid chunk CRCs, so decoders read it.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * An animated PNG (APNG) made from a PNG by hand: an `acTL` and one `fcTL` chunk before its image
 * data, as APNG encoders write them. Any PNG decoder reads its default image; file-type calls it
 * `image/apng`.
 */
export async function animatedPng(width: number, height: number): Promise<Buffer> {
  const png = await solidImage(width, height, 'png');
  const animation = Buffer.alloc(8);
  animation.writeUInt32BE(1, 0); // frames
  const frame = Buffer.alloc(26);
  frame.writeUInt32BE(width, 4);
  frame.writeUInt32BE(height, 8);
  frame.writeUInt16BE(1, 20); // delay 1/10 s
  frame.writeUInt16BE(10, 22);
  // The signature (8 bytes) and IHDR (25) come first.
  return Buffer.concat([png.subarray(0, 33), pngChunk('acTL', animation), pngChunk('fcTL', frame), png.subarray(33)]);
}

/**
 * A PNG of random pixels in 16 colours: small for its size (half a byte a pixel), and slow to
 * re-encode, so that its decode takes the server a while.
 */
export function noisyPng(width: number, height: number): Promise<Buffer> {
  const palette = Array.from({ length: 16 }, () => randomBytes(3));
  const pixels = Buffer.alloc(width * height * 3);
  const picks = randomBytes(width * height);
  for (let i = 0; i < picks.length; i += 1) palette[picks[i]! & 15]!.copy(pixels, i * 3);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png({ palette: true, colours: 16, dither: 0, effort: 1 }).toBuffer();
}

/** A solid image of this size in a format, made with sharp. */
export function solidImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' | 'gif'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 20 } } })[format]().toBuffer();
}

/** A JPEG that carries EXIF GPS tags (and a camera make), optionally with an EXIF orientation. */
export function jpegWithGps(width: number, height: number, orientation?: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 200 } } })
    .jpeg()
    .withMetadata({
      ...(orientation ? { orientation } : {}),
      exif: {
        IFD0: { Make: 'SpyCam', Model: 'Leaky 3000' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 2600/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3900/100' },
      },
    })
    .toBuffer();
}

/**
 * A multipart/form-data body built by hand, for what FormData will not send: a file name with
 * control characters in it (`rawName` goes into the header as written, after escaping quotes).
 */
export function multipartBody(rawName: string, bytes: Uint8Array, type = 'application/octet-stream'): { contentType: string; body: Buffer } {
  const boundary = `confab${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${rawName.replaceAll('"', '%22')}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

export interface StreamedUpload {
  /** The answer's status, or undefined when the server closed without one. */
  status: number | undefined;
  body: { error?: AckError; file?: AttachmentDto } | undefined;
  /** File bytes the client had written when the answer (or the close) came. */
  sentWhenAnswered: number;
  /** File bytes the client meant to send. */
  totalBytes: number;
}

/**
 * Streams an upload of `totalBytes` through a raw HTTP request, a chunk at a time (waiting for
 * the socket to drain), and stops writing as soon as the server answers or closes: to see
 * whether the server cuts an upload off while it is still arriving.
 */
export function streamUpload(baseUrl: string, cookie: string, totalBytes: number, chunkBytes = 64 * 1024): Promise<StreamedUpload> {
  const boundary = `confab${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(chunkBytes, 0x61);
  return new Promise((resolve) => {
    const req = httpRequest(`${baseUrl}/api/files`, {
      method: 'POST',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + totalBytes + tail.length) },
    });
    let sent = 0;
    let isAnswered = false;
    let isSettled = false;
    const settle = (status: number | undefined, body: StreamedUpload['body']) => {
      if (isSettled) return;
      isSettled = true;
      resolve({ status, body, sentWhenAnswered: sent, totalBytes });
      req.destroy();
    };
    req.on('response', (res) => {
      isAnswered = true;
      const answeredAt = sent;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString();
        sent = answeredAt;
        settle(res.statusCode, text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', () => setTimeout(() => settle(undefined, undefined), 200));
    req.on('close', () => setTimeout(() => settle(undefined, undefined), 200));
    void (async () => {
      req.write(head);
      while (sent < totalBytes && !req.destroyed && !isAnswered) {
        const isFlowing = req.write(chunk.subarray(0, Math.min(chunkBytes, totalBytes - sent)));
        sent += Math.min(chunkBytes, totalBytes - sent);
        if (!isFlowing) await drainedOrDone(req);
      }
      if (!req.destroyed && !isAnswered) req.end(tail);
    })();
  });
}

/** Resolves when the request can take more, or has an answer, or closed; leaves no listener behind. */
function drainedOrDone(req: ReturnType<typeof httpRequest>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'response']) req.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'response']) req.once(event, done);
  });
}
