import type { MessageDto, MessagePage } from '@confab/shared';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/testing.js';
import type { Stores } from '../src/store/ports.js';
import { connectLobby, postJson, recordMessages, registerUser, request, roundTrip, type LobbyClient } from './support/client.js';
import { dropDatabase, openTestStores, testDatabaseName } from './support/mongo.js';

const dbName = testDatabaseName(import.meta.filename);
// Both "instances" share the secret, as replicas of one deployment do, so cookies survive the restart.
const config = { sessionSecret: 'mongo-lobby-test-secret-0123456789abcdef' };

const open: { sockets: LobbyClient[]; servers: RunningServer[]; stores: Stores[] } = { sockets: [], servers: [], stores: [] };
async function instance() {
  const stores = await openTestStores(dbName);
  open.stores.push(stores);
  const server = await startServer({ stores, config });
  open.servers.push(server);
  return server;
}
async function lobby(url: string, user: Parameters<typeof connectLobby>[1]) {
  const socket = await connectLobby(url, user);
  open.sockets.push(socket);
  return socket;
}
async function stopAll() {
  for (const socket of open.sockets.splice(0)) socket.disconnect();
  for (const server of open.servers.splice(0)) await server.close();
  for (const stores of open.stores.splice(0)) await stores.close();
}
afterEach(stopAll);
afterAll(() => dropDatabase(dbName));

describe('the lobby on the mongo store', () => {
  it('sent messages are stored, broadcast once, and still there after a restart with new stores', async () => {
    const first = await instance();
    const alice = await registerUser(first.url, { username: 'Alice_persist', displayName: 'Alice', password: 'correct horse battery' });
    const bob = await registerUser(first.url, { displayName: 'Bob' });
    const aliceTab = await lobby(first.url, alice);
    const bobTab = await lobby(first.url, bob);
    const atBob = recordMessages(bobTab);

    const sent: MessageDto[] = [];
    for (const [clientId, body] of [['p-1', 'hello'], ['p-2', 'still here?']] as const) {
      const ack = await request<MessageDto>(aliceTab, 'message:send', { clientId, body });
      if (!ack.ok) throw new Error(ack.error.message);
      sent.push(ack.data);
    }
    expect(sent.map((m) => [m.seq, m.author.name, m.body])).toEqual([[1, 'Alice', 'hello'], [2, 'Alice', 'still here?']]);
    await roundTrip(bobTab);
    expect(atBob).toEqual(sent);
    await stopAll();

    const second = await instance();
    // Sessions were stored too: the old cookie still opens a socket.
    const bobAgain = await lobby(second.url, bob);
    const caughtUp = await request<MessagePage>(bobAgain, 'message:sync', { afterSeq: 0 });
    expect(caughtUp).toEqual({ ok: true, data: { messages: sent, hasMore: false } });
    const history = await request<MessagePage>(bobAgain, 'message:history', { limit: 1 });
    expect(history).toEqual({ ok: true, data: { messages: [sent[1]], hasMore: true } });

    // A retry that reaches the new instance is recognised as the stored original.
    const aliceAgain = await lobby(second.url, alice);
    const retry = await request<MessageDto>(aliceAgain, 'message:send', { clientId: 'p-1', body: 'hello' });
    expect(retry).toEqual({ ok: true, data: sent[0] });
    const next = await request<MessageDto>(aliceAgain, 'message:send', { clientId: 'p-3', body: 'back again' });
    expect(next).toMatchObject({ ok: true, data: { seq: 3 } });

    const signIn = await postJson(second.url, '/api/auth/login', { username: 'alice_PERSIST', password: 'correct horse battery' });
    expect(signIn.status).toBe(200);
    // Alice registered first: the server's admin, which only session answers say.
    expect(signIn.body.user).toEqual({ ...alice.user, role: 'admin' });
  });

  it('two instances on one database number a shared room without gaps or duplicates', async () => {
    const one = await instance();
    const two = await instance();
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const aliceTab = await lobby(one.url, alice);
    const bobTab = await lobby(two.url, bob);
    const aliceOnTwo = await lobby(two.url, alice);
    const before = await roundTrip(aliceTab);

    const acks = await Promise.all([
      ...Array.from({ length: 15 }, (_, i) => request<MessageDto>(aliceTab, 'message:send', { clientId: `a-${i}`, body: `a${i}` })),
      ...Array.from({ length: 15 }, (_, i) => request<MessageDto>(bobTab, 'message:send', { clientId: `b-${i}`, body: `b${i}` })),
      // one send retried through both instances at once
      ...Array.from({ length: 6 }, (_, i) => request<MessageDto>(i % 2 ? aliceTab : aliceOnTwo, 'message:send', { clientId: 'twice', body: 'once' })),
    ]);
    expect(acks.every((a) => a.ok)).toBe(true);

    const stored = (await roundTrip(bobTab)).slice(before.length);
    const start = before.length + 1;
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 31 }, (_, i) => start + i));
    expect(stored.filter((m) => m.body === 'once')).toHaveLength(1);
    const onces = acks.filter((a) => a.ok && a.data.clientId === 'twice');
    expect(new Set(onces.map((a) => a.ok && a.data.id)).size).toBe(1);
  });
});
