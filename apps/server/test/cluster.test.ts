import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { fileUrl, type MessageDto, type PresenceDto, type UploadResponse } from '@confab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  postJson,
  recordMessages,
  registerUser,
  request,
  roundTrip,
  sessionCookieFrom,
  settle,
  uniqueName,
  type LobbyClient,
  type TestUser,
} from './support/client.js';
import { isAlive, startCluster, type ClusterServer, type RunningCluster } from './support/cluster.js';
import { connectLobbyVia, latestSeq, LobbyView, syncAll, transportOf } from './support/clusterClients.js';
import { connectDm, dmRequest, recordDm } from './support/dmClient.js';
import { dropDatabase, mongoUrl, testDatabaseName } from './support/mongo.js';

// The deployment's topology as real processes, started by scripts/cluster.sh (what developers
// run): nginx running deploy/nginx/confab.conf in front of two server processes that share
// Redis and a MongoDB-compatible database. Everything below goes over real HTTP, WebSocket and
// long-polling connections, through nginx or straight to one instance.
//
// Tests whose name starts with [REDIS_URL] need the server's Redis scale-out (the adapter and
// the shared presence registry). They are never skipped: without it, they fail.

const dbName = testDatabaseName(fileURLToPath(import.meta.url));
let cluster: RunningCluster;
const sockets: { disconnect(): void }[] = [];
function track<T extends { disconnect(): void }>(socket: T): T {
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  const url = new URL(mongoUrl());
  url.pathname = `/${dbName}`;
  // Every test signs up its own users, all from this one address: more than the default 10 an hour.
  cluster = await startCluster({ MONGODB_URL: url.toString(), RATE_LIMITS: JSON.stringify({ registrationsPerAddress: { points: 100, durationSeconds: 3600 } }) });
}, 180_000);

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await cluster?.stop();
  await dropDatabase(dbName);
}, 60_000);

const count = (messages: { id: string }[], id: string) => messages.filter((m) => m.id === id).length;

async function send(socket: LobbyClient, body: string, clientId = uniqueName('c')): Promise<MessageDto> {
  const res = await request<MessageDto>(socket, 'message:send', { clientId, body });
  if (!res.ok) throw new Error(`send "${body}" failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

describe('through nginx', () => {
  it('serves the web app: index.html revalidated, hashed assets cached for a year, client routes get index.html', async () => {
    // `eventually`: another process may be rebuilding apps/web/dist at this moment.
    await eventually(async () => {
      const index = await fetch(`${cluster.url}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const html = await index.text();
      expect(html).toContain('<div id="app">');
      const script = /\/assets\/[^"]+\.js/.exec(html)?.[0];
      expect(script).toBeDefined();
      const asset = await fetch(cluster.url + script);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }, 10_000);

    const route = await fetch(`${cluster.url}/dm/someone`, { headers: { accept: 'text/html' } });
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="app">');
    // A missing asset must not come back as index.html, cached for a year under a script's name.
    expect((await fetch(`${cluster.url}/assets/missing-00000000.js`)).status).toBe(404);
  });

  it('passes the API and health checks on: a session made through nginx works on every instance', async () => {
    const registered = await postJson(
      cluster.url,
      '/api/auth/register',
      { username: uniqueName(), password: 'correct horse battery' },
      { origin: cluster.url },
    );
    expect(registered.status).toBe(201);
    const cookie = sessionCookieFrom(registered.headers);
    for (const base of [cluster.url, ...cluster.servers.map((s) => s.url)]) {
      const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ user: registered.body.user });
    }

    // nginx passes Host on with its port, so the server still tells its own origin from others.
    const foreign = await postJson(
      cluster.url,
      '/api/auth/register',
      { username: uniqueName(), password: 'correct horse battery' },
      { origin: 'http://evil.example' },
    );
    expect(foreign.status).toBe(403);

    // A body over the API's limit is refused by nginx, with the API's own error.
    const tooLarge = await postJson(
      cluster.url,
      '/api/auth/register',
      { username: 'x'.repeat(17 * 1024), password: 'correct horse battery' },
      { origin: cluster.url },
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({ error: { code: 'invalid_payload', message: 'The request body is too large.', field: '' } });

    expect((await fetch(`${cluster.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${cluster.url}/readyz`)).status).toBe(200);
  });

  it('keeps every instance in rotation when a client floods it with large polling POSTs the servers refuse', async () => {
    // A server refuses a POST for an unknown session before reading its body and closes the
    // connection while nginx is still sending it. nginx must not count that as the instance
    // failing: with its default max_fails=1 a few such requests left every instance out of
    // rotation ("no live upstreams", 502 for everyone). Whether one request hits the race is
    // chance, so send many, and read nginx's own account too.
    const body = 'x'.repeat(60 * 1024);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`${cluster.url}/socket.io/?EIO=4&transport=polling&sid=unknown`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain;charset=UTF-8' },
            body,
          }).then((res) => res.arrayBuffer()),
        ),
      );
    }
    for (let i = 0; i < 3; i++) expect((await fetch(`${cluster.url}/readyz`)).status).toBe(200);
    const nginxLog = await readFile(cluster.nginx.log, 'utf8');
    expect(nginxLog).not.toMatch(/temporarily disabled|no live upstreams/);
  });

  it('connects WebSocket, long-polling-only and upgrading clients to /lobby; each message reaches each client exactly once', async () => {
    const users = await Promise.all([1, 2, 3].map(() => registerUser(cluster.url)));
    // The Origin a browser on the nginx address sends.
    const origin = cluster.url;
    const webSocket = track(await connectLobbyVia(cluster.url, users[0]!, { transports: ['websocket'], origin }));
    const polling = track(await connectLobbyVia(cluster.url, users[1]!, { transports: ['polling'], origin }));
    const upgrading = track(await connectLobbyVia(cluster.url, users[2]!, { origin }));
    expect(transportOf(webSocket)).toBe('websocket');
    expect(transportOf(polling)).toBe('polling');
    await eventually(() => expect(transportOf(upgrading)).toBe('websocket'), 5_000);

    const clients = [webSocket, polling, upgrading];
    const received = clients.map(recordMessages);
    const sent: MessageDto[] = [];
    for (const [i, client] of clients.entries()) sent.push(await send(client, `through nginx from client ${i}`));
    for (const client of clients) await roundTrip(client);
    await settle(200);
    for (const messages of received) {
      for (const message of sent) expect(count(messages, message.id)).toBe(1);
    }
  });
});

