import { ensureDataDir } from '../src/dataDir.js';
import { dmRoomId, type ConversationPage, type MessageDto, type MessagePage } from '@confab/shared';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createStores } from '../src/store/createStores.js';
import { openPersistedMemoryStores } from '../src/store/memory/persistedMemoryStores.js';
import type { Stores } from '../src/store/ports.js';
import type { RunningServer } from '../src/testing.js';
import { connectLobby, eventually, postJson, registerUser, request } from './support/client.js';
import { connectDm, dmRequest, type DmClient } from './support/dmClient.js';
import { useServer } from './support/server.js';

const harness = useServer();
const logger = createLogger({ level: 'silent', pretty: false });
// One secret for every server in a test, as the secret file in DATA_DIR gives `pnpm start`.
const sessionSecret = randomBytes(32).toString('base64url');
const opened: { stores: Stores[]; dms: DmClient[] } = { stores: [], dms: [] };
let root: string;
let dataDir: string;
let storeFile: string;

beforeEach(() => {
  // DATA_DIR made the way the server makes it, so that it is the server's to keep private.
  root = mkdtempSync(join(tmpdir(), 'confab-data-'));
  dataDir = join(root, 'data');
  ensureDataDir(dataDir);
  storeFile = join(dataDir, 'store.json');
});
afterEach(async () => {
  for (const socket of opened.dms.splice(0)) socket.disconnect();
  for (const stores of opened.stores.splice(0)) await stores.close();
  rmSync(root, { recursive: true, force: true });
});

/** A server on the file-backed store in `dataDir`. */
async function startOnDisk(): Promise<RunningServer & { stores: Stores }> {
  const stores = await openPersistedMemoryStores(storeFile, { logger });
  opened.stores.push(stores);
  return harness.start({ stores, config: { sessionSecret } });
}

/** Stops the server the way the process's shutdown does: the server, then the stores. */
async function stop(server: RunningServer): Promise<void> {
  await server.close();
  await server.stores.close();
}

async function dm(url: string, user: Parameters<typeof connectDm>[1]): Promise<DmClient> {
  const socket = await connectDm(url, user);
  opened.dms.push(socket);
  return socket;
}

