import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue #18, item 7, through nginx: deploy/nginx/confab.conf (the file docker compose uses) serves
// the built web app itself. Run here as scripts/cluster.sh runs it, with scripts/lib/nginx-local.sh,
// on a folder laid out as `vite build` lays it out. Static files only: the upstream is never asked.

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const IMMUTABLE = 'public, max-age=31536000, immutable';
const script = Buffer.from(`export const greeting = ${JSON.stringify('hello '.repeat(500))};\n`);
const html = Buffer.from(`<!doctype html><html><body><div id="app"></div>${' '.repeat(2000)}</body></html>`);
const files: Record<string, Buffer> = {
  'index.html': html,
  'index.html.gz': gzipSync(html, { level: 9 }),
  'index.html.br': brotliCompressSync(html),
  'assets/index-Ab12Cd34.js': script,
  'assets/index-Ab12Cd34.js.gz': gzipSync(script, { level: 9 }),
  'assets/index-Ab12Cd34.js.br': brotliCompressSync(script),
  'theme.js': Buffer.from('document.documentElement.dataset.theme = "light";\n'),
};

let work: string;
let nginx: ChildProcess | undefined;
let base: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function untilAnswering(deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (nginx?.exitCode !== null) return false;
    try {
      await rawGet('/index.html');
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}

/** Writes the local nginx setup around deploy/nginx/confab.conf and starts it on a free port (retried if the port is taken meanwhile). */
async function startNginx(): Promise<void> {
  const dist = join(work, 'dist');
  const conf = join(work, 'nginx');
  const logs = join(work, 'logs');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const written = spawnSync(
      'bash',
      ['-c', 'source scripts/lib/nginx-local.sh && write_local_nginx "$@" && find_nginx', 'write', conf, logs, `127.0.0.1:${port}`, dist, 'server 127.0.0.1:9;'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    if (written.status !== 0) throw new Error(`nginx-local.sh failed: ${written.stderr}`);
    const binary = written.stdout.trim().split('\n').pop()!;
    nginx = spawn(binary, ['-e', join(logs, 'nginx-error.log'), '-c', join(conf, 'nginx.conf'), '-p', `${conf}/`], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    if (await untilAnswering(Date.now() + 10_000)) return;
    nginx.kill('SIGTERM');
  }
  const log = join(logs, 'nginx-error.log');
  throw new Error(`nginx did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no log'}`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'confab-nginx-static-'));
  mkdirSync(join(work, 'dist', 'assets'), { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(work, 'dist', name), bytes);
  await startNginx();
}, 40_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

const varies = (res: RawResponse) => (res.headers.vary ?? '').toLowerCase().split(/,\s*/).includes('accept-encoding');

describe('nginx serving the built web app', () => {
  it('sends the build\'s .gz of a hashed asset as it is, cached for a year', async () => {
    const res = await rawGet('/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    // Byte for byte the build's copy (gzip -9), not nginx compressing the file as it goes.
    expect(res.body.equals(files['assets/index-Ab12Cd34.js.gz']!)).toBe(true);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(varies(res)).toBe(true);
  });

  it('sends the file itself to a client that takes no gzip (stock nginx cannot send the .br)', async () => {
    for (const headers of [{ 'accept-encoding': 'br' }, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const res = await rawGet('/assets/index-Ab12Cd34.js', headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.equals(script)).toBe(true);
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
    }
  });

  it('revalidates index.html, client routes and the other top-level files, and never caches them for long', async () => {
    for (const path of ['/', '/index.html', '/dm/bob']) {
      const res = await rawGet(path, { accept: 'text/html', 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers['content-encoding'], path).toBe('gzip');
      expect(res.body.equals(files['index.html.gz']!), path).toBe(true);
    }
    const theme = await rawGet('/theme.js');
    expect(theme.status).toBe(200);
    expect(theme.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with 404, never index.html', async () => {
    const res = await rawGet('/assets/index-00000000.js', { accept: 'text/html', 'accept-encoding': 'gzip' });
    expect(res.status).toBe(404);
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});
