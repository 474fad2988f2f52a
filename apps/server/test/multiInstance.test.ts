import { dmRoomId, type MessageDto, type PresenceDto, type TypingDto } from '@confab/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/testing.js';
import { connectLobby, connectObserver, eventually, recordMessages, registerUser, request, roundTrip, settle, type LobbyClient } from './support/client.js';
import { LobbyView } from './support/clusterClients.js';
import { connectDm, dmRequest, recordDm, type DmClient } from './support/dmClient.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

// Two instances in this process share one store (as replicas share one database) and a real
// redis-server of this file's own, which the outage test kills and restarts.
const harness = useServer();
const redis = useRedisServer();

const config = { sessionSecret: 'multi-instance-test-secret-0123456789abcdef', presenceSweepMs: 50 };

async function twoInstances() {
  const stores = createMemoryStores();
  const a = await harness.start({ stores, config, redisUrl: redis.url });
  const b = await harness.start({ stores, config, redisUrl: redis.url });
  return { a, b };
}

const dms: DmClient[] = [];
async function dm(url: string, user: Parameters<typeof connectDm>[1]) {
  const socket = await connectDm(url, user);
  dms.push(socket);
  return socket;
}
afterAll(() => dms.forEach((s) => s.disconnect()));

describe('two instances behind one Redis', () => {
  it('deliver lobby messages and DMs across instances, exactly once', async () => {
    const { a, b } = await twoInstances();
    const alice = await registerUser(a.url, { displayName: 'Alice' });
    const bob = await registerUser(b.url, { displayName: 'Bob' });
    const aliceLobby = harness.track(await connectLobby(a.url, alice));
    const bobLobby = harness.track(await connectLobby(b.url, bob));
    const [aliceDm, bobDm] = [await dm(a.url, alice), await dm(b.url, bob)];
    const lobbyAtBob = recordMessages(bobLobby);
    const lobbyAtAlice = recordMessages(aliceLobby);
    const dmsAtAlice = recordDm(aliceDm, 'dm:message');

    const fromAlice = await request<MessageDto>(aliceLobby, 'message:send', { clientId: 'x-1', body: 'hi from A' });
    const fromBob = await request<MessageDto>(bobLobby, 'message:send', { clientId: 'x-2', body: 'hi from B' });
    const privateNote = await dmRequest<MessageDto>(bobDm, 'dm:send', { to: alice.user.id, clientId: 'x-3', body: 'psst' });

    // Across instances, arrival order may differ from seq order; clients place messages by seq.
    const bySeq = (messages: MessageDto[]) => [...messages].sort((x, y) => x.seq - y.seq);
    await eventually(() => expect(bySeq(lobbyAtBob).map((m) => m.body)).toEqual(['hi from A', 'hi from B']));
    await eventually(() => expect(bySeq(lobbyAtAlice).map((m) => m.body)).toEqual(['hi from A', 'hi from B']));
    await eventually(() => expect(dmsAtAlice).toEqual([privateNote.ok && privateNote.data]));
    await settle(200);
    expect(bySeq(lobbyAtBob)).toEqual([fromAlice.ok && fromAlice.data, fromBob.ok && fromBob.data]);
    expect(dmsAtAlice).toHaveLength(1);
  });

  it('share presence and typing: an observer on B sees Alice on A once, and her typing', async () => {
    const { a, b } = await twoInstances();
    const alice = await registerUser(a.url, { displayName: 'Alice' });
    const carol = await registerUser(b.url);
    const observer = harness.track(await connectObserver(b.url, carol));
    const presence: PresenceDto[] = [];
    const typing: TypingDto[] = [];
    // The sweep re-sends recent changes with the same rev (clients drop repeats), so count each rev once.
    observer.on('presence:changes', (changes: PresenceDto[]) => changes.forEach((p) => p.userId === alice.user.id && !presence.some((q) => q.rev === p.rev) && presence.push(p)));
    observer.on('typing', (t) => typing.push(t));

    const aliceTabs: LobbyClient[] = [harness.track(await connectLobby(a.url, alice)), harness.track(await connectLobby(b.url, alice))];
    await eventually(() => expect(presence.map((p) => p.state)).toEqual(['online']));
    await request(aliceTabs[0]!, 'typing:start', {});
    await eventually(() => expect(typing).toEqual([expect.objectContaining({ isTyping: true, user: expect.objectContaining({ id: alice.user.id }) })]));

    aliceTabs[0]!.disconnect();
    await settle(300);
    expect(presence.map((p) => p.state)).toEqual(['online']);
    aliceTabs[1]!.disconnect();
    await eventually(() => expect(presence.map((p) => p.state)).toEqual(['online', 'offline']));
    await settle(300);
    expect(presence.map((p) => p.state)).toEqual(['online', 'offline']);
  });

  it('survive a Redis outage: sends are stored and acked, /readyz says not ready, fan-out resumes by itself', async () => {
    const { a, b } = await twoInstances();
    const alice = await registerUser(a.url);
    const bob = await registerUser(b.url);
    const aliceLobby = harness.track(await connectLobby(a.url, alice));
    const bobLobby = harness.track(await connectLobby(b.url, bob));
    const atBob = recordMessages(bobLobby);

    await redis.kill();
    await eventually(async () => expect((await fetch(`${a.url}/readyz`)).status).toBe(503), 5_000);
    const duringOutage = await request<MessageDto>(aliceLobby, 'message:send', { clientId: 'out-1', body: 'while Redis is down' });
    expect(duringOutage).toMatchObject({ ok: true, data: { body: 'while Redis is down' } });
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);

    await redis.restart();
    await eventually(async () => expect((await fetch(`${a.url}/readyz`)).status).toBe(200), 10_000);
    await eventually(async () => expect((await fetch(`${b.url}/readyz`)).status).toBe(200), 10_000);
    // Bob missed the broadcast; catch-up by seq recovers it.
    const caughtUp = await roundTrip(bobLobby);
    expect(caughtUp.map((m) => m.body)).toEqual(['while Redis is down']);
    // And live fan-out works again without any restart.
    await eventually(async () => {
      const before = atBob.length;
      await request(aliceLobby, 'message:send', { clientId: `after-${Date.now()}`, body: 'after the outage' });
      await settle(150);
      expect(atBob.length).toBeGreaterThan(before);
    }, 10_000);
  });

  it('lose nothing acked when Redis restarts while clients on both instances chat: every view completes by itself', async () => {
    const { a, b } = await twoInstances();
    const homes = [a, a, b, b];
    const users = await Promise.all(homes.map((home, i) => registerUser(home.url, { displayName: `Chatter ${i}` })));
    const sockets = await Promise.all(homes.map(async (home, i) => harness.track(await connectLobby(home.url, users[i]!))));
    // Each view does only what the web app does unprompted: take live messages, and catch up by
    // seq when the server says `resync`. Nobody asks for a sync at the end.
    const views = sockets.map((socket) => {
      const view = new LobbyView(0);
      view.listen(socket);
      socket.on('resync', () => void view.catchUp(socket));
      return view;
    });
    const snapshots: PresenceDto[][][] = sockets.map(() => []);
    sockets.forEach((socket, i) => socket.on('presence:snapshot', (snapshot) => snapshots[i]!.push(snapshot)));
    // A DM pair across the instances too: Alice on A writes to Bob on B.
    const [aliceDm, bobDm] = [await dm(a.url, users[0]!), await dm(b.url, users[2]!)];
    const roomId = dmRoomId(users[0]!.user.id, users[2]!.user.id);
    const bobsDms = new Map<string, MessageDto>();
    bobDm.on('dm:message', (m) => void bobsDms.set(m.id, m));
    bobDm.on('resync', async () => {
      const res = await dmRequest<{ messages: MessageDto[] }>(bobDm, 'dm:sync', { roomId, afterSeq: 0 });
      if (res.ok) for (const m of res.data.messages) bobsDms.set(m.id, m);
    });

    const acked: MessageDto[] = [];
    const ackedDms: MessageDto[] = [];
    let isChatting = true;
    let sent = 0;
    const chatter = sockets.map(async (socket, i) => {
      while (isChatting) {
        const res = await request<MessageDto>(socket, 'message:send', { clientId: `restart-${i}-${sent++}`, body: `from ${i}` });
        if (res.ok) acked.push(res.data);
        if (i === 0) {
          const note = await dmRequest<MessageDto>(aliceDm, 'dm:send', { to: users[2]!.user.id, clientId: `restart-dm-${sent++}`, body: 'psst' });
          if (note.ok) ackedDms.push(note.data);
        }
        await settle(40);
      }
    });

    await settle(400);
    // The first snapshot can arrive before its listener is bound: count the ones after the gap.
    const snapshotsBefore = snapshots.map((received) => received.length);
    await redis.kill();
    await eventually(async () => expect((await fetch(`${b.url}/readyz`)).status).toBe(503), 5_000);
    await settle(800);
    const ackedDuringOutage = acked.length;
    await redis.restart();
    await eventually(async () => expect((await fetch(`${a.url}/readyz`)).status).toBe(200), 10_000);
    await eventually(async () => expect((await fetch(`${b.url}/readyz`)).status).toBe(200), 10_000);
    await settle(300);
    isChatting = false;
    await Promise.all(chatter);
    expect(ackedDuringOutage).toBeGreaterThan(10);

    const ackedIds = acked.map((m) => m.id).sort();
    for (const view of views) {
      await eventually(() => expect(view.messages().map((m) => m.id).sort()).toEqual(ackedIds), 10_000);
      const seqs = view.messages().map((m) => m.seq);
      expect(seqs).toEqual(acked.map((m) => m.seq).sort((x, y) => x - y));
      expect(view.conflicts).toEqual([]);
      expect(view.duplicates).toEqual([]);
    }
    await eventually(() => expect([...bobsDms.keys()].sort()).toEqual(ackedDms.map((m) => m.id).sort()), 10_000);
    // Each client also got a fresh presence snapshot after the gap, with all four still online:
    // Redis lost the registry, and each instance wrote its part back.
    const everyone = users.map((u) => u.user.id).sort();
    for (const [i, received] of snapshots.entries()) {
      // It waits for the other instance's next lease renewal (a third of the lease) to write its part back.
      await eventually(() => expect(received.length).toBeGreaterThan(snapshotsBefore[i]!), 10_000);
      expect(received.at(-1)!.filter((p) => p.state === 'online').map((p) => p.userId).sort()).toEqual(everyone);
    }
  }, 60_000);
});
