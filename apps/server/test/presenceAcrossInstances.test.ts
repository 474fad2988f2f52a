import type { PresenceDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer } from '../src/testing.js';
import { connectLobby, connectObserver, eventually, registerUser, request, settle, type LobbyClient, type TestUser } from './support/client.js';
import { startLatencyProxy, type LatencyProxy } from './support/latencyProxy.js';
import { PresenceView } from './support/presenceView.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

// Two instances in this process share one store and a redis-server of this file's own.
// Hooks run last-registered first: the proxies close after the servers that use them.
const proxies: LatencyProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
const harness = useServer();
const redis = useRedisServer();
const SWEEP_MS = 300;

type Link = { minMs: number; maxMs: number } | 'direct';

/** Two instances, each reaching Redis directly or over a link whose latency varies (as from another zone). */
async function twoInstances(links: [Link, Link]): Promise<[RunningServer, RunningServer]> {
  const stores = createMemoryStores();
  const config = { sessionSecret: 'presence-across-instances-secret-0123456789', presenceSweepMs: SWEEP_MS };
  const [a, b] = await Promise.all(
    links.map(async (link) => {
      if (link === 'direct') return harness.start({ stores, config, redisUrl: redis.url });
      const proxy = await startLatencyProxy(redis.port, link);
      proxies.push(proxy);
      return harness.start({ stores, config, redisUrl: proxy.url });
    }),
  );
  return [a!, b!];
}

/**
 * Moves the user's one `/lobby` socket to the other instance, as a client switching servers
 * does: open the new socket, and as soon as it is connected close the old one.
 */
async function switchOver(from: LobbyClient, to: RunningServer, user: TestUser): Promise<LobbyClient> {
  const next = await connectLobby(to.url, user);
  from.disconnect();
  return next;
}

async function presenceGet(socket: LobbyClient, userId: string): Promise<PresenceDto> {
  const res = await request<PresenceDto[]>(socket, 'presence:get', { userIds: [userId] });
  if (!res.ok) throw new Error(`presence:get failed: ${res.error.code}`);
  return res.data[0]!;
}

describe('presence across two instances', () => {
  it('never tells an observer a user is offline while she holds a connection, through 60 switches between instances', async () => {
    // B's writes land later than its clients' packets.
    const [a, b] = await twoInstances(['direct', { minMs: 5, maxMs: 15 }]);
    const [alice, bob] = [await registerUser(a.url), await registerUser(a.url)];
    const observer = harness.track(await connectObserver(a.url, bob));
    const updates: PresenceDto[] = [];
    observer.on('presence:changes', (changes: PresenceDto[]) => changes.forEach((p) => p.userId === alice.user.id && updates.push(p)));

    let socket = await connectLobby(a.url, alice);
    for (let i = 0; i < 60; i += 1) {
      socket = await switchOver(socket, i % 2 === 0 ? b : a, alice);
      // A user's pace: the instances have dealt with one switch before the next.
      await settle(100);
    }
    harness.track(socket);
    // Every recomputation the switches caused, and a few sweeps, have run by now.
    await settle(SWEEP_MS * 3);

    expect(updates.length).toBeGreaterThan(0);
    expect(updates.filter((p) => p.state === 'offline')).toEqual([]);
    expect((await presenceGet(observer, alice.user.id)).state).toBe('online');
  }, 60_000);

  it('brings every observer to what presence:get says within a sweep and a second after bursts of switches', async () => {
    // Each instance's subscriber may lag or overtake its commands: broadcasts arrive out of order.
    const [a, b] = await twoInstances([{ minMs: 0, maxMs: 10 }, { minMs: 0, maxMs: 10 }]);
    const [alice, bob, carol] = [await registerUser(a.url), await registerUser(a.url), await registerUser(b.url)];
    const observers = [harness.track(await connectLobby(a.url, bob)), harness.track(await connectLobby(b.url, carol))];
    const views = observers.map((observer) => {
      const view = new PresenceView();
      view.listen(observer);
      return view;
    });

    let socket = await connectLobby(a.url, alice);
    for (let burst = 0; burst < 8; burst += 1) {
      for (let i = 0; i < 8; i += 1) {
        socket = await switchOver(socket, i % 2 === 0 ? b : a, alice);
        await settle(30);
      }
      const burstEnd = Date.now();
      for (const [i, observer] of observers.entries()) {
        await eventually(async () => {
          const truth = await presenceGet(observer, alice.user.id);
          expect(truth.state).toBe('online');
          expect(views[i]!.stateOf(alice.user.id)).toBe(truth.state);
        }, SWEEP_MS + 1_000 - (Date.now() - burstEnd));
      }
      // Later messages must not undo it either.
      await settle(SWEEP_MS);
      for (const view of views) expect(view.stateOf(alice.user.id)).toBe('online');
    }
    harness.track(socket);
  }, 90_000);
});
