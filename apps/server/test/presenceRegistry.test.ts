import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPresenceRegistry } from '../src/presence/memoryRegistry.js';
import { RedisPresenceRegistry } from '../src/presence/redisRegistry.js';
import type { PresenceRegistry, PresenceState } from '../src/presence/registry.js';
import { eventually, settle } from './support/client.js';
import { startRedisServer, type RedisServer } from './support/redisServer.js';

let redisServer: RedisServer;
const clients: RedisClientType[] = [];
beforeAll(async () => {
  redisServer = await startRedisServer();
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await redisServer?.kill();
});

async function redisClient(): Promise<RedisClientType> {
  const client = createClient({ url: redisServer.url, disableOfflineQueue: true }) as RedisClientType;
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

async function redisRegistry(instanceId: string, prefix: string, leaseMs = 10_000): Promise<RedisPresenceRegistry> {
  const registry = new RedisPresenceRegistry(await redisClient(), { instanceId, leaseMs, prefix });
  await registry.start();
  return registry;
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe.each([
  ['memory', async () => new MemoryPresenceRegistry() as PresenceRegistry],
  ['redis', async () => (await redisRegistry('i1', `test:${randomUUID()}`)) as PresenceRegistry],
])('presence registry (%s)', (_kind, make) => {
  it('keeps connections, their activity, and last-seen times', async () => {
    const registry = await make();
    await registry.add({ connectionId: 'c1', userId: 'u1', instanceId: 'i1', lastActiveAt: at(1) });
    await registry.add({ connectionId: 'c2', userId: 'u1', instanceId: 'i1', lastActiveAt: at(2) });
    await registry.markActive('c1', at(5));
    await registry.markActive('c1', at(3)); // never moves back
    expect((await registry.connections(['u1'])).map((c) => [c.connectionId, c.lastActiveAt.toISOString()]).sort()).toEqual([
      ['c1', at(5).toISOString()],
      ['c2', at(2).toISOString()],
    ]);
    await registry.remove('c1', at(6));
    await registry.remove('c2', at(7));
    expect(await registry.connections()).toEqual([]);
    expect(await registry.lastSeen(['u1', 'u2'])).toEqual(new Map([['u1', at(7)]]));
    await registry.close();
  });

  it('lets exactly one caller claim each change of state, under a revision above every earlier one', async () => {
    const registry = await make();
    const change = (state: PresenceState) => ({ userId: 'u1', state, lastSeenAt: null });
    const claims = await Promise.all(Array.from({ length: 10 }, () => registry.claimChange(change('online'), 0)));
    const won = claims.filter((c) => c.kind === 'claimed');
    expect(won).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'unchanged')).toHaveLength(9);
    const away = await registry.claimChange(change('away'), 0);
    const offline = await registry.claimChange(change('offline'), 0);
    expect(await registry.claimChange(change('offline'), 0)).toEqual({ kind: 'unchanged' });
    const other = await registry.claimChange({ userId: 'u2', state: 'online', lastSeenAt: null }, 0);
    const revs = [won[0], away, offline, other].map((c) => (c?.kind === 'claimed' ? c.rev : NaN));
    expect(revs).toEqual([...revs].sort((x, y) => x - y));
    expect(new Set(revs).size).toBe(4);
    const published = await registry.published();
    expect(published.rev).toBe(revs[3]);
    expect(published.states.get('u1')).toMatchObject({ state: 'offline', rev: revs[2] });
    await registry.close();
  });

  it('forgets a pruned offline user\'s version, but not one whose connection is still held', async () => {
    const registry = await make();
    await registry.add({ connectionId: 'g1', userId: 'gone', instanceId: 'i1', lastActiveAt: at(1) });
    await registry.remove('g1', at(2));
    const goneVersion = (await registry.versions(['gone'])).get('gone')!;
    expect(await registry.claimChange({ userId: 'gone', state: 'offline', lastSeenAt: at(2).toISOString() }, goneVersion)).toMatchObject({ kind: 'unchanged' });
    await registry.claimChange({ userId: 'gone', state: 'online', lastSeenAt: null }, goneVersion);
    await registry.claimChange({ userId: 'gone', state: 'offline', lastSeenAt: at(2).toISOString() }, goneVersion);
    await registry.add({ connectionId: 'h1', userId: 'held', instanceId: 'i1', lastActiveAt: at(3) });
    const heldVersion = (await registry.versions(['held'])).get('held')!;
    await registry.claimChange({ userId: 'held', state: 'online', lastSeenAt: null }, heldVersion);
    await registry.claimChange({ userId: 'held', state: 'offline', lastSeenAt: null }, heldVersion);

    await registry.pruneOffline(Date.now() + 60_000);
    expect([...(await registry.versions()).keys()]).toEqual(['held']);
    expect((await registry.published()).states.size).toBe(0);
    await registry.close();
  });

  it('refuses a claim computed before the user\'s connections changed', async () => {
    const registry = await make();
    const before = (await registry.versions(['u1'])).get('u1') ?? 0;
    await registry.add({ connectionId: 'c1', userId: 'u1', instanceId: 'i1', lastActiveAt: at(1) });
    // Computed from a read without c1: offline would be wrong now.
    expect(await registry.claimChange({ userId: 'u1', state: 'away', lastSeenAt: null }, before)).toEqual({ kind: 'stale' });
    const now = (await registry.versions(['u1'])).get('u1')!;
    expect(await registry.claimChange({ userId: 'u1', state: 'online', lastSeenAt: null }, now)).toMatchObject({ kind: 'claimed' });
    await registry.remove('c1', at(2));
    await registry.remove('c1', at(3)); // idempotent: the second removal changes nothing
    expect((await registry.versions(['u1'])).get('u1')).toBe(now + 1);
    await registry.close();
  });
});

