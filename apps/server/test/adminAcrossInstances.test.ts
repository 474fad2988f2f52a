import { randomBytes } from 'node:crypto';
import { LOBBY_ROOM_ID, type InvitationDto, type MessageDto, type MessagePage } from '@confab/shared';
import { createClient, type RedisClientType } from 'redis';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStores, type StartServerOptions, type Stores } from '../src/testing.js';
import { disconnected, eventually, registerUser, request, sessionCookieFrom } from './support/client.js';
import { publicSettings, register, signIn, whoAmI } from './support/accounts.js';
import { dmRequest } from './support/dmClient.js';
import { uploadFile } from './support/files.js';
import { adminRequest, connectAdmin, type AdminClient } from './support/moderationClients.js';
import { useRedisServer } from './support/redisServer.js';
import { ok, openTab, say } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Two instances share one store (as replicas share one database) and a redis-server of this
// file's own: what an admin does on A must be in force on B, for B's sockets and requests.

const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'admin-across-instances-secret-0123456789abcdef' };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function twoInstances(extra: StartServerOptions['config'] = {}) {
  const stores = createMemoryStores();
  openStores.push(stores);
  const startOptions = { stores, config: { ...config, ...extra }, redisUrl: redis.url };
  const a = await harness.start(startOptions);
  const b = await harness.start(startOptions);
  const admin = await registerUser(a.url, { username: 'operator_one', displayName: 'Op' });
  const adminSocket = await connectAdmin(a.url, admin);
  opened.push(adminSocket);
  return { a, b, admin, adminSocket };
}

let redisAdmin: RedisClientType;
beforeAll(async () => {
  redisAdmin = createClient({ url: redis.url }) as RedisClientType;
  redisAdmin.on('error', () => {});
  await redisAdmin.connect();
});
afterAll(async () => {
  await redisAdmin?.close();
});

/** The commands Redis holds back from clients (CLIENT PAUSE), by name. */
async function blockedCommands(): Promise<string[]> {
  const list = await redisAdmin.sendCommand<string>(['CLIENT', 'LIST']);
  return list
    .split('\n')
    .filter((line) => line.includes(' flags=') && line.split(' flags=')[1]!.split(' ')[0]!.includes('b'))
    .map((line) => line.split(' cmd=')[1]?.split(' ')[0] ?? '');
}

const update = (adminSocket: AdminClient, change: Record<string, unknown>) => ok(adminRequest(adminSocket, 'admin:settings:update', change));

