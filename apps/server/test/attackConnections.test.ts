// Attacks on connections rather than events (issue #13, items 2, 4 and 5), against the attack
// suite's world: two instances on one store and one Redis, Mallory attacking, Alice and Bob
// chatting. Each case checks the exact refusal, then that nothing was stored or broadcast and
// that Alice and Bob still chat (expectNoEffect), and that health checks still answer.
// Mallory attacks from 127.0.0.3 where a cap is per address, so the world's own sockets
// (127.0.0.1) do not count towards it; 127.0.0.2 is an unrelated client.
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { ORIGIN_REFUSAL } from '../src/realtime/handshake.js';
import { TOO_MANY_CONNECTIONS } from '../src/realtime/engineGuard.js';
import { createWorld, disconnection, type World } from './support/attack.js';
import { eventually, settle } from './support/client.js';
import { engineWebSocket, healthOn, plainRequest, rawConnection, wsClosed } from './support/rawConnections.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();
const world = (config: NonNullable<Parameters<typeof createWorld>[2]>['config']) => createWorld(harness, redis, { config });

const MALLORY = '127.0.0.3';
const OTHER = '127.0.0.2';

async function expectStillServing(w: World): Promise<void> {
  await w.expectNoEffect();
  for (const localAddress of ['127.0.0.1', OTHER]) {
    expect((await plainRequest(`${w.a.url}/healthz`, { localAddress })).status).toBe(200);
  }
}

describe('slow HTTP clients are timed out', () => {
  const REQUEST_MS = 800;
  const partialRegistration =
    'POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n' +
    '{"username":"slowloris","password":"correct horse battery"';

  it.each([
    ['never sends the rest of its body', false],
    ['sends its body one byte every 100 ms', true],
  ])('a registration that %s is answered 408 and closed at the request timeout, and registers nobody', async (_, trickles) => {
    const w = await world({ httpHeadersTimeoutMs: 400, httpRequestTimeoutMs: REQUEST_MS });
    const conn = await rawConnection(w.a.port, MALLORY);
    const startedAt = performance.now();
    conn.socket.write(partialRegistration);
    const trickle = trickles ? setInterval(() => conn.socket.write(' '), 100) : undefined;
    const { data, atMs } = await conn.closed;
    clearInterval(trickle);
    expect(data).toMatch(/^HTTP\/1\.1 408 /);
    // The timeout, not something else, closed it: never before the configured time.
    expect(atMs - startedAt).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(await w.stores.users.findByUsername('slowloris')).toBeNull();
    await expectStillServing(w);
  });

  it('headers that never end, and a connection that sends nothing, are answered 408 and closed at the headers timeout', async () => {
    const w = await world({ httpHeadersTimeoutMs: 400, httpRequestTimeoutMs: 5_000 });
    const [silent, slowHeaders] = await Promise.all([rawConnection(w.a.port, MALLORY), rawConnection(w.a.port, MALLORY)]);
    slowHeaders.socket.write('POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => slowHeaders.socket.write('X-Slow: 1\r\n'), 100);
    const [fromSilent, fromSlow] = await Promise.all([silent.closed, slowHeaders.closed]);
    clearInterval(trickle);
    expect(fromSlow.data).toMatch(/^HTTP\/1\.1 408 /);
    // A connection that never started a request is closed without an answer, or with a 408.
    expect(fromSilent.data).toMatch(/^(HTTP\/1\.1 408 .*)?$/s);
    await expectStillServing(w);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const w = await world({ httpKeepAliveTimeoutMs: 300 });
    const conn = await rawConnection(w.a.port, MALLORY);
    expect(await healthOn(conn)).toBe('HTTP/1.1 200 OK');
    const answeredAt = performance.now();
    const { atMs } = await conn.closed;
    expect(atMs - answeredAt).toBeGreaterThanOrEqual(250);
    await expectStillServing(w);
  });
});

describe('open connections per address are capped', () => {
  it('the HTTP connection over the cap is closed unread; the open ones, other addresses and health checks are served', async () => {
    const CAP = 20;
    const w = await world({ httpConnectionsPerAddress: CAP });
    const held = await Promise.all(Array.from({ length: CAP }, () => rawConnection(w.a.port, MALLORY)));
    for (const conn of held) expect(await healthOn(conn)).toBe('HTTP/1.1 200 OK');

    const extra = await rawConnection(w.a.port, MALLORY);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect((await extra.closed).data).toBe('');
    expect(await healthOn(held[0]!)).toBe('HTTP/1.1 200 OK');
    await expectStillServing(w);

    // A cap on what is open, not a rate: one closed, one more may open.
    held[1]!.socket.destroy();
    await eventually(async () => expect(await healthOn(await rawConnection(w.a.port, MALLORY))).toBe('HTTP/1.1 200 OK'));
  });

  it('the Engine.IO handshake over the cap is refused (too_many_connections) over WebSocket and polling, while other addresses connect', async () => {
    const CAP = 6;
    const w = await world({ socketConnectionsPerAddress: CAP });
    const held = await Promise.all(Array.from({ length: CAP }, () => engineWebSocket(w.a.url, { localAddress: MALLORY })));
    expect(held.every((ws) => ws.packets[0]?.startsWith('0{'))).toBe(true);

    await expect(engineWebSocket(w.a.url, { localAddress: MALLORY })).rejects.toMatchObject({ status: 400, body: TOO_MANY_CONNECTIONS });
    const polling = await plainRequest(`${w.a.url}/socket.io/?EIO=4&transport=polling`, { localAddress: MALLORY });
    expect(polling).toEqual({ status: 403, body: JSON.stringify({ code: 4, message: TOO_MANY_CONNECTIONS }) });

    // Alice opens another tab from another address.
    const aliceTab = io(`${w.a.url}/lobby`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: w.alice.cookie }, localAddress: OTHER } as never);
    try {
      await new Promise<void>((resolve, reject) => aliceTab.once('connect', resolve).once('connect_error', reject));
    } finally {
      aliceTab.disconnect();
    }
    await expectStillServing(w);

    held[0]!.terminate();
    await eventually(async () => expect((await engineWebSocket(w.a.url, { localAddress: MALLORY })).packets[0]).toMatch(/^0\{/));
  });
});

