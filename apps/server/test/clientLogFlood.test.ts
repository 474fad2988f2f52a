// What one client can make the server log: a flood of bad events costs the log a bounded number
// of lines, and one line (and a counter) says how many were kept out.
import { Writable } from 'node:stream';
import type { MessageDto } from '@confab/shared';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { DEFAULT_CLIENT_LOG_LIMIT, createClientLog, suppressedLogLines } from '../src/logging/sampledLog.js';
import { createLogger } from '../src/logger.js';
import { createMemoryStores } from '../src/testing.js';
import { eventually, registerUser, type TestUser } from './support/client.js';

type Line = Record<string, unknown> & { msg: string; level: number };

/** A logger writing JSON lines into `lines`, as the server writes them to stdout. */
function capturingLogger(level = 'info') {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of String(chunk).split('\n')) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { lines, logger: createLogger({ level, pretty: false }, destination) };
}

const apps: App[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const app of apps.splice(0)) await app.close();
});

/** A real server, as `startServer` builds it, whose log the test reads. */
async function startLoggedServer() {
  const { lines, logger } = capturingLogger();
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', LOG_PRETTY: 'false' });
  const unlimited = Object.fromEntries(Object.keys(base.rateLimits).map((name) => [name, { points: 1_000_000, durationSeconds: 1 }]));
  const config: Config = { ...base, webDist: '/nonexistent', rateLimits: unlimited as unknown as Config['rateLimits'] };
  const app = await createApp({ stores: createMemoryStores(), logger }, config);
  apps.push(app);
  const url = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
  return { url, lines };
}

async function connect(url: string, nsp: string, user: TestUser): Promise<Socket> {
  const socket = io(`${url}${nsp}`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: user.cookie } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('a client flooding the log', () => {
  it.each([
    ['/lobby', 'message:send', (_peer: string) => ({ clientId: 'no-ack', body: 'fire and forget' })],
    ['/dm', 'dm:send', (peer: string) => ({ to: peer, clientId: 'no-ack', body: 'fire and forget' })],
  ] as const)('with 3,000 %s %s events without an ack gets 20 warnings written and one line counting the rest', async (nsp, event, payload) => {
    const { url, lines } = await startLoggedServer();
    const [mallory, alice] = [await registerUser(url), await registerUser(url)];
    const socket = await connect(url, nsp, mallory!);
    const socketId = socket.id;
    const suppressedBefore = suppressedLogLines.count;

    for (let i = 0; i < 3_000; i += 1) socket.emit(event, payload(alice!.user.id));
    // A round trip on the same socket is handled after every event sent before it.
    expect(await socket.timeout(10_000).emitWithAck(nsp === '/dm' ? 'dm:conversations' : 'message:sync', nsp === '/dm' ? {} : { afterSeq: 0 })).toMatchObject({ ok: true });

    const fromClient = () => lines.filter((line) => line.socketId === socketId);
    expect(fromClient()).toHaveLength(DEFAULT_CLIENT_LOG_LIMIT.lines);
    expect(new Set(fromClient().map((line) => line.msg))).toEqual(new Set(['dropped an event sent without an ack callback']));
    expect(suppressedLogLines.count - suppressedBefore).toBe(3_000 - DEFAULT_CLIENT_LOG_LIMIT.lines);

    // Leaving writes the count of what was kept out.
    socket.disconnect();
    await eventually(() => expect(fromClient()).toHaveLength(DEFAULT_CLIENT_LOG_LIMIT.lines + 1));
    expect(fromClient().at(-1)).toMatchObject({ level: 40, msg: 'suppressed 2980 log lines from this client', suppressed: { warn: 2_980, error: 0 } });

    // The server still serves: another user sends, and the flood wrote nothing of theirs.
    const aliceLobby = await connect(url, '/lobby', alice!);
    const sent = (await aliceLobby.timeout(5_000).emitWithAck('message:send', { clientId: 'after', body: 'still here' })) as { ok: boolean; data: MessageDto };
    expect(sent).toMatchObject({ ok: true, data: { body: 'still here' } });
  });
});

describe('bad HTTP requests', () => {
  it('300 refused or unknown requests from one client write nothing to the log', async () => {
    const { url, lines } = await startLoggedServer();
    const before = lines.length;
    const statuses: number[] = [];
    // Three at a time: within the connection cap per address, which is not what this is about.
    for (let i = 0; i < 100; i += 1) {
      const answers = await Promise.all([
        fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: '{bad json' }),
        fetch(`${url}/nope/${i}`),
        fetch(`${url}/api/auth/me`),
      ]);
      statuses.push(...answers.map((res) => res.status));
    }
    expect(new Set(statuses)).toEqual(new Set([400, 404, 401]));
    expect(lines.slice(before)).toEqual([]);
  });
});

describe('createClientLog', () => {
  it('writes the first lines of each window, then one summary per window by level, when the next window starts', () => {
    const { lines, logger } = capturingLogger();
    let now = 1_000_000;
    const log = createClientLog(logger, { lines: 3, windowMs: 60_000 }, () => now);

    for (let i = 0; i < 5; i += 1) log.warn({ i }, 'bad event');
    log.error({}, 'handler failed');
    expect(lines.map((line) => line.msg)).toEqual(['bad event', 'bad event', 'bad event']);

    now += 60_000;
    log.warn({ i: 5 }, 'bad event');
    expect(lines.slice(3)).toMatchObject([
      { level: 40, msg: 'suppressed 3 log lines from this client', suppressed: { warn: 2, error: 1 } },
      { level: 40, msg: 'bad event', i: 5 },
    ]);
    log.flush();
    expect(lines).toHaveLength(5);
  });

  it('writes the summary when the window ends even if the client goes quiet', async () => {
    const { lines, logger } = capturingLogger();
    const log = createClientLog(logger, { lines: 1, windowMs: 100 });
    for (let i = 0; i < 10; i += 1) log.warn({}, 'bad event');
    expect(lines).toHaveLength(1);
    await eventually(() => expect(lines.at(-1)).toMatchObject({ msg: 'suppressed 9 log lines from this client' }));
    expect(lines).toHaveLength(2);
  });
});