describe('[REDIS_URL] across the two instances', () => {
  it('each instance reports Redis ready; a lobby message and a DM sent on one reach the other exactly once', async () => {
    const [a, b] = cluster.servers as [ClusterServer, ClusterServer];
    for (const server of cluster.servers) {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { redis: { ok: true } } });
    }

    const [alice, bob] = await Promise.all([registerUser(cluster.url), registerUser(cluster.url)]);
    const aliceLobby = track(await connectLobbyVia(a.url, alice, { transports: ['websocket'] }));
    const bobLobby = track(await connectLobbyVia(b.url, bob, { transports: ['websocket'] }));
    const aliceDm = track(await connectDm(a.url, alice));
    const bobDm = track(await connectDm(b.url, bob));
    const [lobbyAtAlice, lobbyAtBob] = [recordMessages(aliceLobby), recordMessages(bobLobby)];
    const [dmsAtAlice, dmsAtBob] = [recordDm(aliceDm, 'dm:message'), recordDm(bobDm, 'dm:message')];

    const fromA = await send(aliceLobby, 'lobby, from instance A');
    const fromB = await send(bobLobby, 'lobby, from instance B');
    const dmFromA = await dmRequest<MessageDto>(aliceDm, 'dm:send', { to: bob.user.id, clientId: uniqueName('d'), body: 'dm, from A' });
    const dmFromB = await dmRequest<MessageDto>(bobDm, 'dm:send', { to: alice.user.id, clientId: uniqueName('d'), body: 'dm, from B' });
    if (!dmFromA.ok || !dmFromB.ok) throw new Error('a DM was refused');

    const deliveredOnce = () => {
      expect(count(lobbyAtBob, fromA.id)).toBe(1);
      expect(count(lobbyAtAlice, fromB.id)).toBe(1);
      expect(count(dmsAtBob, dmFromA.data.id)).toBe(1);
      expect(count(dmsAtAlice, dmFromB.data.id)).toBe(1);
    };
    await eventually(deliveredOnce, 5_000);
    await settle(300);
    deliveredOnce();
  });
});

