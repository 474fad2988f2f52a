import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { fileUrl, type UploadResponse } from '@confab/shared';
import { createMemoryStores, startServer } from '../../src/testing.js';
import type { Stores } from '../../src/store/ports.js';
import { dropDatabase, openDatabase } from '../harness/database.js';
import { seedUsers } from '../harness/seedUsers.js';
import { latency, timed } from '../load/stats.js';
import { openTestStores } from '../../test/support/mongo.js';
import { emptyResult, type CaseResult, type Context, type Figures, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'uploadP50', label: 'upload of a 5 MiB file, p50', unit: 'ms' as const },
  { key: 'downloadP50', label: 'download of it, p50', unit: 'ms' as const },
  { key: 'rangeP50', label: '64 KiB range of it, p50', unit: 'ms' as const },
  { key: 'imageP50', label: 'upload of a 12 MP JPEG, p50', unit: 'ms' as const },
];

const SIZES = { full: { rounds: 12 }, smoke: { rounds: 2 } };
const FILE_BYTES = 5 * 1024 * 1024;
const SESSION_TTL_MS = 24 * 3_600_000;

function form(bytes: Buffer, name: string): FormData {
  const body = new FormData();
  body.append('file', new Blob([bytes]), name);
  return body;
}

async function drain(response: Response, expected: number): Promise<void> {
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const got = (await response.arrayBuffer()).byteLength;
  if (got !== expected) throw new Error(`expected ${expected} bytes, got ${got}`);
}

/**
 * The baseline: plain Node HTTP doing the least the same requests need. An upload is the file's
 * bytes as the body, streamed to a file (no multipart, no type detection, no session); a download streams
 * the file back; an image is stored as it came (no decoding, thumbnail or metadata stripping).
 */
async function startBareFiles(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'POST') {
        const path = join(dir, String(++next));
        await pipeline(request, createWriteStream(path));
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: String(next) }));
        return;
      }
      const [, id, range] = /^\/(\d+)(?:\?range=(\d+))?$/.exec(request.url ?? '') ?? [];
      const path = join(dir, id ?? 'none');
      const size = (await stat(path)).size;
      const start = range ? Number(range) : 0;
      const end = range ? start + 64 * 1024 - 1 : size - 1;
      response.writeHead(range ? 206 : 200, { 'content-length': String(end - start + 1) });
      await pipeline(createReadStream(path, { start, end }), response);
    })().catch((err: unknown) => response.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function measureBare(ctx: Context, file: Buffer, image: Buffer): Promise<Figures> {
  const rounds = (ctx.options.smoke ? SIZES.smoke : SIZES.full).rounds;
  const dir = await mkdtemp(join(tmpdir(), 'confab-bench-bare-files-'));
  const bare = await startBareFiles(dir);
  try {
    const ids: string[] = [];
    const upload = latency(await timed(rounds, async () => ids.push(((await (await fetch(bare.url, { method: 'POST', body: file })).json()) as { id: string }).id)));
    const download = latency(await timed(rounds, async (i) => drain(await fetch(`${bare.url}/${ids[i]}`), FILE_BYTES)));
    const range = latency(await timed(rounds, async (i) => drain(await fetch(`${bare.url}/${ids[i]}?range=${(i * 65_537) % (FILE_BYTES - 65_536)}`), 65_536)));
    const images = latency(await timed(rounds, async () => (await fetch(bare.url, { method: 'POST', body: image })).json()));
    return { uploadP50: upload.p50, downloadP50: download.p50, rangeP50: range.p50, imageP50: images.p50 };
  } finally {
    await bare.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureConfab(ctx: Context, stores: Stores, file: Buffer, image: Buffer): Promise<Figures> {
  const rounds = (ctx.options.smoke ? SIZES.smoke : SIZES.full).rounds;
  const sessionSecret = randomBytes(32).toString('base64url');
  const [alice] = await seedUsers(stores, { count: 1, sessionSecret, ttlMs: SESSION_TTL_MS });
  // No quota (startServer already lifts rate limits): neither is what is measured.
  const server = await startServer({
    stores,
    config: { sessionSecret, sessionTtlMs: SESSION_TTL_MS, uploadQuotaBytes: null },
  });
  const headers = { cookie: alice!.cookie };
  try {
    const ids: string[] = [];
    const post = async (bytes: Buffer, name: string) => {
      const response = await fetch(`${server.url}/api/files`, { method: 'POST', body: form(bytes, name), headers });
      if (response.status !== 201) throw new Error(`upload: HTTP ${response.status}: ${await response.text()}`);
      return ((await response.json()) as UploadResponse).file;
    };
    const upload = latency(await timed(rounds, async () => ids.push((await post(file, 'data.bin')).id)));
    const download = latency(await timed(rounds, async (i) => drain(await fetch(`${server.url}${fileUrl(ids[i]!)}`, { headers }), FILE_BYTES)));
    const range = latency(
      await timed(rounds, async (i) => {
        const start = (i * 65_537) % (FILE_BYTES - 65_536);
        await drain(await fetch(`${server.url}${fileUrl(ids[i]!)}`, { headers: { ...headers, range: `bytes=${start}-${start + 65_535}` } }), 65_536);
      }),
    );
    const images = latency(await timed(rounds, () => post(image, 'photo.jpg')));
    return { uploadP50: upload.p50, downloadP50: download.p50, rangeP50: range.p50, imageP50: images.p50 };
  } finally {
    await server.close();
  }
}

/**
 * What storing and serving files costs: Confab's upload (multipart, type detection, hashing,
 * the store) and download (session, membership, range) beside plain Node HTTP streaming the same
 * bytes to and from a local disk. An image upload adds Confab's decode, re-encode and thumbnail.
 */
export const files: Scenario = async (ctx) => {
  const result = emptyResult('files', METRICS);
  result.notes.push(
    'The "bare Socket.IO" column here is plain Node HTTP streaming the same bodies to and from local files (no parsing, no checks, no image work), in the same process; uploads are the owner\'s, downloads the owner\'s own unsent uploads.',
  );
  const file = randomBytes(FILE_BYTES);
  const image = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#3a6' } })
    .composite([{ input: randomBytes(400 * 300 * 3), raw: { width: 400, height: 300, channels: 3 }, tile: true }])
    .jpeg({ quality: 85 })
    .toBuffer();
  ctx.log(`files: a ${(image.length / 1024 / 1024).toFixed(1)} MiB 12 MP JPEG; baseline`);
  const bare = await measureBare(ctx, file, image);
  const row = (name: string, confab: Figures): CaseResult => ({ name, bare, confab, complete: true, problems: [] });
  ctx.log('files: memory store, local folder');
  const memory = createMemoryStores();
  try {
    result.cases.push(row('files, local folder', await measureConfab(ctx, memory, file, image)));
  } finally {
    await memory.close();
  }
  const database = await openDatabase({ smoke: ctx.options.smoke });
  if ('skipped' in database) {
    result.notes.push(`database rows skipped: ${database.skipped}`);
    return result;
  }
  const dbName = `confab_bench_files_${randomBytes(3).toString('hex')}`;
  const stores = await openTestStores(dbName, { url: database.url });
  try {
    ctx.log(`files: ${database.backend} (GridFS)`);
    result.cases.push(row(`files, GridFS on ${database.backend}`, await measureConfab(ctx, stores, file, image)));
  } finally {
    await stores.close();
    await dropDatabase(database.url, dbName).catch(() => undefined);
    await database.close();
  }
  return result;
};
