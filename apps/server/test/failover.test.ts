import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, settle, type LobbyClient, type TestUser } from './support/client.js';
import { startCluster, type ClusterServer, type RunningCluster } from './support/cluster.js';
import { connectLobbyVia, latestSeq, syncAll } from './support/clusterClients.js';
import { ChattyClient } from './support/failoverClient.js';
import { dropDatabase, mongoUrl, testDatabaseName } from './support/mongo.js';

// Failover under load: 200 lobby tabs chat across the cluster's two instances while one of
// them is SIGKILLed. Its tabs reconnect through nginx to the survivor, catch up and resend what
// was never acked; no acked message may be lost or stored twice, and every tab must end with
// the same gapless history.

const USERS = 20;
const TABS_PER_USER = 10;
// Each tab sends one message every 1–2 s: ~130 messages/s in all, each fanned out to 200
// sockets: a busy lobby, which the product should carry. (It used to be sized down to ~27/s,
// all that FerretDB stored here while every append read the room; appends now read nothing.)
const SEND_EVERY_MS = [1_000, 2_000] as const;
const BEFORE_CRASH_MS = 4_000;
const AFTER_CRASH_MS = 6_000;

// Everything is lifted: the load comes from one address, far above what one person may send.
const UNLIMITED = { points: 1_000_000, durationSeconds: 1 };
const RATE_LIMITS = Object.fromEntries(
  ['messages', 'typing', 'signInPerUsername', 'signInPerAddress', 'registrationsPerAddress', 'connectionsPerAddress'].map((name) => [name, UNLIMITED]),
);

const dbName = testDatabaseName(fileURLToPath(import.meta.url));
let cluster: RunningCluster;
const sockets: LobbyClient[] = [];
const clients: ChattyClient[] = [];

beforeAll(async () => {
  const url = new URL(mongoUrl());
  url.pathname = `/${dbName}`;
  // Two hundred clients from one address (this machine): the per-address connection caps are for
  // the internet, not for a load test from 127.0.0.1.
  cluster = await startCluster({
    MONGODB_URL: url.toString(),
    RATE_LIMITS: JSON.stringify(RATE_LIMITS),
    SOCKET_CONNECTIONS_PER_ADDRESS: '0',
    HTTP_CONNECTIONS_PER_ADDRESS: '0',
  });
}, 180_000);

afterAll(async () => {
  for (const client of clients) client.stop();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await cluster?.stop();
  await dropDatabase(dbName);
}, 60_000);

describe('[REDIS_URL] failover under load', () => {
  it('loses and duplicates no acked message when instance B is SIGKILLed under 200 chatting tabs', async () => {
    const [a, b] = cluster.servers as [ClusterServer, ClusterServer];
    const users: TestUser[] = [];
    // Registered straight on each instance, a few at a time: argon2 makes each take ~60 ms.
    for (let i = 0; i < USERS; i += 4) {
      users.push(...(await Promise.all([a, b, a, b].map((server) => registerUser(server.url)))));
    }

    // nginx hashes the client address, and every client here is 127.0.0.1: through nginx all of
    // them would land on one instance. Half are pinned to each instance's own port instead.
    // Node clients send no Origin, which the server allows.
    const track = (socket: LobbyClient) => void sockets.push(socket);
    const pinned = users.flatMap((user, u) => Array.from({ length: TABS_PER_USER }, (_, t) => ({ user, server: (u * TABS_PER_USER + t) % 2 ? b : a })));
    const first = await connectLobbyVia(a.url, users[0]!, { transports: ['websocket'] });
    track(first);
    const baseSeq = await latestSeq(first);
    for (let i = 0; i < pinned.length; i += 25) {
      const batch = await Promise.all(pinned.slice(i, i + 25).map(({ user, server }) => connectLobbyVia(server.url, user, { transports: ['websocket'] })));
      batch.forEach((socket, j) => {
        track(socket);
        clients.push(new ChattyClient(pinned[i + j]!.user, socket, baseSeq, cluster.url, track));
      });
    }
    const onB = clients.filter((_, i) => pinned[i]!.server === b);

    const started = Date.now();
    for (const client of clients) client.start(...SEND_EVERY_MS);
    await settle(BEFORE_CRASH_MS);
    const crashedAt = Date.now();
    await cluster.crash(b);
    await settle(AFTER_CRASH_MS);
    for (const client of clients) client.stop();

    // Every send must end acked: the survivor takes B's tabs and their retries.
    const drain = Promise.all(clients.map((client) => client.drained()));
    await Promise.race([drain, settle(30_000).then(() => Promise.reject(new Error(`still unacked: ${JSON.stringify({ pending: clients.reduce((n, c) => n + c.pendingCount, 0), acked: clients.reduce((n, c) => n + c.acked.size, 0), failed: clients.reduce((n, c) => n + c.failedSends, 0), reconnects: onB.reduce((n, c) => n + c.reconnects, 0), pendingOnB: onB.reduce((n, c) => n + c.pendingCount, 0), codes: [...new Set(clients.flatMap((c) => [...c.failures.keys()]))] })}`)))]);
    const drainedAt = Date.now();
    for (const client of clients) await client.view.catchUp(client.socket);

    // The stored history: seqs without gaps, each acked clientId once.
    const history = await syncAll(first, baseSeq);
    const acked = clients.flatMap((client) => [...client.acked.entries()]);
    const storedByClientId = new Map<string, number>();
    for (const message of history) storedByClientId.set(message.clientId, (storedByClientId.get(message.clientId) ?? 0) + 1);
    const lost = acked.filter(([clientId]) => !storedByClientId.has(clientId)).length;
    const storedTwice = [...storedByClientId.values()].filter((n) => n > 1).length;

    // What each tab shows: every stored message once, in seq order.
    const historyIds = history.map((m) => m.id);
    const missingInViews = clients.reduce((n, c) => n + history.length - c.view.messages().length, 0);
    const duplicates = storedTwice + clients.reduce((n, c) => n + c.view.duplicates.length + c.view.conflicts.length + c.ackConflicts.length, 0);
    const reconnects = onB.reduce((n, c) => n + c.reconnects, 0);

    console.log(
      JSON.stringify({
        clients: clients.length,
        onB: onB.length,
        acked: acked.length,
        stored: history.length,
        lost,
        duplicates,
        missingInViews,
        reconnects,
        failedSends: clients.reduce((n, c) => n + c.failedSends, 0),
        crashToDrainedMs: drainedAt - crashedAt,
        durationMs: Date.now() - started,
      }),
    );

    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(reconnects).toBe(onB.length);
    expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => baseSeq + 1 + i));
    expect(history.length).toBe(acked.length);
    for (const [clientId, message] of acked) expect(history.find((m) => m.clientId === clientId)).toEqual(message);
    for (const client of clients) expect(client.view.messages().map((m) => m.id)).toEqual(historyIds);
    // What it asserts is loss and duplication, not speed: on FerretDB its run here varies from
    // 40 s to over 90 s on the same code (the figures it prints say where the time went).
  }, 180_000);
});
