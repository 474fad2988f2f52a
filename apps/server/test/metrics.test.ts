import type { MessageDto } from '@confab/shared';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DEFAULT_CLIENT_LOG_LIMIT } from '../src/logging/sampledLog.js';
import { connectError, connectLobby, eventually, lobbyClient, registerUser, request } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();
const TOKEN = 'metrics-token-0123456789abcdef0123456789';

type Labels = Record<string, string>;

/** Every sample of a Prometheus text exposition, as name, labels and value. */
function parse(text: string): { name: string; labels: Labels; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const space = line.lastIndexOf(' ');
      const series = line.slice(0, space);
      const brace = series.indexOf('{');
      const name = brace === -1 ? series : series.slice(0, brace);
      const labels: Labels = {};
      if (brace !== -1) for (const [, key, value] of series.slice(brace).matchAll(/(\w+)="([^"]*)"/g)) labels[key!] = value!;
      return { name, labels, value: Number(line.slice(space + 1)) };
    });
}

/** Emits without the protocol's typing: the tests send what the protocol forbids. */
const untyped = (socket: unknown) => socket as { emit(event: string, ...args: unknown[]): void };

async function scrape(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  const samples = parse(await res.text());
  /** The sample's value, 0 when the series does not exist yet. */
  return (name: string, labels: Labels = {}): number =>
    samples.find((s) => s.name === name && Object.keys(labels).length === Object.keys(s.labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      ?.value ?? 0;
}

describe('metrics', () => {
  it('counts events, acks by outcome, rate-limit hits, refusals by stage and code, store calls, and shows open connections and sockets', async () => {
    const server = await harness.start({
      config: { metricsPort: 0, allowedOrigins: ['http://app.example'], rateLimits: { typing: { points: 1, durationSeconds: 60 } } },
    });
    const [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const before = await scrape(server.metricsUrl!);
    expect(before('confab_engine_connections')).toBe(0);

    const aliceTab = harness.track(await connectLobby(server.url, alice));
    harness.track(await connectLobby(server.url, bob));
    expect(await request<MessageDto>(aliceTab, 'message:send', { clientId: 'm-1', body: 'hello' })).toMatchObject({ ok: true });
    expect(await request(aliceTab, 'message:send', { clientId: 'm-2' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await request(aliceTab, 'typing:start', {})).toMatchObject({ ok: true });
    expect(await request(aliceTab, 'typing:start', {})).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // An invented event name counts as "unknown": clients cannot mint label values.
    untyped(aliceTab).emit('made-up:event', {});
    expect(await request(aliceTab, 'presence:get', { userIds: [] })).toMatchObject({ ok: true });
    expect((await connectError(harness.track(lobbyClient(server.url)))).data?.code).toBe('unauthorized');
    const foreign = harness.track(lobbyClient(server.url, { cookie: bob.cookie, origin: 'http://evil.example' }));
    expect((await connectError(foreign)).message).toMatch(/origin_not_allowed|xhr poll error|websocket error/);

    const after = await scrape(server.metricsUrl!);
    const delta = (name: string, labels: Labels = {}) => after(name, labels) - before(name, labels);
    const lobby = { namespace: '/lobby' };
    expect(delta('confab_events_received_total', { ...lobby, event: 'message:send' })).toBe(2);
    expect(delta('confab_events_received_total', { ...lobby, event: 'typing:start' })).toBe(2);
    expect(delta('confab_events_received_total', { ...lobby, event: 'unknown' })).toBe(1);
    expect(delta('confab_acks_total', { ...lobby, event: 'message:send', outcome: 'ok' })).toBe(1);
    expect(delta('confab_acks_total', { ...lobby, event: 'message:send', outcome: 'invalid_payload' })).toBe(1);
    expect(delta('confab_acks_total', { ...lobby, event: 'typing:start', outcome: 'ok' })).toBe(1);
    expect(delta('confab_acks_total', { ...lobby, event: 'typing:start', outcome: 'rate_limited' })).toBe(1);
    expect(delta('confab_rate_limited_total', { limit: 'typing' })).toBe(1);
    expect(delta('confab_rate_limited_total', { limit: 'messages' })).toBe(0);
    expect(delta('confab_refusals_total', { stage: 'namespace', code: 'unauthorized' })).toBe(1);
    expect(delta('confab_refusals_total', { stage: 'engine', code: 'origin_not_allowed' })).toBe(1);
    expect(after('confab_sockets', lobby)).toBe(2);
    expect(after('confab_sockets', { namespace: '/dm' })).toBe(0);
    expect(after('confab_engine_connections')).toBe(2);
    // Only the valid message reached the store.
    expect(delta('confab_store_operation_duration_seconds_count', { store: 'messages', method: 'append' })).toBe(1);
    expect(after('confab_store_operation_duration_seconds_count', { store: 'sessions', method: 'findActive' })).toBeGreaterThanOrEqual(2);
    expect(after('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('is served on its own port only, on loopback by default, and with a token only to a scrape that sends it', async () => {
    expect(loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464' })).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1', metricsToken: undefined });
    expect(loadConfig({ NODE_ENV: 'test', METRICS_PORT: '' }).metricsPort).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32 characters/);

    const server = await harness.start({ config: { metricsPort: 0, metricsToken: TOKEN } });
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await fetch(server.metricsUrl!)).status).toBe(401);
    expect((await fetch(server.metricsUrl!, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    const scraped = await scrape(server.metricsUrl!, { authorization: `Bearer ${TOKEN}` });
    expect(scraped('confab_engine_connections')).toBe(0);

    const off = await harness.start();
    expect(off.metricsUrl).toBeUndefined();
    expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
  });

  it('keeps each server’s counts apart when two run in one process', async () => {
    const [first, second] = await Promise.all([harness.start({ config: { metricsPort: 0 } }), harness.start({ config: { metricsPort: 0 } })]);
    const alice = await registerUser(first.url);
    const tab = harness.track(await connectLobby(first.url, alice));
    expect(await request(tab, 'message:send', { clientId: 'apart-1', body: 'only on the first' })).toMatchObject({ ok: true });
    const [one, two] = await Promise.all([scrape(first.metricsUrl!), scrape(second.metricsUrl!)]);
    expect(one('confab_acks_total', { namespace: '/lobby', event: 'message:send', outcome: 'ok' })).toBe(1);
    expect(two('confab_acks_total', { namespace: '/lobby', event: 'message:send', outcome: 'ok' })).toBe(0);
    expect(two('confab_store_operation_duration_seconds_count', { store: 'users', method: 'create' })).toBe(0);
  });

  it('counts a second CONNECT to one namespace on one connection as a namespace refusal', async () => {
    const server = await harness.start({ config: { metricsPort: 0 } });
    const alice = await registerUser(server.url);
    const before = await scrape(server.metricsUrl!);
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie: alice.cookie } });
    const received: string[] = [];
    ws.on('message', (data) => received.push(String(data)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('40/lobby,');
    ws.send('40/lobby,');
    try {
      await eventually(() => expect(received.some((p) => p.startsWith('44/lobby,') && p.includes('"forbidden"'))).toBe(true));
      const after = await scrape(server.metricsUrl!);
      expect(after('confab_refusals_total', { stage: 'namespace', code: 'forbidden' }) - before('confab_refusals_total', { stage: 'namespace', code: 'forbidden' })).toBe(1);
      expect(after('confab_sockets', { namespace: '/lobby' })).toBe(1);
    } finally {
      ws.terminate();
    }
  });

  it('counts the log lines a client’s log limit suppressed', async () => {
    const server = await harness.start({ config: { metricsPort: 0 } });
    const alice = await registerUser(server.url);
    const tab = harness.track(await connectLobby(server.url, alice));
    const before = await scrape(server.metricsUrl!);
    const extra = 7;
    // Each event without an ack is dropped with a warning: past the limit, the warnings are counted instead.
    for (let i = 0; i < DEFAULT_CLIENT_LOG_LIMIT.lines + extra; i += 1) untyped(tab).emit('message:send', { clientId: `no-ack-${i}`, body: 'x' });
    expect(await request(tab, 'presence:get', { userIds: [] })).toMatchObject({ ok: true });
    const after = await scrape(server.metricsUrl!);
    expect(after('confab_client_log_lines_suppressed_total') - before('confab_client_log_lines_suppressed_total')).toBe(extra);
    expect(after('confab_events_received_total', { namespace: '/lobby', event: 'message:send' })).toBe(DEFAULT_CLIENT_LOG_LIMIT.lines + extra);
    expect(after('confab_acks_total', { namespace: '/lobby', event: 'message:send', outcome: 'ok' })).toBe(0);
  });

  it('counts Redis connection errors by connection while Redis is down', async () => {
    const server = await harness.start({ config: { metricsPort: 0 }, redisUrl: redis.url });
    const before = await scrape(server.metricsUrl!);
    for (const connection of ['client', 'publisher', 'subscriber']) expect(before('confab_redis_errors_total', { connection, kind: 'connection_error' })).toBe(0);
    await redis.kill();
    try {
      await eventually(async () => {
        const during = await scrape(server.metricsUrl!);
        for (const connection of ['client', 'publisher', 'subscriber']) {
          expect(during('confab_redis_errors_total', { connection, kind: 'connection_error' })).toBeGreaterThanOrEqual(1);
        }
      }, 10_000);
    } finally {
      await redis.restart();
      // Closing waits on Redis commands: let the connections come back first.
      await eventually(async () => expect((await fetch(`${server.url}/readyz`)).status).toBe(200), 10_000);
    }
  });
});