describe('deactivation across instances', () => {
  it("deactivating a user on A ends their sockets on B within 5 s, refuses their sign-in and their old cookie; reactivating lets them sign in", async () => {
    const { a, b, adminSocket } = await twoInstances();
    const victim = await registerUser(b.url, { username: 'victim', displayName: 'Victim' });
    const witness = await registerUser(b.url, { username: 'witness' });
    const tab = await openTab(b.url, victim, opened);
    const victimAdmin = await connectAdmin(b.url, victim);
    opened.push(victimAdmin);
    const said = await say(tab, LOBBY_ROOM_ID, 'still here');
    const gone = Promise.all([disconnected(tab.lobby), disconnected(tab.dm), disconnected(victimAdmin)]);

    const started = Date.now();
    await ok(adminRequest(adminSocket, 'admin:user:deactivate', { userId: victim.user.id }));
    await gone;
    expect(Date.now() - started).toBeLessThan(5_000);

    expect(await signIn(b.url, 'victim')).toMatchObject({ status: 403, body: { error: { code: 'account_deactivated' } } });
    // Their open tab learns why from B too: deactivated, not merely signed out.
    expect(await whoAmI(b.url, victim.cookie)).toMatchObject({ status: 403, body: { error: { code: 'account_deactivated' } } });
    const refused = io(`${b.url}/lobby`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: victim.cookie } });
    opened.push(refused);
    expect(await new Promise((resolve) => refused.once('connect_error', (err) => resolve((err as { data?: { code: string } }).data?.code)))).toBe('unauthorized');

    // Their messages stay, marked as from a deactivated account, as B serves them.
    const watcher = await openTab(b.url, witness, opened);
    await eventually(async () => {
      const page = await ok(request<MessagePage>(watcher.lobby, 'message:sync', { afterSeq: said.seq - 1 }));
      expect(page.messages.find((m) => m.id === said.id)).toMatchObject({ body: 'still here', author: { id: victim.user.id, deactivated: true } });
    });

    await ok(adminRequest(adminSocket, 'admin:user:reactivate', { userId: victim.user.id }));
    const back = await signIn(b.url, 'victim');
    expect(back).toMatchObject({ status: 200, body: { user: { id: victim.user.id } } });
    expect((await whoAmI(a.url, sessionCookieFrom(back.headers))).status).toBe(200);
    expect((await whoAmI(b.url, victim.cookie)).status).toBe(401);
  });

  it("a deactivation whose broadcast to the other instance is lost still ends the user's sockets there, through the revocation feed", async () => {
    // A's store holds the deactivation's session revocation until the test has paused Redis: what
    // A sends after it (the adapter's PUBLISH, the feed's XADD) then waits in Redis.
    const stores = createMemoryStores();
    openStores.push(stores);
    let reached!: () => void;
    let release!: () => void;
    const isReached = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const gated: Stores = {
      ...stores,
      sessions: new Proxy(stores.sessions, {
        get(target, property) {
          const value = Reflect.get(target, property, target) as unknown;
          if (typeof value !== 'function') return value;
          if (property !== 'revokeAllForUser') return (value as (...args: unknown[]) => unknown).bind(target);
          return async (userId: string) => {
            await target.revokeAllForUser(userId);
            reached();
            await released;
          };
        },
      }),
    };
    const startOptions = { config: { ...config, sessionRecheckMs: 100 }, redisUrl: redis.url };
    const a = await harness.start({ ...startOptions, stores: gated });
    const b = await harness.start({ ...startOptions, stores });
    const admin = await registerUser(a.url, { username: 'gatekeeper' });
    const adminSocket = await connectAdmin(a.url, admin);
    opened.push(adminSocket);
    const victim = await registerUser(b.url, { username: 'unlucky' });
    const tab = await openTab(b.url, victim, opened);
    const gone = Promise.all([disconnected(tab.lobby), disconnected(tab.dm)]);

    const deactivated = adminRequest(adminSocket, 'admin:user:deactivate', { userId: victim.user.id });
    await isReached;
    await redisAdmin.sendCommand(['CLIENT', 'PAUSE', '10000', 'WRITE']);
    try {
      release();
      await eventually(async () => expect(await blockedCommands()).toContain('publish'));
      // The feed's XADD follows the PUBLISH on another connection; give it a moment to be sent.
      await new Promise((r) => setTimeout(r, 200));
      // Every command connection is reset (subscribers stay up): the PUBLISH in flight is lost, and
      // A writes the feed entry again once its connection is back.
      await redisAdmin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
    } finally {
      await redisAdmin.sendCommand(['CLIENT', 'UNPAUSE']);
    }
    const resumed = Date.now();
    expect(await deactivated).toMatchObject({ ok: true });
    await gone;
    expect(Date.now() - resumed).toBeLessThan(5_000);
  });

  it("a deactivated admin's /admin socket on the other instance is ended, and the remaining admin keeps theirs", async () => {
    const { a, b, admin, adminSocket } = await twoInstances();
    const deputy = await registerUser(b.url, { username: 'deputy' });
    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: deputy.user.id, role: 'admin' }));
    const deputyConsole = await connectAdmin(b.url, deputy);
    opened.push(deputyConsole);
    const gone = disconnected(deputyConsole);
    await ok(adminRequest(adminSocket, 'admin:user:deactivate', { userId: deputy.user.id }));
    await gone;
    expect((await adminRequest(adminSocket, 'admin:users', {})).ok).toBe(true);
    expect(await whoAmI(a.url, admin.cookie)).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });
  });
});