describe('the Redis registry across instances', () => {
  it('drops a crashed instance\'s connections once its lease expires, recording last-seen', async () => {
    const prefix = `test:${randomUUID()}`;
    const survivor = await redisRegistry('survivor', prefix);
    const doomedClient = await redisClient();
    const doomed = new RedisPresenceRegistry(doomedClient, { instanceId: 'doomed', leaseMs: 300, prefix });
    await doomed.start();
    await doomed.add({ connectionId: 'd1', userId: 'u9', instanceId: 'doomed', lastActiveAt: at(1) });
    expect((await survivor.connections()).map((c) => c.userId)).toEqual(['u9']);

    // A crash: the instance stops renewing its lease without cleaning up.
    await doomedClient.close();
    await eventually(async () => expect(await survivor.connections()).toEqual([]), 3_000);
    await survivor.reapExpired(at(30));
    expect(await survivor.lastSeen(['u9'])).toEqual(new Map([['u9', at(30)]]));
    await survivor.close();
  });

  it("leaves no ghost when a removal's write is lost in a blip: the next renewal replaces the hash with what the instance holds", async () => {
    const prefix = `test:${randomUUID()}`;
    // A lease that outlives the blip: only the failed write can bring the rewrite about.
    const registry = await redisRegistry('blinker', prefix, 3_000);
    const observer = await redisRegistry('watcher', prefix);
    const admin = await redisClient();
    await registry.add({ connectionId: 'b1', userId: 'u1', instanceId: 'blinker', lastActiveAt: at(1) });
    await registry.add({ connectionId: 'b2', userId: 'u2', instanceId: 'blinker', lastActiveAt: at(2) });

    // The removal's script waits behind paused writes; then the connection resets under it.
    await admin.sendCommand(['CLIENT', 'PAUSE', '2000', 'WRITE']);
    const removal = registry.remove('b1', at(3)).then(() => 'written', (err: unknown) => err);
    await settle(200);
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
    await admin.sendCommand(['CLIENT', 'UNPAUSE']);
    expect(await removal).toBeInstanceOf(Error);

    await eventually(async () => expect((await observer.connections()).map((c) => c.connectionId)).toEqual(['b2']), 3_000);
    expect((await observer.lastSeen(['u1'])).has('u1')).toBe(true);
    await registry.close();
    await observer.close();
  });

  it('writes its own connections back when Redis loses its data, at the next lease renewal', async () => {
    const prefix = `test:${randomUUID()}`;
    const registry = await redisRegistry('keeper', prefix, 300);
    const observer = await redisRegistry('observer', prefix);
    await registry.add({ connectionId: 'k1', userId: 'u1', instanceId: 'keeper', lastActiveAt: at(1) });
    await registry.add({ connectionId: 'k2', userId: 'u2', instanceId: 'keeper', lastActiveAt: at(2) });
    await registry.remove('k2', at(3));
    await registry.markActive('k1', at(4));

    // What a Redis restart without persistence leaves behind.
    await (await redisClient()).flushAll();
    expect(await observer.connections()).toEqual([]);

    await eventually(async () => expect(await observer.connections()).toEqual([{ connectionId: 'k1', userId: 'u1', instanceId: 'keeper', lastActiveAt: at(4) }]), 3_000);
    await registry.close();
    await observer.close();
  });
});

