import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LIMITS } from '@confab/shared';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { isUploadRequest } from '../src/http/fileRoutes.js';
import { eventually } from './support/client.js';
import { rawConnection } from './support/rawConnections.js';
import { useRedisServer } from './support/redisServer.js';
import { animatedPng, download, jpegWithGps, multipartBody, noisyPng, pngClaiming, solidImage, streamUpload, uploadFile, uploaded } from './support/files.js';
import { useServer } from './support/server.js';

// The service's temporary folders go to os.tmpdir(): this file gets its own, so that "no
// temporary file is left" can be checked without seeing other test files' uploads.
const TMP = mkdtempSync(join(tmpdir(), 'confab-upload-test-'));
process.env.TMPDIR = TMP;
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const uploadFolders = () => readdirSync(TMP).filter((name) => name.startsWith('confab-upload-'));

const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
// For the shared rate limits, whose check is a round trip: a client can go away meanwhile.
const redis = useRedisServer();
const FAR_FUTURE = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);

/** Every upload record the store holds (none is claimed in these tests). */
const storedRecords = (server: RunningServer) => server.stores.files.unclaimedBefore(FAR_FUTURE, 1000);

async function signedIn(options: Parameters<typeof harness.start>[0] = {}) {
  const server = await harness.start(options);
  const alice = await server.seedUser('alice');
  return { server, alice };
}

