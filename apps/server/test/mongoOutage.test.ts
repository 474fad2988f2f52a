import type { MessageDto, MessagePage } from '@confab/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/testing.js';
import type { Stores } from '../src/store/ports.js';
import { connectError, connectLobby, lobbyClient, postJson, recordMessages, registerUser, request, roundTrip, type LobbyClient } from './support/client.js';
import { portOf, startFerretDb, stopFerretDb } from './support/ferretdb.js';
import { openTestStores, testDatabaseName } from './support/mongo.js';

const SERVER_SELECTION_TIMEOUT_MS = 1_000;

// This test stops and restarts its own FerretDB, so it never disturbs the shared one.
let dir: string;
let url: string;
let stores: Stores;
let server: RunningServer;
const sockets: LobbyClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confab-outage-'));
  url = await startFerretDb(dir);
  stores = await openTestStores(testDatabaseName(import.meta.filename), { url, serverSelectionTimeoutMs: SERVER_SELECTION_TIMEOUT_MS, heartbeatFrequencyMs: 500 });
  server = await startServer({ stores });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
  await stores?.close();
  if (dir) {
    await stopFerretDb(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

async function readiness() {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: await res.json() };
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = Date.now();
  const result = await run();
  return { result, ms: Date.now() - startedAt };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('when the database goes away and comes back', () => {
  it('sends are refused with unavailable at once, the server keeps serving, and sends work again without a restart', { timeout: 60_000 }, async () => {
    const alice = await registerUser(server.url);
    const bob = await registerUser(server.url);
    const aliceTab = await connectLobby(server.url, alice);
    const bobTab = await connectLobby(server.url, bob);
    sockets.push(aliceTab, bobTab);
    const atBob = recordMessages(bobTab);
    const before = await request<MessageDto>(aliceTab, 'message:send', { clientId: 'before', body: 'before the outage' });
    expect(before).toMatchObject({ ok: true, data: { seq: 1 } });

    await stopFerretDb(dir, { keepData: true });

    // The first operation finds the connection gone; it is answered within the server-selection bound.
    const first = await timed(() => request<MessageDto>(aliceTab, 'message:send', { clientId: 'during', body: 'during the outage' }));
    expect(first.result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(first.ms).toBeLessThan(3_000);
    // Once the driver knows (its heartbeat failed; readiness says so), sends are refused without
    // waiting out server selection. Compared with that bound, not with a wall-clock budget: on a
    // loaded machine the heartbeat itself can come late.
    await until(async () => (await readiness()).status === 503, 10_000);
    const second = await timed(() => request<MessageDto>(aliceTab, 'message:send', { clientId: 'during', body: 'during the outage' }));
    expect(second.result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(second.ms).toBeLessThan(SERVER_SELECTION_TIMEOUT_MS);
    expect(await request(aliceTab, 'message:sync', { afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    // What needs no database keeps working.
    expect(await readiness()).toMatchObject({ status: 503, body: { status: 'not_ready', checks: { store: { kind: 'mongodb', ok: false } } } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await request(aliceTab, 'message:send', { clientId: { $ne: null }, body: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(aliceTab.connected && bobTab.connected).toBe(true);
    const signIn = await postJson(server.url, '/api/auth/login', { username: alice.user.username, password: 'correct horse battery' });
    expect(signIn).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    const newcomer = lobbyClient(server.url, { cookie: bob.cookie });
    sockets.push(newcomer);
    expect((await connectError(newcomer)).data?.code).toBe('unavailable');
    expect(atBob).toEqual([before.ok && before.data]);

    const restarted = await startFerretDb(dir, { port: portOf(url), keepData: true });
    expect(restarted).toBe(url);
    await until(async () => (await readiness()).status === 200, 15_000);

    // The sender's retry of the refused send now succeeds, with the next seq: the refusal stored nothing.
    const retried = await request<MessageDto>(aliceTab, 'message:send', { clientId: 'during', body: 'during the outage' });
    expect(retried).toMatchObject({ ok: true, data: { seq: 2, clientId: 'during' } });
    const stored = await roundTrip(bobTab);
    expect(stored.map((m) => m.body)).toEqual(['before the outage', 'during the outage']);
    expect(atBob.map((m) => m.seq)).toEqual([1, 2]);
    const page = await request<MessagePage>(bobTab, 'message:history', {});
    expect(page.ok && page.data.messages.length).toBe(2);
  });
});
