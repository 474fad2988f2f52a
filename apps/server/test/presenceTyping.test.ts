import { dmRoomId, type PresenceDto, type TypingDto } from '@confab/shared';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/testing.js';
import { eventually, lobbyClient, registerUser, request, roundTrip, settle, type LobbyClient, type TestUser } from './support/client.js';
import { connectDm, dmRequest, recordDm, type DmClient } from './support/dmClient.js';
import { useServer } from './support/server.js';

const harness = useServer();
const dms: DmClient[] = [];
afterEach(() => {
  for (const socket of dms.splice(0)) socket.disconnect();
});

/** The changes a client applies: each revision once (the sweep re-announces recent ones). */
function recordPresence(socket: LobbyClient) {
  const updates: PresenceDto[] = [];
  const seen = new Set<number>();
  socket.on('presence:changes', (changes: PresenceDto[]) => changes.forEach((p) => {
    if (seen.has(p.rev)) return;
    seen.add(p.rev);
    updates.push(p);
  }));
  return updates;
}

function recordTyping(socket: LobbyClient) {
  const events: TypingDto[] = [];
  socket.on('typing', (t) => events.push(t));
  return events;
}

/** A server on a clock the test moves; sweeps run every 20 ms so "away" follows the clock promptly. */
async function serverWithClock() {
  let now = Date.now();
  const server = await harness.start({ now: () => new Date(now), config: { awayAfterMs: 60_000, presenceSweepMs: 20 } });
  return { server, advance: (ms: number) => void (now += ms) };
}

/** A connected lobby socket that has had its presence snapshot: it hears every change after. */
async function lobby(url: string, user: TestUser): Promise<LobbyClient> {
  const socket = harness.track(lobbyClient(url, { cookie: user.cookie }));
  const snapshot = new Promise((resolve) => socket.once('presence:snapshot', resolve));
  socket.connect();
  await snapshot;
  return socket;
}