function ok<T>(ack: { ok: true; data: T } | { ok: false; error: { code: string } }): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code}`);
  return ack.data;
}

describe('the embedded store kept in DATA_DIR', () => {
  it('after a restart the old session still works, history and DMs keep their seqs, a re-send is deduplicated and new sends continue', async () => {
    const first = await startOnDisk();
    const alice = await registerUser(first.url, { displayName: 'Alice' });
    const bob = await registerUser(first.url, { displayName: 'Bob', password: 'bob password here' });
    const lobby = harness.track(await connectLobby(first.url, alice));
    const lobbyMessage = ok(await request<MessageDto>(lobby, 'message:send', { clientId: 'lobby-1', body: 'before the restart' }));
    const aliceDm = await dm(first.url, alice);
    const dmMessage = ok(await dmRequest<MessageDto>(aliceDm, 'dm:send', { to: bob.user.id, clientId: 'dm-1', body: 'hi Bob' }));
    await stop(first);

    const second = await startOnDisk();
    const me = await fetch(`${second.url}/api/auth/me`, { headers: { cookie: alice.cookie } });
    expect(me.status).toBe(200);
    // Alice registered first: the server's admin, which only session answers say.
    expect(((await me.json()) as { user: unknown }).user).toEqual({ ...alice.user, role: 'admin' });
    const lobbyAgain = harness.track(await connectLobby(second.url, alice));
    expect(ok(await request<MessagePage>(lobbyAgain, 'message:history', { limit: 50 })).messages).toEqual([lobbyMessage]);
    expect(ok(await request<MessageDto>(lobbyAgain, 'message:send', { clientId: 'lobby-1', body: 'before the restart' }))).toEqual(lobbyMessage);
    expect(ok(await request<MessageDto>(lobbyAgain, 'message:send', { clientId: 'lobby-2', body: 'after' }))).toMatchObject({ seq: 2 });

    const bobSignIn = await postJson(second.url, '/api/auth/login', { username: bob.user.username, password: 'bob password here' });
    expect(bobSignIn.status).toBe(200);
    const roomId = dmRoomId(alice.user.id, bob.user.id);
    const bobDm = await dm(second.url, bob);
    expect(ok(await dmRequest<ConversationPage>(bobDm, 'dm:conversations', {})).conversations).toMatchObject([
      { roomId, peer: { id: alice.user.id }, lastMessage: { id: dmMessage.id }, unreadCount: 1 },
    ]);
    expect(ok(await dmRequest<MessagePage>(bobDm, 'dm:history', { roomId, limit: 50 })).messages).toEqual([dmMessage]);
    const aliceDmAgain = await dm(second.url, alice);
    expect(ok(await dmRequest<MessageDto>(aliceDmAgain, 'dm:send', { to: bob.user.id, clientId: 'dm-1', body: 'hi Bob' }))).toEqual(dmMessage);
    expect(ok(await dmRequest<MessageDto>(aliceDmAgain, 'dm:send', { to: bob.user.id, clientId: 'dm-2', body: 'again' }))).toMatchObject({ seq: 2 });
  });

  it('writes a change to the file on its own within seconds, readable only by its owner, without waiting for shutdown', async () => {
    const server = await startOnDisk();
    const alice = await registerUser(server.url);
    const lobby = harness.track(await connectLobby(server.url, alice));
    ok(await request<MessageDto>(lobby, 'message:send', { clientId: 'c-1', body: 'kept without a shutdown' }));

    await eventually(() => expect(readFileSync(storeFile, 'utf8')).toContain('kept without a shutdown'), 5_000);
    expect(statSync(storeFile).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dataDir).sort()).toEqual(['.gitignore', 'store.json']);
  });

  it.each([
    ['not JSON', '{"version":1,"users":['],
    ['not a store', '{"hello":"world"}'],
    ['a gap in a room', JSON.stringify({
      version: 1,
      users: [],
      sessions: [],
      messages: [{ id: 'a'.repeat(24), roomId: 'lobby', seq: 2, clientId: 'c', author: { id: 'b'.repeat(24), name: 'B' }, body: 'x', createdAt: '2026-03-01T12:00:00.000Z' }],
      conversations: { rooms: [], readMarks: [] },
    })],
  ])('refuses to start on a file that is %s, naming it, and leaves it as it was', async (_what, content) => {
    writeFileSync(storeFile, content, { mode: 0o600 });
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, SESSION_SECRET: sessionSecret });

    await expect(createStores(config, logger)).rejects.toThrow(`${storeFile} cannot be loaded`);

    expect(readFileSync(storeFile, 'utf8')).toBe(content);
    expect(readdirSync(dataDir).filter((name) => name !== '.gitignore')).toEqual(['store.json']);
  });

  it('is used in development without MONGODB_URL only; tests, production and MongoDB keep nothing in DATA_DIR', async () => {
    const env = { DATA_DIR: dataDir, SESSION_SECRET: sessionSecret };
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).embeddedStoreFile).toBe(storeFile);
    expect(loadConfig({ ...env, NODE_ENV: 'development', MONGODB_URL: 'mongodb://127.0.0.1:1/x' }).embeddedStoreFile).toBeUndefined();
    expect(loadConfig({ ...env, NODE_ENV: 'production' }).embeddedStoreFile).toBeUndefined();
    const testConfig = loadConfig({ ...env, NODE_ENV: 'test' });
    expect(testConfig.embeddedStoreFile).toBeUndefined();

    const stores = await createStores(testConfig, logger);
    await stores.users.create({ username: 'nobody', displayName: 'nobody', passwordHash: 'x', createdAt: new Date() });
    await stores.close();
    expect(readdirSync(dataDir).filter((name) => name !== '.gitignore')).toEqual([]);
  });
});