describe('files through nginx, on both instances', () => {
  it('streams an upload through nginx into the shared database; a member downloads it whole from the other instance and a range through nginx', async () => {
    const [a, b] = cluster.servers as [ClusterServer, ClusterServer];
    const [alice, bob] = await Promise.all([registerUser(cluster.url), registerUser(cluster.url)]);
    // A text start, so no magic number can match by chance; random bytes after it.
    const bytes = Buffer.concat([Buffer.from('quarterly report\n'), randomBytes(6 * 1024 * 1024 - 17)]);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'report.pdf');
    const uploaded = await fetch(`${cluster.url}/api/files`, { method: 'POST', body: form, headers: { cookie: alice.cookie, origin: cluster.url } });
    expect(uploaded.status).toBe(201);
    const { file } = (await uploaded.json()) as UploadResponse;
    // Random bytes are no known format, whatever the name and the declared type say.
    expect(file).toMatchObject({ name: 'report.pdf', size: bytes.length, kind: 'file', contentType: 'application/octet-stream' });

    const aliceLobby = track(await connectLobbyVia(a.url, alice, { transports: ['websocket'] }));
    const sent = await request<MessageDto>(aliceLobby, 'message:send', { clientId: uniqueName('f'), body: 'the report', attachments: [file.id] });
    expect(sent).toMatchObject({ ok: true, data: { attachments: [{ id: file.id, name: 'report.pdf', size: bytes.length }] } });

    const whole = await fetch(`${b.url}${fileUrl(file.id)}`, { headers: { cookie: bob.cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment; filename="report\.pdf"/);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await fetch(`${cluster.url}${fileUrl(file.id)}`, { headers: { cookie: bob.cookie, range: 'bytes=5000000-5000099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5000000-5000099/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(5_000_000, 5_000_100))).toBe(true);
  });

  it('refuses an upload over the size limit at nginx with the API\'s own file_too_large answer', async () => {
    const alice = await registerUser(cluster.url);
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(27 * 1024 * 1024)]), 'big.bin');
    const refused = await fetch(`${cluster.url}/api/files`, { method: 'POST', body: form, headers: { cookie: alice.cookie, origin: cluster.url } });
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: { code: 'file_too_large' } });
  });
});

