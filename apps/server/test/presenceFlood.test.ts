import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/testing.js';
import { lobbyClient, request, type LobbyClient } from './support/client.js';
import { startRedisServer, type RedisServer } from './support/redisServer.js';

// Presence events cost Redis commands on the connection that also renews the instance's lease:
// a flood from one socket must cost a bounded number of them, or the lease lapses and other
// instances show every user of this one offline. Counted, not timed.

let redisServer: RedisServer;
let admin: RedisClientType;
const servers: RunningServer[] = [];
const sockets: LobbyClient[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
  admin = createClient({ url: redisServer.url }) as RedisClientType;
  await admin.connect();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});
afterAll(async () => {
  await admin?.close();
  await redisServer?.kill();
});

async function redisCommands(): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1]);
}

describe('a socket flooding presence events', () => {
  it('costs a few Redis commands for a thousand presence:active, and has at most four presence:get waiting at once', async () => {
    const server = await startServer({ redisUrl: redisServer.url, config: { presenceSweepMs: 60_000 } });
    servers.push(server);
    const [mallory, other] = [await server.seedUser(), await server.seedUser()];
    const socket = lobbyClient(server.url, { cookie: mallory.cookie });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    });

    const before = await redisCommands();
    const actives = await Promise.all(Array.from({ length: 1_000 }, () => request(socket, 'presence:active', {})));
    expect(actives.every((ack) => ack.ok)).toBe(true);
    // One report taken (up to ten commands: its write and the claim's reads), the rest acked for free.
    expect((await redisCommands()) - before).toBeLessThan(50);

    const lookups = await Promise.all(Array.from({ length: 50 }, () => request(socket, 'presence:get', { userIds: [other.user.id] })));
    const answered = lookups.filter((ack) => ack.ok).length;
    expect(answered).toBeGreaterThanOrEqual(4);
    expect(answered).toBeLessThan(50);
    expect(lookups.find((ack) => !ack.ok)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // Asked one at a time, every one is answered.
    for (let i = 0; i < 5; i += 1) expect(await request(socket, 'presence:get', { userIds: [other.user.id] })).toMatchObject({ ok: true });
  });
});