describe('uploading files over HTTP', () => {
  it('answers 201 with what the server found in the bytes: type, size, pixels and thumbnail, whatever the client claimed', async () => {
    const { server, alice } = await signedIn();
    const png = await solidImage(1200, 600, 'png');
    const answer = await uploadFile(server.url, alice.cookie, { bytes: png, name: 'holiday.txt', type: 'text/plain' });
    expect(answer.status).toBe(201);
    expect(answer.body.file).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'holiday.txt',
      contentType: 'image/png',
      size: expect.any(Number),
      kind: 'image',
      width: 1200,
      height: 600,
      thumbnail: { width: LIMITS.thumbnailMaxEdge, height: LIMITS.thumbnailMaxEdge / 2 },
    });
    const record = await server.stores.files.find(answer.body.file!.id);
    expect(record).toMatchObject({ ownerId: alice.user.id, size: answer.body.file!.size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await server.stores.files.usage(alice.user.id)).toBe(record!.size + record!.thumbnail!.size);
    expect(uploadFolders()).toEqual([]);
  });

  it('keeps a file it cannot name as application/octet-stream, and a PDF as application/pdf, with the name in NFC', async () => {
    const { server, alice } = await signedIn();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
    const named = await uploaded(server.url, alice.cookie, { bytes: pdf, name: 'Cafe\u0301 ☕ résumé.pdf', type: 'text/html' });
    expect(named).toMatchObject({ name: 'Café ☕ résumé.pdf', contentType: 'application/pdf', kind: 'file', size: pdf.length });
    expect(named.width).toBeUndefined();
    // Not random bytes: a random start matches some format's magic number now and then (an MPEG frame's sync bits, 1 in 2048).
    const unknown = await uploaded(server.url, alice.cookie, { bytes: Buffer.alloc(3000, 'no format starts like this. '), name: 'noise.bin' });
    expect(unknown).toMatchObject({ contentType: 'application/octet-stream', kind: 'file', size: 3000 });
  });

  it('an upload over the limit is cut off while it streams: 413 before the client finished sending, nothing stored, no temporary file left', async () => {
    const limit = 1024 * 1024;
    const { server, alice } = await signedIn({ config: { uploadMaxBytes: limit } });
    const streamed = await streamUpload(server.url, alice.cookie, 64 * limit);
    expect(streamed.status).toBe(413);
    expect(streamed.body?.error).toMatchObject({ code: 'file_too_large', message: expect.stringContaining('1 MB') });
    expect(streamed.sentWhenAnswered).toBeLessThan(streamed.totalBytes);
    expect(await server.stores.files.usage(alice.user.id)).toBe(0);
    expect(await storedRecords(server)).toEqual([]);
    expect(uploadFolders()).toEqual([]);
    // The limit is the limit: exactly that many bytes are accepted.
    const atLimit = await uploaded(server.url, alice.cookie, { bytes: randomBytes(limit), name: 'exact.bin' });
    expect(atLimit.size).toBe(limit);
  });

  it('file names with paths or control characters are stored under a safe name, and nothing is written outside the store', async () => {
    const sandbox = await mkdtemp(join(TMP, 'sandbox-'));
    const stores = createMemoryStores({ filesDir: join(sandbox, 'store', 'files') });
    openStores.push(stores);
    const { server, alice } = await signedIn({ stores });
    const bytes = Buffer.from('root:x:0:0:root:/root:/bin/bash\n');
    const traversal = await uploaded(server.url, alice.cookie, { bytes, name: '../../etc/passwd' });
    expect(traversal.name).toBe('passwd');
    const windows = await uploaded(server.url, alice.cookie, { bytes, name: '..\\..\\Windows\\win.ini' });
    expect(windows.name).toBe('win.ini');

    const raw = multipartBody('bell\u0007 and\u0001 rtl\u202Etxt.exe', bytes);
    const res = await fetch(`${server.url}/api/files`, { method: 'POST', body: raw.body, headers: { cookie: alice.cookie, 'content-type': raw.contentType } });
    expect(res.status).toBe(201);
    const controls = ((await res.json()) as { file: { id: string; name: string } }).file;
    expect(controls.name).toBe('bell and rtltxt.exe');

    const served = await download(server.url, alice.cookie, traversal.id);
    expect(served.bytes.equals(bytes)).toBe(true);
    expect(served.headers.get('content-disposition')).toBe('attachment; filename="passwd"');
    // Everything in the sandbox is the store's, named by ids it made.
    const paths = (await readdir(sandbox, { recursive: true })).map((path) => relative(sandbox, join(sandbox, path)));
    expect(paths.every((path) => path === 'store' || path.startsWith(join('store', 'files')))).toBe(true);
    expect(paths.filter((path) => path.includes('passwd') || path.includes('win.ini') || path.includes('exe'))).toEqual([]);
  });

  it('an HTML page named cat.png and sent as image/png is not an image: kept as a download, served as an attachment with nosniff', async () => {
    const { server, alice } = await signedIn();
    const html = '<!doctype html><html><body><script>fetch("/api/auth/me").then(r => r.text()).then(alert)</script></body></html>';
    const file = await uploaded(server.url, alice.cookie, { bytes: html, name: 'cat.png', type: 'image/png' });
    expect(file).toMatchObject({ name: 'cat.png', kind: 'file', contentType: 'application/octet-stream' });
    expect(file.thumbnail).toBeUndefined();
    const served = await download(server.url, alice.cookie, file.id);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toBe('attachment; filename="cat.png"');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(served.bytes.toString()).toBe(html);
  });

  it('an SVG with a script is never served inline, with or without an XML declaration', async () => {
    const { server, alice } = await signedIn();
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    ]) {
      const file = await uploaded(server.url, alice.cookie, { bytes: svg, name: 'logo.svg', type: 'image/svg+xml' });
      expect(file.kind).toBe('file');
      expect(file.contentType).not.toContain('svg');
      const served = await download(server.url, alice.cookie, file.id);
      expect(served.headers.get('content-type')).toBe('application/octet-stream');
      expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('a PNG whose header claims 100,000 × 100,000 pixels is refused with 413 without being decoded', async () => {
    const { server, alice } = await signedIn();
    const bomb = pngClaiming(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const rssBefore = process.memoryUsage().rss;
    const answer = await uploadFile(server.url, alice.cookie, { bytes: bomb, name: 'bomb.png', type: 'image/png' });
    const grew = process.memoryUsage().rss - rssBefore;
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'file_too_large', message: expect.stringContaining('100000 × 100000') });
    expect(answer.body.error!.message).toContain(String(LIMITS.imagePixelsMax));
    // Decoding it would take 30 GB; reading its header takes nothing to speak of.
    expect(grew).toBeLessThan(200 * 1024 * 1024);
    expect(await server.stores.files.usage(alice.user.id)).toBe(0);
    expect(await storedRecords(server)).toEqual([]);
    expect(uploadFolders()).toEqual([]);
  });

  it('a file that starts like a JPEG but does not decode is refused, EXIF and all: bytes that cannot be stripped are never stored', async () => {
    const { server, alice } = await signedIn();
    const photo = await jpegWithGps(400, 300);
    // The header and its EXIF segment, then noise where the pixels should be.
    const broken = Buffer.concat([photo.subarray(0, 400), randomBytes(3000)]);
    expect(broken.includes(Buffer.from('SpyCam'))).toBe(true);
    const answer = await uploadFile(server.url, alice.cookie, { bytes: broken, name: 'broken.jpg', type: 'image/jpeg' });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload', field: 'file', message: 'This looks like a JPEG image but cannot be read, so its metadata cannot be removed. Nothing was stored.' } } });
    expect(await server.stores.files.usage(alice.user.id)).toBe(0);
    expect(await storedRecords(server)).toEqual([]);
    expect(uploadFolders()).toEqual([]);
  });

  it('EXIF GPS and camera tags are gone from what is served, and the EXIF orientation is applied to the pixels', async () => {
    const { server, alice } = await signedIn();
    const photo = await jpegWithGps(40, 20, 6);
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const file = await uploaded(server.url, alice.cookie, { bytes: photo, name: 'photo.jpg', type: 'image/jpeg' });
    // Orientation 6 is "turn 90° clockwise to view": displayed 20 wide and 40 high.
    expect(file).toMatchObject({ kind: 'image', contentType: 'image/jpeg', width: 20, height: 40 });
    const served = await download(server.url, alice.cookie, file.id);
    const metadata = await sharp(served.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(served.bytes.includes('SpyCam')).toBe(false);
    expect(served.bytes.length).toBe(file.size);

    const png = await sharp(await solidImage(30, 10, 'png')).png().withMetadata({ exif: { IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 51/1 0/1' } } }).toBuffer();
    expect((await sharp(png).metadata()).exif).toBeDefined();
    const pngFile = await uploaded(server.url, alice.cookie, { bytes: png, name: 'map.png' });
    expect((await sharp((await download(server.url, alice.cookie, pngFile.id)).bytes).metadata()).exif).toBeUndefined();
  });

  it('photos in formats kept as downloads lose their metadata too: AVIF and TIFF are re-encoded without it, and HEIC or JPEG XL, which cannot be, are refused', async () => {
    const { server, alice } = await signedIn();
    const exif = { IFD0: { Make: 'SpyCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 2600/100' } };
    // libvips writes EXIF into AVIF, and XMP (where a GPS position also goes) into TIFF.
    const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="SpyCam"/></rdf:RDF></x:xmpmeta>';
    for (const format of ['avif', 'tiff'] as const) {
      const blank = sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7' } })[format]();
      const photo = await (format === 'avif' ? blank.withMetadata({ exif }) : blank.withXmp(xmp)).toBuffer();
      expect(photo.includes('SpyCam'), format).toBe(true);
      const file = await uploaded(server.url, alice.cookie, { bytes: photo, name: `photo.${format}` });
      expect(file).toMatchObject({ kind: 'file', contentType: `image/${format}` });
      const served = await download(server.url, alice.cookie, file.id);
      expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
      const metadata = await sharp(served.bytes).metadata();
      expect(metadata, format).toMatchObject({ width: 64, height: 48 });
      expect([metadata.exif, metadata.xmp], format).toEqual([undefined, undefined]);
      expect(served.bytes.includes('SpyCam'), format).toBe(false);
    }
    // An iPhone photo's container (ISO BMFF, brand heic) and a JPEG XL codestream, as file-type knows them.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), randomBytes(2000)]);
    const jxl = Buffer.concat([Buffer.from([0xff, 0x0a]), randomBytes(2000)]);
    for (const [bytes, name, type] of [[heic, 'IMG_0001.HEIC', 'image/heic'], [jxl, 'photo.jxl', 'image/jxl']] as const) {
      const answer = await uploadFile(server.url, alice.cookie, { bytes, name });
      expect(answer, name).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload', field: 'file', message: `This ${type} image may carry where it was taken, and this server cannot remove that from it: share it as JPEG or PNG. Nothing was stored.` } } });
    }
    expect(await storedRecords(server)).toHaveLength(2);
    expect(uploadFolders()).toEqual([]);
  });

  it('a photo cut short (its last bytes lost) is decoded as far as it goes and stripped: its GPS position is never served', async () => {
    const { server, alice } = await signedIn();
    const photo = await jpegWithGps(400, 300);
    // Without its end-of-image marker, as an interrupted copy leaves it.
    const cut = photo.subarray(0, photo.length - 2);
    const file = await uploaded(server.url, alice.cookie, { bytes: cut, name: 'photo.jpg' });
    expect(file).toMatchObject({ kind: 'image', contentType: 'image/jpeg', width: 400, height: 300 });
    const served = await download(server.url, alice.cookie, file.id);
    expect(served.bytes.includes('SpyCam')).toBe(false);
    expect((await sharp(served.bytes).metadata()).exif).toBeUndefined();

    const png = await sharp(await solidImage(300, 200, 'png')).png().withMetadata({ exif: { IFD0: { Make: 'SpyCam' }, IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 51/1 0/1' } } }).toBuffer();
    const pngFile = await uploaded(server.url, alice.cookie, { bytes: png.subarray(0, png.length - 30), name: 'map.png' });
    expect(pngFile).toMatchObject({ kind: 'image', contentType: 'image/png' });
    expect((await download(server.url, alice.cookie, pngFile.id)).bytes.includes('SpyCam')).toBe(false);
  });

  it('keeps an animated GIF animated, counting every frame against the pixel limit', async () => {
    const { server, alice } = await signedIn();
    const frames = await Promise.all(['red', 'green', 'blue'].map((background) => sharp({ create: { width: 60, height: 30, channels: 3, background } }).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    const file = await uploaded(server.url, alice.cookie, { bytes: gif, name: 'blink.gif' });
    expect(file).toMatchObject({ kind: 'image', contentType: 'image/gif', width: 60, height: 30, thumbnail: { width: 60, height: 30 } });
    const served = await sharp((await download(server.url, alice.cookie, file.id)).bytes, { animated: true }).metadata();
    expect(served).toMatchObject({ format: 'gif', pages: 3 });
  });

  it('an animated PNG (APNG) is a PNG: decoded, shown inline with its size and a thumbnail, not kept as an opaque download', async () => {
    const { server, alice } = await signedIn();
    const apng = await animatedPng(60, 40);
    const file = await uploaded(server.url, alice.cookie, { bytes: apng, name: 'sticker.png' });
    expect(file).toMatchObject({ kind: 'image', contentType: 'image/png', width: 60, height: 40, thumbnail: { width: 60, height: 40 } });
    const served = await download(server.url, alice.cookie, file.id);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(await sharp(served.bytes).metadata()).toMatchObject({ format: 'png', width: 60, height: 40 });
  });

  it("one user's many images cannot hold up everyone else's: an uploader has one image at a time in the queue of decodes", async () => {
    const { server, alice } = await signedIn();
    const bob = await server.seedUser('bob');
    const slow = await noisyPng(1500, 1500);
    const finished: string[] = [];
    const upload = (who: { cookie: string }, bytes: Buffer, name: string) =>
      uploaded(server.url, who.cookie, { bytes, name }).then((file) => finished.push(file.name));
    const alices = ['a1.png', 'a2.png', 'a3.png', 'a4.png'].map((name) => upload(alice, slow, name));
    // All four of Alice's are received (and so waiting for their decode) before Bob sends his.
    await eventually(() => {
      const received = uploadFolders().filter((folder) => readdirSync(join(TMP, folder)).includes('upload'));
      expect(received.map((folder) => statSync(join(TMP, folder, 'upload')).size)).toEqual(Array(4).fill(slow.length));
    }, 10_000);
    await Promise.all([...alices, upload(bob, await solidImage(20, 20, 'png'), 'b.png')]);
    // Bob's waits for the decode under way, not for every one of Alice's.
    expect(finished.indexOf('b.png'), finished.join(' ')).toBeLessThan(2);
  }, 30_000);

  it('signed out: refused with 401; from a foreign Origin: refused with 403 origin_not_allowed; neither stores anything', async () => {
    const { server, alice } = await signedIn();
    const png = await solidImage(10, 10, 'png');
    const signedOut = await uploadFile(server.url, undefined, { bytes: png, name: 'a.png' });
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error?.code).toBe('unauthorized');
    const forged = await uploadFile(server.url, 'confab_session=forged.token', { bytes: png, name: 'a.png' });
    expect(forged.status).toBe(401);
    const foreign = await uploadFile(server.url, alice.cookie, { bytes: png, name: 'a.png' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error?.code).toBe('origin_not_allowed');
    expect(await storedRecords(server)).toEqual([]);
    const own = await uploadFile(server.url, alice.cookie, { bytes: png, name: 'a.png' }, { origin: server.url });
    expect(own.status).toBe(201);
  });

  it('a request that carries no file part is refused with 400 invalid_payload', async () => {
    const { server, alice } = await signedIn();
    const form = new FormData();
    form.append('note', 'no file here');
    const fieldsOnly = await fetch(`${server.url}/api/files`, { method: 'POST', body: form, headers: { cookie: alice.cookie } });
    expect(fieldsOnly.status).toBe(400);
    expect(((await fieldsOnly.json()) as { error: { code: string } }).error.code).toBe('invalid_payload');
    const json = await fetch(`${server.url}/api/files`, { method: 'POST', body: '{"file":"x"}', headers: { cookie: alice.cookie, 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(await storedRecords(server)).toEqual([]);
  });

  it('the storage quota: an upload that would pass it is cut off with 413 quota_exceeded; a full quota refuses before the body is read', async () => {
    const { server, alice } = await signedIn({ config: { uploadQuotaBytes: 300_000 } });
    const bob = await server.seedUser('bob');
    await uploaded(server.url, alice.cookie, { bytes: randomBytes(200_000), name: 'one.bin' });
    // 20 MB, under the 25 MB size limit: only the quota can cut it, at the 100 kB it leaves.
    const over = await streamUpload(server.url, alice.cookie, 20 * 1024 * 1024);
    expect(over.status).toBe(413);
    expect(over.body?.error?.code).toBe('quota_exceeded');
    expect(over.sentWhenAnswered).toBeLessThan(over.totalBytes);
    expect(await server.stores.files.usage(alice.user.id)).toBe(200_000);
    const justOver = await uploadFile(server.url, alice.cookie, { bytes: randomBytes(100_001), name: 'two.bin' });
    expect(justOver.status).toBe(413);
    expect(justOver.body.error?.code).toBe('quota_exceeded');
    await uploaded(server.url, alice.cookie, { bytes: randomBytes(100_000), name: 'fits.bin' });
    const full = await streamUpload(server.url, alice.cookie, 8 * 1024 * 1024);
    expect(full.status).toBe(413);
    expect(full.body?.error?.code).toBe('quota_exceeded');
    expect(full.sentWhenAnswered).toBeLessThan(full.totalBytes);
    expect(await server.stores.files.usage(alice.user.id)).toBe(300_000);
    // The quota is per user.
    expect((await uploadFile(server.url, bob.cookie, { bytes: randomBytes(200_000), name: 'b.bin' })).status).toBe(201);
    expect(uploadFolders()).toEqual([]);
  });

  it('uploads running side by side share what is left of the quota: together they never store more than it allows', async () => {
    const { server, alice } = await signedIn({ config: { uploadQuotaBytes: 1_000_000 } });
    // Eight of 300 kB at once against 1 MB: at most three fit.
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => uploadFile(server.url, alice.cookie, { bytes: randomBytes(300_000), name: `part${i}.bin` })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 413)).toBe(true);
    expect(await server.stores.files.usage(alice.user.id)).toBeLessThanOrEqual(1_000_000);
    expect(await server.stores.files.usage(alice.user.id)).toBe(statuses.filter((status) => status === 201).length * 300_000);
    expect(uploadFolders()).toEqual([]);
  });

  it('uploads are rate limited per user: 429 rate_limited with Retry-After, and the refused one is not stored', async () => {
    const { server, alice } = await signedIn({ config: { rateLimits: { uploads: { points: 2, durationSeconds: 60 } } } });
    const bob = await server.seedUser('bob');
    for (const name of ['1.bin', '2.bin']) await uploaded(server.url, alice.cookie, { bytes: randomBytes(100), name });
    const limited = await uploadFile(server.url, alice.cookie, { bytes: randomBytes(100), name: '3.bin' });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await storedRecords(server)).map((record) => record.name).sort()).toEqual(['1.bin', '2.bin']);
    expect((await uploadFile(server.url, bob.cookie, { bytes: randomBytes(100), name: 'b.bin' })).status).toBe(201);
  });

  it('a slow upload is not cut by the request timeout meant for other requests, which still applies to them', async () => {
    const timeouts = { httpHeadersTimeoutMs: 400, httpRequestTimeoutMs: 800, uploadMaxBytes: 256 * 1024 };
    const { server, alice } = await signedIn({ config: timeouts });
    const bytes = randomBytes(24 * 1024);
    const raw = multipartBody('slow.bin', bytes);
    // The body trickles in over about twice the request timeout.
    const slowly = async function* () {
      for (let at = 0; at < raw.body.length; at += 2048) {
        yield raw.body.subarray(at, at + 2048);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
    };
    const res = await fetch(`${server.url}/api/files`, {
      method: 'POST',
      body: ReadableStream.from(slowly()),
      duplex: 'half',
      headers: { cookie: alice.cookie, 'content-type': raw.contentType },
    } as RequestInit);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { file: { size: number } }).file.size).toBe(bytes.length);

    const trickle = async function* () {
      for (const piece of ['{"username":', '"someone",', '"password":', '"long enough"}']) {
        yield new TextEncoder().encode(piece);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    };
    const other = fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      body: ReadableStream.from(trickle()),
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit).then((r) => r.status, () => 'closed');
    // Answered 408 and closed at the timeout (fetch may see the answer or only the close).
    expect([408, 'closed']).toContain(await other);
  });

  it('an upload whose client went away before its body was read is still answered (to no one), not left waiting for a body for ever', async () => {
    const { server, alice } = await signedIn({ redisUrl: redis.url, config: { rateLimits: { uploads: { points: 100, durationSeconds: 60 } } } });
    const responses: ServerResponse[] = [];
    server.app.http.server.on('request', (request, response: ServerResponse) => {
      if (isUploadRequest(request)) responses.push(response);
    });
    const head =
      `POST /api/files HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${alice.cookie}\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n\r\n` +
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="gone.bin"\r\n\r\nfirst bytes';
    for (let i = 0; i < 10; i += 1) {
      // Headers and the start of the body, then gone while the server checks the rate limit.
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write(head, () => socket.destroy()));
        socket.on('close', () => resolve());
      });
    }
    await eventually(() => {
      expect(responses).toHaveLength(10);
      expect(responses.filter((response) => !response.writableEnded).length, 'requests never answered').toBe(0);
    });
    expect(await storedRecords(server)).toEqual([]);
    expect(uploadFolders()).toEqual([]);
  });

  it('the longer timeout uploads get is theirs alone: a Socket.IO polling request whose body trickles is still answered 408 and closed', async () => {
    // 800 ms for requests; uploads of the default 25 MB get about 400 s.
    const { server, alice } = await signedIn({ config: { httpHeadersTimeoutMs: 400, httpRequestTimeoutMs: 800 } });
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { cookie: alice.cookie } });
    const { sid } = JSON.parse((await handshake.text()).slice(1)) as { sid: string };
    const conn = await rawConnection(server.port);
    conn.socket.write(
      `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${alice.cookie}\r\n` +
        'Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 1000\r\n\r\n40',
    );
    const trickle = setInterval(() => conn.socket.write(' '), 100);
    // Well past the 800 ms (and short of the engine's own connect timeout, which closes it unanswered).
    const closed = await Promise.race([conn.closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000))]);
    clearInterval(trickle);
    expect(closed?.data).toMatch(/^HTTP\/1\.1 408 /);
  }, 10_000);
});
