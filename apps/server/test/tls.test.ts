import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { MessageDto } from '@confab/shared';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStores, startServer, type RunningServer } from '../src/testing.js';
import { eventually, recordMessages, request, settle, uniqueName, type LobbyClient } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { makeSelfSignedCert, startTlsNginx, type TlsNginx } from './support/tlsNginx.js';

// Issue #19, item 6: the TLS topology of docker compose and scripts/cluster.sh. A real nginx runs
// deploy/nginx/confab.conf and http-redirect.conf (as scripts/lib/nginx-local.sh lays them out)
// with a certificate made by scripts/make-self-signed-cert.sh, in front of two real Confab
// servers that share a store and a Redis, started with TRUST_PROXY as compose starts them.
// Clients trust that one certificate (`ca`), as a browser would trust a real CA's.

const redis = useRedisServer();
let work: string;
let ca: Buffer;
let nginx: TlsNginx;
let a: RunningServer;
let b: RunningServer;
const sockets: LobbyClient[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'confab-tls-test-'));
  ca = makeSelfSignedCert(join(work, 'certs')).cert;
  const web = join(work, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><div id="app"></div>\n');
  writeFileSync(join(web, 'theme.js'), 'document.documentElement.dataset.theme = "light";\n');
  writeFileSync(join(web, 'assets', 'index-Ab12Cd34.js'), 'export {};\n');
  const stores = createMemoryStores();
  const config = { trustProxy: true, cookieSecure: 'auto' as const, sessionSecret: 'tls-test-secret-0123456789abcdef0123456789' };
  a = await startServer({ stores, config, redisUrl: redis.url });
  b = await startServer({ stores, config, redisUrl: redis.url });
  const upstream = ['hash $remote_addr consistent;', `server 127.0.0.1:${a.port} max_fails=0;`, `server 127.0.0.1:${b.port} max_fails=0;`].join('\n');
  nginx = await startTlsNginx(work, web, join(work, 'certs'), upstream);
}, 40_000);

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await nginx?.stop();
  await a?.close();
  await b?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The client's source address (any of 127.0.0.0/8), which nginx hashes to pick a server. */
  localAddress?: string;
  /** Whether to trust the test's certificate (default true). */
  trusted?: boolean;
}

/** One request with Node's own http/https (no redirects followed); https trusts the test's certificate. */
function send(url: string, options: RequestOptions = {}): Promise<Response> {
  const target = new URL(url);
  const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        agent: false,
        ...(options.trusted === false ? {} : { ca }),
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function signUp(displayName: string) {
  const res = await send(`${nginx.httpsUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: nginx.httpsUrl },
    body: JSON.stringify({ username: uniqueName(), password: 'correct horse battery', displayName }),
  });
  expect(res.status, res.body).toBe(201);
  const setCookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('confab_session='));
  if (!setCookie) throw new Error('no session cookie');
  return { user: (JSON.parse(res.body) as { user: { id: string } }).user, setCookie, cookie: setCookie.split(';')[0]! };
}

/** A /lobby socket over wss:// through nginx (WebSocket only), from `localAddress`. */
function connectWss(cookie: string, localAddress: string, trusted = true): Promise<LobbyClient> {
  // engine.io-client hands `localAddress` (like `ca`) to the WebSocket in Node; its types omit it.
  const options: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie, origin: nginx.httpsUrl },
    localAddress,
    ...(trusted ? { ca: ca.toString('utf8') } : {}),
  };
  const socket: LobbyClient = io(`${nginx.httpsUrl}/lobby`, options);
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Source addresses that nginx's sticky hash sends to server A and to server B, as /readyz reports. */
async function addressesForEachServer(): Promise<{ onA: string; onB: string }> {
  const found = new Map<string, string>();
  for (let i = 2; i < 60 && found.size < 2; i += 1) {
    const localAddress = `127.0.0.${i}`;
    const ready = await send(`${nginx.httpsUrl}/readyz`, { localAddress });
    const { instance } = JSON.parse(ready.body) as { instance: string };
    if (!found.has(instance)) found.set(instance, localAddress);
  }
  const onA = found.get(a.app.instanceId);
  const onB = found.get(b.app.instanceId);
  if (!onA || !onB) throw new Error('no source address reached both servers');
  return { onA, onB };
}

describe('plain http://', () => {
  it('redirects every request with 301 to the same host, path and query over https, and sends no HSTS', async () => {
    const page = await send(`${nginx.httpUrl}/c/general?tab=files`);
    expect(page.status).toBe(301);
    expect(page.headers.location).toBe(`https://127.0.0.1:${nginx.httpsPort}/c/general?tab=files`);
    expect(page.headers['strict-transport-security']).toBeUndefined();

    // Another host name keeps its name; a POST is redirected too, never proxied.
    const api = await send(`${nginx.httpUrl}/api/auth/register`, {
      method: 'POST',
      headers: { host: 'chat.example', 'content-type': 'application/json' },
      body: JSON.stringify({ username: uniqueName(), password: 'correct horse battery' }),
    });
    expect(api.status).toBe(301);
    expect(api.headers.location).toBe(`https://chat.example:${nginx.httpsPort}/api/auth/register`);
    expect(api.headers['set-cookie']).toBeUndefined();

    const polling = await send(`${nginx.httpUrl}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(301);
    expect(polling.headers.location).toBe(`https://127.0.0.1:${nginx.httpsPort}/socket.io/?EIO=4&transport=polling`);
  });
});

