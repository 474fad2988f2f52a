import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/testing.js';
import { useServer } from './support/server.js';

// Issue #18, item 7: the server sends the build's precompressed copies (.br, .gz) as they are, hashed
// assets cached for a year and index.html revalidated on every load. The folder is laid out as
// `vite build` lays it out (apps/web/vite.config.ts writes the .br and .gz beside each file).

const IMMUTABLE = 'public, max-age=31536000, immutable';
const script = Buffer.from(`export const greeting = ${JSON.stringify('hello '.repeat(500))};\n`);
const html = Buffer.from(`<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="app"></div>${' '.repeat(2000)}</body></html>`);
const files = {
  'index.html': html,
  'index.html.br': brotliCompressSync(html),
  'index.html.gz': gzipSync(html),
  'assets/index-Ab12Cd34.js': script,
  'assets/index-Ab12Cd34.js.br': brotliCompressSync(script),
  'assets/index-Ab12Cd34.js.gz': gzipSync(script),
  // Too small to gain from compression: the build leaves it without copies.
  'assets/tiny-Ef56Gh78.js': Buffer.from('export {};\n'),
  // vite-plugin-pwa's output (apps/web/scripts/pwa.ts), written after the compressed copies are made.
  'sw.js': Buffer.from('self.addEventListener("install", () => self.skipWaiting());\n'),
  'manifest.webmanifest': Buffer.from(JSON.stringify({ name: 'Confab', start_url: '/', display: 'standalone', icons: [] })),
};

let dist: string;
let server: RunningServer;
const harness = useServer();

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'confab-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dist, name), bytes);
});

afterAll(() => rmSync(dist, { recursive: true, force: true }));

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent, not decoded. */
  body: Buffer;
}

/** A GET with exactly these headers (fetch would add an Accept-Encoding and decode the body). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    get(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const varies = (res: RawResponse) => (res.headers.vary ?? '').toLowerCase().split(/,\s*/).includes('accept-encoding');

describe('the built web app', () => {
  // useServer closes it after each test.
  beforeEach(async () => {
    server = await harness.start({ staticDir: dist });
  });

  it('sends a hashed asset as brotli to a browser that accepts it, cached for a year', async () => {
    const res = await rawGet('/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(varies(res)).toBe(true);
    // The build's own copy, byte for byte: nothing is compressed per request.
    expect(res.body.equals(files['assets/index-Ab12Cd34.js.br'])).toBe(true);
    expect(brotliDecompressSync(res.body).equals(script)).toBe(true);
  });

  it('sends gzip to a browser that accepts only gzip, and the file itself to one that accepts neither', async () => {
    const gzip = await rawGet('/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.equals(files['assets/index-Ab12Cd34.js.gz'])).toBe(true);
    expect(gzip.headers['cache-control']).toBe(IMMUTABLE);
    expect(varies(gzip)).toBe(true);

    const refusals: Record<string, string>[] = [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }];
    for (const headers of refusals) {
      const plain = await rawGet('/assets/index-Ab12Cd34.js', headers);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(script)).toBe(true);
      expect(plain.headers['cache-control']).toBe(IMMUTABLE);
      // A shared cache must not hand this copy to a browser that accepts brotli, nor the reverse.
      expect(varies(plain)).toBe(true);
    }
  });

  it('sends a file that has no compressed copies as it is', async () => {
    const res = await rawGet('/assets/tiny-Ef56Gh78.js', { 'accept-encoding': 'gzip, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(files['assets/tiny-Ef56Gh78.js'])).toBe(true);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('revalidates index.html on every load, whether asked for by name, as / or as a client route', async () => {
    for (const path of ['/', '/index.html', '/dm/bob', '/c/general?jump=1']) {
      const res = await rawGet(path, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-encoding': 'gzip, br' });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers['content-encoding'], path).toBe('br');
      expect(brotliDecompressSync(res.body).equals(html), path).toBe(true);
    }
    const plain = await rawGet('/dm/bob', { accept: 'text/html' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.body.equals(html)).toBe(true);
  });

  it('revalidates the service worker and the manifest on every load, so that a deploy reaches open apps', async () => {
    // A cached sw.js would keep every installed app on the old build for as long as it is cached.
    const worker = await rawGet('/sw.js', { 'accept-encoding': 'gzip, br' });
    expect(worker.status).toBe(200);
    expect(worker.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.body.equals(files['sw.js'])).toBe(true);

    const manifest = await rawGet('/manifest.webmanifest', { accept: 'application/manifest+json,*/*' });
    expect(manifest.status).toBe(200);
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(manifest.body.toString('utf8'))).toMatchObject({ name: 'Confab', display: 'standalone' });
  });

  it('answers a missing asset with 404, never index.html (which a browser would keep for a year as the script)', async () => {
    for (const accept of ['*/*', 'text/html']) {
      const res = await rawGet('/assets/index-00000000.js', { accept, 'accept-encoding': 'gzip, br' });
      expect(res.status, accept).toBe(404);
      expect(res.headers['content-type'], accept).not.toMatch(/html/);
      expect(res.headers['cache-control'] ?? '', accept).not.toContain('immutable');
    }
  });

  it('does not serve the compressed copies under their own names', async () => {
    expect((await rawGet('/assets/index-Ab12Cd34.js.br')).status).toBe(404);
    expect((await rawGet('/index.html.gz')).status).toBe(404);
  });
});