describe('presence', () => {
  it('is aggregated over tabs: one of two closing keeps the user online; both closing tells every observer once', async () => {
    const { server } = await serverWithClock();
    const [alice, carol] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const observer = await lobby(server.url, carol);
    const all = recordPresence(observer);
    // Carol's own change may be re-announced to her: only Alice's matter here.
    const updates = all.filter.bind(all, (u) => u.userId === alice.user.id);

    const tab1 = await lobby(server.url, alice);
    await eventually(() => expect(updates()).toEqual([expect.objectContaining({ userId: alice.user.id, state: 'online' })]));
    const tab2 = await lobby(server.url, alice);
    tab1.disconnect();
    await roundTrip(tab2);
    await settle(200);
    expect(updates().map((u) => u.state)).toEqual(['online']);

    tab2.disconnect();
    await eventually(() => expect(updates().map((u) => u.state)).toEqual(['online', 'offline']));
    await settle(200);
    expect(updates().filter((u) => u.state === 'offline')).toEqual([{ userId: alice.user.id, state: 'offline', lastSeenAt: expect.any(String), rev: expect.any(Number) }]);
    expect(updates()[1]!.rev).toBeGreaterThan(updates()[0]!.rev);
  });

  it('repairs a batch lost between instances: the next sweep sends it to the sockets that missed it, with the same rev', async () => {
    // Pub/sub between instances can drop a message (a Redis reconnect); here instance B loses
    // the batch that says Alice went offline, and its observer must still end up with the truth.
    const stores = createMemoryStores();
    const config = { presenceSweepMs: 200, sessionSecret: randomBytes(32).toString('base64url') };
    const a = await harness.start({ stores, config, redisUrl: 'redis://127.0.0.1:6379' });
    const b = await harness.start({ stores, config, redisUrl: 'redis://127.0.0.1:6379' });
    const [alice, carol] = await Promise.all([registerUser(a.url), registerUser(a.url)]);
    const observer = await lobby(b.url, carol);
    const tab = await lobby(a.url, alice);
    await eventually(async () => expect(await request(observer, 'presence:get', { userIds: [alice.user.id] })).toMatchObject({ ok: true, data: [{ state: 'online' }] }));

    const lobbyOfB = b.app.io.of('/lobby');
    const [receive] = lobbyOfB.listeners('presence:changes') as ((batch: PresenceDto[]) => void)[];
    lobbyOfB.removeAllListeners('presence:changes');
    let lost = 0;
    lobbyOfB.on('presence:changes', (batch: PresenceDto[]) => {
      if (lost === 0 && batch.some((p) => p.userId === alice.user.id && p.state === 'offline')) lost += 1;
      else receive!(batch);
    });
    const heard: PresenceDto[] = [];
    observer.on('presence:changes', (changes: PresenceDto[]) => changes.forEach((p) => p.userId === alice.user.id && p.state === 'offline' && heard.push(p)));
    tab.disconnect();
    // In either order: B's sweep may repair before the lost batch would have arrived (a loaded
    // machine delays A's flush), or after it; either way the batch is dropped and the observer
    // still learns the truth.
    await eventually(() => expect(lost).toBe(1), 3_000);
    await eventually(() => expect(heard.length).toBeGreaterThan(0), 3_000);
    // An offline user is answered with the revision the server read at: the change's, or later.
    const truth = await request<PresenceDto[]>(observer, 'presence:get', { userIds: [alice.user.id] });
    expect(truth.ok && truth.data[0]).toMatchObject({ state: 'offline' });
    expect(truth.ok && truth.data[0]!.rev).toBeGreaterThanOrEqual(heard[0]!.rev);
  });

  it('re-sends nothing to sockets that heard every change: a quiet server writes nothing', async () => {
    const server = await harness.start({ config: { presenceSweepMs: 50 } });
    const [alice, carol] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const observer = await lobby(server.url, carol);
    const batches: PresenceDto[][] = [];
    observer.on('presence:changes', (changes: PresenceDto[]) => batches.push(changes));
    await lobby(server.url, alice);
    await eventually(() => expect(batches.flat().map((p) => p.userId)).toContain(alice.user.id));
    const heardSoFar = batches.length;
    // Several sweeps, each of which used to re-send the changes of the last two intervals.
    await settle(500);
    expect(batches.slice(heardSoFar)).toEqual([]);
  });

  it('sends a snapshot on connect, then changes only', async () => {
    const { server } = await serverWithClock();
    const [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    await lobby(server.url, alice);
    const socket = harness.track((await import('./support/client.js')).lobbyClient(server.url, { cookie: bob.cookie }));
    const snapshot = new Promise<PresenceDto[]>((resolve) => socket.once('presence:snapshot', resolve));
    socket.connect();
    const ids = (await snapshot).filter((p) => p.state === 'online').map((p) => p.userId).sort();
    expect(ids).toEqual([alice.user.id, bob.user.id].sort());
  });

  it('gives a connecting socket the snapshot first, already listing its own user, and no update older than it', async () => {
    const { server } = await serverWithClock();
    const [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const aliceTab = await lobby(server.url, alice);
    for (let i = 0; i < 5; i += 1) {
      const socket = harness.track(lobbyClient(server.url, { cookie: bob.cookie }));
      const events: { event: string; args: unknown[] }[] = [];
      socket.onAny((event: string, ...args: unknown[]) => event.startsWith('presence:') && events.push({ event, args }));
      socket.connect();
      // presence:get is answered after the connect's own work: anything sent by then has arrived.
      await eventually(() => expect(events.length).toBeGreaterThan(0));
      await request(socket, 'presence:get', { userIds: [bob.user.id] });
      expect(events[0]!.event).toBe('presence:snapshot');
      const [snapshot, meta] = events[0]!.args as [PresenceDto[], { rev: number }];
      expect(snapshot.filter((p) => p.state === 'online').map((p) => p.userId).sort()).toEqual([alice.user.id, bob.user.id].sort());
      const updates = events.slice(1).map((e) => e.args[0] as PresenceDto);
      expect(updates.filter((u) => u.rev > meta.rev)).toEqual([]);
      // Offline again, so the next connect is a change of state too.
      socket.disconnect();
      await eventually(async () => expect(await request(aliceTab, 'presence:get', { userIds: [bob.user.id] })).toMatchObject({ ok: true, data: [{ state: 'offline' }] }));
    }
  });

  it('turns away when every tab is idle for the configured time, and online again on activity', async () => {
    const { server, advance } = await serverWithClock();
    const [alice, carol] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const observer = await lobby(server.url, carol);
    const updates = recordPresence(observer);
    const [tab1, tab2] = [await lobby(server.url, alice), await lobby(server.url, alice)];
    const states = () => updates.filter((u) => u.userId === alice.user.id).map((u) => u.state);

    advance(30_000);
    expect(await request(tab1, 'presence:active', {})).toEqual({ ok: true, data: null });
    advance(45_000);
    await settle(150);
    // tab1 was active 45 s ago: still online although tab2 has been idle for 75 s.
    expect(states()).toEqual(['online']);

    advance(20_000);
    await eventually(() => expect(states()).toEqual(['online', 'away']));
    await request(tab2, 'presence:active', {});
    await eventually(() => expect(states()).toEqual(['online', 'away', 'online']));
  });

  it('answers presence:get for offline users with their last-seen time', async () => {
    const { server } = await serverWithClock();
    const [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    const bobTab = await lobby(server.url, bob);
    const aliceTab = await lobby(server.url, alice);
    aliceTab.disconnect();
    await eventually(async () => {
      const res = await request<PresenceDto[]>(bobTab, 'presence:get', { userIds: [alice.user.id, bob.user.id] });
      expect(res).toEqual({
        ok: true,
        data: [
          { userId: alice.user.id, state: 'offline', lastSeenAt: expect.any(String), rev: expect.any(Number) },
          { userId: bob.user.id, state: 'online', lastSeenAt: expect.any(String), rev: expect.any(Number) },
        ],
      });
    });
    expect(await request(bobTab, 'presence:get', { userIds: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});

describe('typing', () => {
  it('in the lobby: relayed to the others, never echoed to any of the typer\'s own tabs', async () => {
    const server = await harness.start();
    const [alice, bob] = await Promise.all([registerUser(server.url, { displayName: 'Alice' }), registerUser(server.url)]);
    const [aliceTab1, aliceTab2, bobTab] = [await lobby(server.url, alice), await lobby(server.url, alice), await lobby(server.url, bob)];
    const atBob = recordTyping(bobTab);
    const atAlice2 = recordTyping(aliceTab2);

    expect(await request(aliceTab1, 'typing:start', {})).toEqual({ ok: true, data: null });
    await request(aliceTab1, 'typing:stop', {});

    await eventually(() =>
      expect(atBob).toEqual([
        { roomId: 'lobby', user: { id: alice.user.id, name: 'Alice' }, isTyping: true },
        { roomId: 'lobby', user: { id: alice.user.id, name: 'Alice' }, isTyping: false },
      ]),
    );
    await roundTrip(aliceTab2);
    expect(atAlice2).toEqual([]);
    expect(await request(aliceTab1, 'typing:start', { user: bob.user.id })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('in a DM: only the other participant hears it; an outsider can neither send nor receive it', async () => {
    const server = await harness.start();
    const [alice, bob, carol] = await Promise.all([registerUser(server.url), registerUser(server.url), registerUser(server.url)]);
    const [aliceDm, bobDm, carolDm] = await Promise.all([alice, bob, carol].map((u) => connectDm(server.url, u)));
    dms.push(aliceDm!, bobDm!, carolDm!);
    const roomId = dmRoomId(alice.user.id, bob.user.id);
    const atBob = recordDm(bobDm!, 'typing');
    const atCarol = recordDm(carolDm!, 'typing');
    const atAlice = recordDm(aliceDm!, 'typing');

    expect(await dmRequest(aliceDm!, 'typing:start', { roomId })).toEqual({ ok: true, data: null });
    expect(await dmRequest(carolDm!, 'typing:start', { roomId })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'You are not a member of this room.' },
    });

    await eventually(() => expect(atBob).toEqual([expect.objectContaining({ roomId, isTyping: true, user: expect.objectContaining({ id: alice.user.id }) })]));
    await dmRequest(carolDm!, 'dm:conversations', {});
    await dmRequest(aliceDm!, 'dm:conversations', {});
    await settle();
    expect(atCarol).toEqual([]);
    expect(atAlice).toEqual([]);
  });
});