describe('Engine.IO connections without a namespace are closed', () => {
  it('after the connect timeout: one that never connects, one refused by every namespace, one that left its last; a connected client stays', async () => {
    const TIMEOUT_MS = 400;
    const w = await world({ socketConnectTimeoutMs: TIMEOUT_MS });
    const before = w.a.app.io.engine.clientsCount;
    const bare = await engineWebSocket(w.a.url, { localAddress: MALLORY });
    const refused = await engineWebSocket(w.a.url, { localAddress: MALLORY });
    refused.send('40/lobby,');
    const left = await engineWebSocket(w.a.url, { localAddress: MALLORY, headers: { cookie: w.mallory.cookie } });
    left.send('40/lobby,');
    await eventually(() => expect(left.packets.some((p) => p.startsWith('40/lobby,{'))).toBe(true));
    await eventually(() => expect(refused.packets.some((p) => p.startsWith('44/lobby,'))).toBe(true));
    left.send('41/lobby,');
    const polling = await plainRequest(`${w.a.url}/socket.io/?EIO=4&transport=polling`, { localAddress: MALLORY });
    const pollingSid = (JSON.parse(polling.body.slice(1)) as { sid: string }).sid;
    expect(w.a.app.io.engine.clientsCount).toBe(before + 4);

    const stillConnected = disconnection(w.malloryLobby, TIMEOUT_MS * 5).catch(() => 'still connected');
    await Promise.all([bare, refused, left].map((ws) => wsClosed(ws)));
    // The polling session is gone too: its next poll no longer finds it.
    await eventually(async () => {
      const poll = await plainRequest(`${w.a.url}/socket.io/?EIO=4&transport=polling&sid=${pollingSid}`, { localAddress: MALLORY });
      expect(poll.body).toMatch(/^1|"Session ID unknown"/);
    }, 10_000);
    expect(await stillConnected).toBe('still connected');
    expect(w.a.app.io.engine.clientsCount).toBe(before);
    await expectStillServing(w);
  });
});

describe('the Origin is checked on every request of an Engine.IO session', () => {
  const EVIL = 'http://evil.example';

  /** The transport the server holds the session on, seen through its /lobby socket (engine.io types its id as private). */
  const transportOfSession = (w: World, sid: string) =>
    [...w.a.app.io.of('/lobby').sockets.values()].find((s) => (s.conn as unknown as { id: string }).id === sid)?.conn.transport.name;

  /** A polling session opened without Origin, as Mallory, with /lobby connected on it. */
  async function pollingSession(w: World): Promise<string> {
    const headers = { cookie: w.mallory.cookie };
    const open = await plainRequest(`${w.a.url}/socket.io/?EIO=4&transport=polling`, { headers });
    const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
    const base = `${w.a.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    expect((await plainRequest(base, { method: 'POST', headers, body: '40/lobby,' })).body).toBe('ok');
    expect((await plainRequest(base, { headers })).body).toMatch(/^40\/lobby,\{"sid"/);
    return sid;
  }

  it('a WebSocket upgrade of a polling session from a foreign Origin is refused (400, origin_not_allowed) and leaves the session on polling', async () => {
    const w = await world({});
    const sid = await pollingSession(w);
    const transportOf = () => transportOfSession(w, sid);

    await expect(engineWebSocket(w.a.url, { sid, headers: { origin: EVIL, cookie: w.mallory.cookie } })).rejects.toMatchObject({ status: 400, body: ORIGIN_REFUSAL });
    await settle();
    expect(transportOf()).toBe('polling');
    await expectStillServing(w);

    // The same upgrade from the app's own origin goes through.
    const ws = await engineWebSocket(w.a.url, { sid, headers: { origin: w.a.url, cookie: w.mallory.cookie } });
    ws.send('2probe');
    await eventually(() => expect(ws.packets).toContain('3probe'));
    ws.send('5');
    await eventually(() => expect(transportOf()).toBe('websocket'));
  });

  it('a polling request of an open session from a foreign Origin is refused (403, origin_not_allowed) and its packets are not read', async () => {
    const w = await world({});
    const sid = await pollingSession(w);
    const send = (origin: string, body: string) =>
      plainRequest(`${w.a.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', headers: { origin, cookie: w.mallory.cookie }, body });

    const refused = await send(EVIL, '42/lobby,["message:send",{"clientId":"forged","body":"sent by a foreign page"}]');
    expect(refused).toEqual({ status: 403, body: JSON.stringify({ code: 4, message: ORIGIN_REFUSAL }) });
    await expectStillServing(w);
    expect(transportOfSession(w, sid)).toBe('polling');
    // The session itself is intact: the app's own origin still gets through on it.
    expect(await send(w.a.url, '3')).toEqual({ status: 200, body: 'ok' });
  });
});