describe('[REDIS_URL] when instance B crashes (SIGKILL)', () => {
  let a: ClusterServer;
  let b: ClusterServer;
  let crashedAt: number | undefined;
  /** Crashes B once; both tests below need it crashed, whichever runs first. */
  async function crashB(): Promise<number> {
    if (crashedAt === undefined) {
      crashedAt = Date.now();
      await cluster.crash(b);
    }
    return crashedAt;
  }

  // Zoe is connected to B only; Walt watches her presence from A.
  let zoe: TestUser;
  let walt: LobbyClient;
  const zoeUpdates: (PresenceDto & { receivedAt: number })[] = [];
  /** Zoe's state as Walt saw it before the crash; asserted by the presence test, not here, so
   *  that without shared presence the tests fail instead of being skipped. */
  let zoeBeforeCrash: string | undefined;

  beforeAll(async () => {
    [a, b] = cluster.servers as [ClusterServer, ClusterServer];
    zoe = await registerUser(cluster.url);
    walt = track(await connectLobbyVia(a.url, await registerUser(cluster.url), { transports: ['websocket'] }));
    walt.on('presence:changes', (changes: PresenceDto[]) => changes.forEach((p) => {
      // The sweep re-sends recent changes with the same rev (clients drop repeats): count each rev once.
      if (p.userId === zoe.user.id && !zoeUpdates.some((q) => q.rev === p.rev)) zoeUpdates.push({ ...p, receivedAt: Date.now() });
    }));
    track(await connectLobbyVia(b.url, zoe, { transports: ['websocket'] }));
    const zoeFromA = async () => {
      const res = await request<PresenceDto[]>(walt, 'presence:get', { userIds: [zoe.user.id] });
      zoeBeforeCrash = res.ok ? res.data[0]?.state : res.error.code;
      expect(zoeBeforeCrash).toBe('online');
    };
    await eventually(zoeFromA, 5_000).catch(() => undefined);
  });

  it('loses and duplicates no acked message: a client on B reconnects through nginx, retries and catches up', async () => {
    const [xena, yuri] = await Promise.all([registerUser(cluster.url), registerUser(cluster.url)]);
    const baseSeq = await latestSeq(walt);
    const [xenaView, yuriView] = [new LobbyView(baseSeq), new LobbyView(baseSeq)];
    const xenaOnA = track(await connectLobbyVia(a.url, xena, { transports: ['websocket'] }));
    xenaView.listen(xenaOnA);
    const yuriOnB = track(await connectLobbyVia(b.url, yuri, { transports: ['websocket'] }));
    yuriView.listen(yuriOnB);

    const acked: MessageDto[] = [];
    const sendAcked = async (socket: LobbyClient, clientId: string, body: string) => {
      acked.push(await send(socket, body, clientId));
    };
    const tag = uniqueName('k');

    // Before the crash: both chat, each from their own instance.
    for (let i = 1; i <= 3; i++) {
      await sendAcked(xenaOnA, `x${i}-${tag}`, `x${i}`);
      await sendAcked(yuriOnB, `y${i}-${tag}`, `y${i}`);
    }
    await eventually(() => expect(acked.every((m) => xenaView.has(m.id) && yuriView.has(m.id))).toBe(true), 5_000);

    // Xena keeps sending on A through the crash.
    const xenaKeepsSending = (async () => {
      for (let i = 4; i <= 9; i++) {
        await sendAcked(xenaOnA, `x${i}-${tag}`, `x${i}`);
        await settle(100);
      }
    })();
    // Yuri's next send is in flight when B dies: B may have stored it, broadcast it, both or
    // neither, and its ack never comes. His client keeps it and retries it after reconnecting.
    const inFlight = { clientId: `y4-${tag}`, body: 'y4' };
    const lostB = new Promise((resolve) => yuriOnB.once('disconnect', resolve));
    yuriOnB.emit('message:send', inFlight, () => undefined);
    await settle(5);
    await crashB();
    await lostB;

    // Back through nginx: B refuses connections, so nginx passes him on to A.
    const yuriAgain = track(await connectLobbyVia(cluster.url, yuri, { transports: ['websocket'] }));
    yuriView.listen(yuriAgain);
    await yuriView.catchUp(yuriAgain);
    await sendAcked(yuriAgain, inFlight.clientId, inFlight.body);
    await sendAcked(yuriAgain, `y5-${tag}`, 'y5');
    await xenaKeepsSending;

    // What the server stored after baseSeq: exactly the 14 acked messages, seq without gaps,
    // each sender's messages in the order sent, each ack the stored message.
    const history = await syncAll(xenaOnA, baseSeq);
    expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => baseSeq + 1 + i));
    const expected = [...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `x${i}-${tag}`), ...[1, 2, 3, 4, 5].map((i) => `y${i}-${tag}`)];
    expect(history.map((m) => m.clientId).sort()).toEqual([...expected].sort());
    expect(history.filter((m) => m.author.id === xena.user.id).map((m) => m.body)).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9']);
    expect(history.filter((m) => m.author.id === yuri.user.id).map((m) => m.body)).toEqual(['y1', 'y2', 'y3', 'y4', 'y5']);
    for (const ack of acked) expect(history.find((m) => m.id === ack.id)).toEqual(ack);

    // Each client's view, after catching up as clients do: all of it, once each, in seq order.
    await xenaView.catchUp(xenaOnA);
    await yuriView.catchUp(yuriAgain);
    for (const view of [xenaView, yuriView]) {
      expect(view.duplicates).toEqual([]);
      expect(view.conflicts).toEqual([]);
      expect(view.messages().map((m) => m.id)).toEqual(history.map((m) => m.id));
    }
  });

  it('reports a user who was connected only to B offline to an observer on A within 20 s, once', async () => {
    // Presence is shared: before the crash, Walt on A saw Zoe, who is on B, online.
    expect(zoeBeforeCrash, "Zoe's state seen from A before the crash").toBe('online');
    const crashed = await crashB();
    await eventually(() => expect(zoeUpdates.map((p) => p.state)).toContain('offline'), Math.max(0, crashed + 20_000 - Date.now()));
    const offline = zoeUpdates.find((p) => p.state === 'offline')!;
    expect(offline.receivedAt - crashed, 'ms from the crash to "offline"').toBeLessThanOrEqual(20_000);

    await settle(500);
    expect(zoeUpdates.filter((p) => p.state === 'offline')).toHaveLength(1);
    const res = await request<PresenceDto[]>(walt, 'presence:get', { userIds: [zoe.user.id] });
    expect(res).toMatchObject({ ok: true, data: [{ userId: zoe.user.id, state: 'offline' }] });
  }, 30_000);
});

describe('scripts/cluster.sh stop', () => {
  it('stops every process the cluster started and removes its folder', async () => {
    const pids = [cluster.nginx.pid, cluster.redis.pid, ...cluster.servers.map((s) => s.pid)];
    if (cluster.mongodb.pid !== null) pids.push(cluster.mongodb.pid);
    for (const socket of sockets.splice(0)) socket.disconnect();
    await cluster.stop();
    for (const pid of pids) expect(await isAlive(pid), `pid ${pid}`).toBe(false);
    await expect(access(cluster.dir)).rejects.toThrow();
  }, 60_000);
});