describe('https://', () => {
  function handshake(options: ConnectionOptions): Promise<string> {
    return new Promise((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: nginx.httpsPort, servername: 'localhost', ca, ...options }, () => {
        resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
        socket.end();
      });
      socket.on('error', (err: Error & { code?: string }) => resolve(`refused: ${err.code}`));
    });
  }

  it('speaks TLS 1.3 and 1.2 with forward-secret ciphers only, and refuses TLS 1.1 and static-RSA ciphers', async () => {
    expect(await handshake({})).toMatch(/^TLSv1\.3 /);
    expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toMatch(/^TLSv1\.2 ECDHE-/);
    // The client offers them (security level 0 lets OpenSSL send TLS 1.1); the server's alert refuses them.
    expect(await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).toBe('refused: ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA256:AES128-GCM-SHA256' })).toBe('refused: ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('sends Strict-Transport-Security for a year, without includeSubDomains, on the web app, the API, health and Socket.IO', async () => {
    // Each kind of location in confab.conf: index.html, a client route, a top-level file, a hashed
    // asset, the API, health, Socket.IO.
    for (const path of ['/', '/index.html', '/c/general', '/theme.js', '/assets/index-Ab12Cd34.js', '/api/auth/me', '/readyz', '/socket.io/?EIO=4&transport=polling']) {
      const res = await send(`${nginx.httpsUrl}${path}`);
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers['strict-transport-security'], path).toBe('max-age=31536000');
    }
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(send(`${nginx.httpsUrl}/readyz`, { trusted: false })).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const alice = await signUp('Alice');
    await expect(connectWss(alice.cookie, '127.0.0.1', false)).rejects.toThrow();
  });
});

describe('sign-up and chat over https:// and wss://', () => {
  it('signs up over https with a session cookie marked Secure (nginx says https, the server trusts it)', async () => {
    const alice = await signUp('Alice');
    const attributes = alice.setCookie.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('secure');
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');

    // The same server reached over plain HTTP, without nginx: no Secure (the browser would drop it).
    const direct = await send(`${a.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: uniqueName(), password: 'correct horse battery' }),
    });
    expect(direct.status).toBe(201);
    const directCookie = (direct.headers['set-cookie'] ?? []).find((c) => c.startsWith('confab_session='))!;
    expect(directCookie.toLowerCase().split(';').map((part) => part.trim())).not.toContain('secure');
  });

  it('two clients on different servers chat over wss://: each message reaches the other exactly once', async () => {
    const { onA, onB } = await addressesForEachServer();
    const [alice, bob] = [await signUp('Alice'), await signUp('Bob')];
    const aliceLobby = await connectWss(alice.cookie, onA);
    const bobLobby = await connectWss(bob.cookie, onB);
    for (const socket of [aliceLobby, bobLobby]) {
      expect(socket.io.engine.transport.name).toBe('websocket');
      expect((socket.io.engine as unknown as { secure: boolean }).secure).toBe(true);
    }
    // nginx's sticky hash put them on different servers.
    expect(a.app.io.of('/lobby').sockets.size).toBe(1);
    expect(b.app.io.of('/lobby').sockets.size).toBe(1);

    const atAlice = recordMessages(aliceLobby);
    const atBob = recordMessages(bobLobby);
    const fromAlice = await request<MessageDto>(aliceLobby, 'message:send', { clientId: uniqueName('c'), body: 'over wss, from server A' });
    const fromBob = await request<MessageDto>(bobLobby, 'message:send', { clientId: uniqueName('c'), body: 'over wss, from server B' });
    if (!fromAlice.ok || !fromBob.ok) throw new Error('a send was refused');
    expect(fromAlice.data.author.id).toBe(alice.user.id);

    await eventually(() => {
      expect(atBob.map((m) => m.id)).toContain(fromAlice.data.id);
      expect(atAlice.map((m) => m.id)).toContain(fromBob.data.id);
    }, 5_000);
    await settle(200);
    expect(atBob.filter((m) => m.id === fromAlice.data.id)).toHaveLength(1);
    expect(atAlice.filter((m) => m.id === fromBob.data.id)).toHaveLength(1);
  });
});