describe('settings across instances', () => {
  it('a registration mode set on A applies on B at once', async () => {
    const { b, adminSocket } = await twoInstances();
    await update(adminSocket, { registration: 'closed' });
    expect(await register(b.url, { username: 'knocking' })).toMatchObject({ status: 403, body: { error: { code: 'registration_closed' } } });
    expect(await publicSettings(b.url)).toMatchObject({ registration: 'closed' });

    await update(adminSocket, { registration: 'invitation' });
    expect((await register(b.url, { username: 'knocking' })).body).toMatchObject({ error: { code: 'registration_closed' } });
    const link = await ok(adminRequest<InvitationDto>(adminSocket, 'invitation:create', {}));
    expect((await register(b.url, { username: 'knocking', invitation: link.token })).status).toBe(201);

    await update(adminSocket, { registration: 'open' });
    expect((await register(b.url, { username: 'strolling_in' })).status).toBe(201);
  });

  it("open tabs on both instances hear settings:changed when an admin saves, and what they fetch then is the new settings", async () => {
    const { a, b, adminSocket } = await twoInstances();
    const member = await registerUser(b.url);
    const onA = await openTab(a.url, member, opened);
    const onB = await openTab(b.url, member, opened);
    const heard = (tab: typeof onA) => new Promise<void>((resolve) => tab.lobby.once('settings:changed', () => resolve()));
    const both = Promise.all([heard(onA), heard(onB)]);

    await update(adminSocket, { serverName: 'Harbour Chat' });
    await both;
    expect(await publicSettings(b.url)).toMatchObject({ serverName: 'Harbour Chat' });

    // A save that changes nothing is not announced.
    let repeated = 0;
    onB.lobby.on('settings:changed', () => void (repeated += 1));
    await update(adminSocket, { serverName: 'Harbour Chat' });
    await new Promise((r) => setTimeout(r, 300));
    expect(repeated).toBe(0);
  });

  it("the recall window set on A is B's the moment A acks it", async () => {
    const { b, adminSocket } = await twoInstances();
    const author = await registerUser(b.url);
    const tab = await openTab(b.url, author, opened);
    const first = await say(tab, LOBBY_ROOM_ID, 'oops');
    const second = await say(tab, LOBBY_ROOM_ID, 'oops again');
    await new Promise((r) => setTimeout(r, 20));

    await update(adminSocket, { recallWindowMs: 0 });
    expect(await dmRequest(tab.dm, 'message:recall', { id: first.id })).toMatchObject({ ok: false, error: { code: 'recall_window_expired' } });
    expect(await publicSettings(b.url)).toMatchObject({ recallWindowMs: 0 });
    await update(adminSocket, { recallWindowMs: 60_000 });
    expect(await dmRequest<MessageDto>(tab.dm, 'message:recall', { id: second.id })).toMatchObject({ ok: true, data: { recall: { messageId: second.id } } });
  });

  it("the edit window set on A is B's the moment A acks it", async () => {
    const { b, adminSocket } = await twoInstances();
    const author = await registerUser(b.url);
    const tab = await openTab(b.url, author, opened);
    const message = await say(tab, LOBBY_ROOM_ID, 'draft');
    await update(adminSocket, { editWindowMs: 0 });
    expect(await dmRequest(tab.dm, 'message:edit', { id: message.id, body: 'final' })).toMatchObject({ ok: false, error: { code: 'edit_window_expired' } });
    await update(adminSocket, { editWindowMs: null });
    expect(await dmRequest(tab.dm, 'message:edit', { id: message.id, body: 'final' })).toMatchObject({ ok: true });
  });

  it("the upload limit set on A is B's the moment A acks it", async () => {
    const { b, adminSocket } = await twoInstances();
    const uploader = await registerUser(b.url);
    const bytes = randomBytes(4096);
    await update(adminSocket, { uploadMaxBytes: 2048 });
    expect(await uploadFile(b.url, uploader.cookie, { bytes, name: 'blob.bin' })).toMatchObject({ status: 413, body: { error: { code: 'file_too_large' } } });
    expect(await publicSettings(b.url)).toMatchObject({ uploadMaxBytes: 2048 });
    await update(adminSocket, { uploadMaxBytes: 8192 });
    expect(await uploadFile(b.url, uploader.cookie, { bytes, name: 'blob.bin' })).toMatchObject({ status: 201 });
  });

  it("a rate-limit preset set on A halves B's limits at once", async () => {
    const { b, adminSocket } = await twoInstances({ rateLimits: { messages: { points: 4, durationSeconds: 600 } } });
    const chatter = await registerUser(b.url);
    const tab = await openTab(b.url, chatter, opened);
    await update(adminSocket, { rateLimitPreset: 'strict' });
    const acks = [];
    for (let i = 0; i < 3; i += 1) acks.push(await request(tab.lobby, 'message:send', { clientId: `strict-${i}`, body: `number ${i}` }));
    expect(acks.map((ack) => (ack.ok ? 'sent' : ack.error.code))).toEqual(['sent', 'sent', 'rate_limited']);
  });
});
