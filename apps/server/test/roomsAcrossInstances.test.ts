import type { Ack, MessageDto, RoomRemovedDto, RoomSummaryDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { eventually, request, settle, type TestUser } from './support/client.js';
import { connectDm, dmRequest, dmRoundTrip } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, eventsOf, ghostRoomId, heard, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Two instances in this process share one store (as replicas share one database) and a
// redis-server of this file's own: membership changes made on A must act on sockets held by B.
// Everything runs on the memory store and again on MongoDB (FerretDB here), whose room store is
// what makes concurrent group opens meet in one room across processes.
const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'rooms-across-instances-secret-0123456789abcdef' };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: Record<string, () => Promise<Stores>> = {
  memory: async () => createMemoryStores(),
  mongo: () => freshTestStores(import.meta.filename),
};
type StoreView = (stores: Stores) => Stores;
const asIs: StoreView = (stores) => stores;

/** `views`: how each instance sees the shared store (as it is, unless a test slows part of it). */
async function twoInstances(openBackend: () => Promise<Stores>, names: string[], views: { a?: StoreView; b?: StoreView } = {}) {
  const stores = await openBackend();
  openStores.push(stores);
  const a = await harness.start({ stores: (views.a ?? asIs)(stores), config, redisUrl: redis.url });
  const b = await harness.start({ stores: (views.b ?? asIs)(stores), config, redisUrl: redis.url });
  const people = new Map<string, TestUser>();
  for (const name of names) people.set(name, await a.seedUser(name));
  const tab = (server: RunningServer, name: string) => openTab(server.url, people.get(name)!, opened);
  return { a, b, tab, person: (name: string) => people.get(name)! };
}

/** Long enough for anything already published on Redis to have reached the other instance and its sockets. */
const SAFE_INTERVAL_MS = 300;

async function quietly(...tabs: Tab[]): Promise<void> {
  await Promise.all(tabs.flatMap((t) => [dmRoundTrip(t.dm), request(t.lobby, 'message:history', { limit: 1 })]));
  await settle(SAFE_INTERVAL_MS);
}

/**
 * The shared room store as one instance sees it, in which one call of `method` (the first that
 * `holds` picks) waits for the test to open a gate, before or after doing its work: a slow
 * database round trip placed exactly where a race needs it, so the race happens every run.
 */
function holdOneCall(method: keyof Stores['rooms'], holds: (args: unknown[]) => boolean, at: 'before' | 'after') {
  let arrive!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  let isTaken = false;
  const wait = async () => {
    arrive();
    await gate;
  };
  const view = (stores: Stores): Stores => ({
    ...stores,
    rooms: new Proxy(stores.rooms, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const call = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
        if (property !== method) return call;
        return async (...args: unknown[]) => {
          const isHeld = !isTaken && holds(args);
          isTaken ||= isHeld;
          if (isHeld && at === 'before') await wait();
          const result = await call(...args);
          if (isHeld && at === 'after') await wait();
          return result;
        };
      },
    }),
  });
  return { view, arrived, open: () => open() };
}

const ids = (entries: MessageDto[], roomId: string) => entries.filter((m) => m.roomId === roomId).map((m) => m.id);

for (const [backend, open] of Object.entries(BACKENDS)) {
  describe(`on the ${backend} store`, () => {
    describe('membership across instances', () => {
      it('a user invited on A receives the next private-channel message on a socket held by B', async () => {
        const { a, b, tab } = await twoInstances(open, ['Alice', 'Bob']);
        const alice = await tab(a, 'Alice');
        const bob = await tab(b, 'Bob');
        const ops = await createChannel(alice, 'ops', { isPrivate: true });
        const atBob = heard<MessageDto>(bob.dm, 'dm:message');
        const onBobsLobby = heard<MessageDto>(bob.lobby, 'message:new');
        const bobUpdates = heard<RoomSummaryDto>(bob.dm, 'room:update');

        await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
        const next = await say(alice, ops, 'welcome, Bob');
        await eventually(() => expect(ids(atBob, ops)).toContain(next.id));
        const stream = await streamOf(alice, ops);
        await quietly(bob);
        // The `added` entry (made after his sockets joined) and the message, once each, in order.
        expect(ids(atBob, ops)).toEqual(stream.slice(1).map((m) => m.id));
        expect(eventsOf(stream)).toEqual(['created:Alice:ops', 'added:Alice:Bob']);
        expect(onBobsLobby).toEqual([]);
        expect(bobUpdates.map((u) => u.room.id)).toContain(ops);

        const atAlice = heard<MessageDto>(alice.dm, 'dm:message');
        const reply = await say(bob, ops, 'thanks, from B');
        await eventually(() => expect(ids(atAlice, ops)).toEqual([reply.id]));
      });

      it('a user who joins a public channel on A receives its next message on /lobby on a socket held by B', async () => {
        const { a, b, tab } = await twoInstances(open, ['Alice', 'Bob']);
        const alice = await tab(a, 'Alice');
        const bobOnA = await tab(a, 'Bob');
        const bobOnB = await tab(b, 'Bob');
        const town = await createChannel(alice, 'town');
        const atBob = heard<MessageDto>(bobOnB.lobby, 'message:new');
        const bobUpdates = heard<RoomSummaryDto>(bobOnB.dm, 'room:update');

        await ok(dmRequest(bobOnA.dm, 'room:join', { roomId: town }));
        const next = await ok(request<MessageDto>(alice.lobby, 'message:send', { roomId: town, clientId: 'first-after-join', body: 'hello Bob on B' }));
        await eventually(() => expect(ids(atBob, town)).toContain(next.id));
        await quietly(bobOnB);
        expect(ids(atBob, town)).toEqual((await streamOf(alice, town)).slice(1).map((m) => m.id));
        expect(bobUpdates.map((u) => u.room.id)).toContain(town);
      });

      for (const kind of ['private', 'public'] as const) {
        it(`a user removed from a ${kind} channel on A stops receiving it on B at once, and B refuses them its sync${kind === 'private' ? ' and history' : ''}`, async () => {
          const { a, b, tab } = await twoInstances(open, ['Alice', 'Bob', 'Carol']);
          const alice = await tab(a, 'Alice');
          const bob = await tab(b, 'Bob');
          const carol = await tab(b, 'Carol');
          const roomId = await createChannel(alice, 'ops', { isPrivate: kind === 'private' });
          await ok(dmRequest(alice.dm, 'room:invite', { roomId, userIds: [bob.user.id, carol.user.id] }));
          await quietly(bob, carol);
          const [bobHears, carolHears] = kind === 'private' ? [bob.dm, carol.dm] : [bob.lobby, carol.lobby];
          const event = kind === 'private' ? 'dm:message' : 'message:new';
          const atBob = heard<MessageDto>(bobHears, event);
          const atCarol = heard<MessageDto>(carolHears, event);
          const removals = heard<RoomRemovedDto>(bob.dm, 'room:removed');
          const before = await say(alice, roomId, 'still with us');
          await eventually(() => expect(ids(atBob, roomId)).toEqual([before.id]));

          expect(await dmRequest(alice.dm, 'room:remove', { roomId, userId: bob.user.id })).toEqual({ ok: true, data: null });
          const after = await say(alice, roomId, 'Bob must not see this');
          // Carol, on the same instance as Bob, gets it: the message did reach B.
          await eventually(() => expect(ids(atCarol, roomId)).toContain(after.id));
          await quietly(bob);
          expect(ids(atBob, roomId)).toEqual([before.id]);
          expect(removals).toEqual([{ roomId, reason: 'removed' }]);
          expect((await roomList(bob)).map((s) => s.room.id)).toEqual(['lobby']);

          const ghost = ghostRoomId('c');
          const refusedAlike = async (run: (id: string) => Promise<Ack<unknown>>) => {
            const real = await run(roomId);
            expect(real).toMatchObject({ ok: false, error: { code: 'forbidden' } });
            expect(real).toEqual(await run(ghost));
          };
          await refusedAlike((id) => dmRequest(bob.dm, 'dm:sync', { roomId: id, afterSeq: 0 }));
          await refusedAlike((id) => request(bob.lobby, 'message:sync', { roomId: id, afterSeq: 0 }));
          if (kind === 'private') {
            await refusedAlike((id) => dmRequest(bob.dm, 'dm:history', { roomId: id }));
            await refusedAlike((id) => request(bob.lobby, 'message:history', { roomId: id }));
          }
          await refusedAlike((id) => dmRequest(bob.dm, 'dm:send', { roomId: id, clientId: `late-${id.slice(2, 8)}`, body: 'let me back' }));
        });
      }
    });

    describe('membership changes racing a connection', () => {
      it('a socket that connects on B while its user is being removed on A does not end up in the room', async () => {
        // Instance B's next read of Bob's rooms answers late, with what it read before the removal.
        let watched: string | undefined;
        const held = holdOneCall('roomsOf', ([userId]) => userId === watched, 'after');
        const { a, b, tab, person } = await twoInstances(open, ['Alice', 'Bob', 'Carol'], { b: held.view });
        const alice = await tab(a, 'Alice');
        const carol = await tab(b, 'Carol');
        const ops = await createChannel(alice, 'ops', { isPrivate: true });
        await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [person('Bob').user.id, carol.user.id] }));
        const atCarol = heard<MessageDto>(carol.dm, 'dm:message');

        // Bob's new tab on B: B has read his rooms (ops among them) and is about to join them.
        watched = person('Bob').user.id;
        const late = await connectDm(b.url, person('Bob'));
        opened.push(late);
        const atLate = heard<MessageDto>(late, 'dm:message');
        await held.arrived;
        expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: person('Bob').user.id })).toEqual({ ok: true, data: null });
        // Carol on B has the `removed` entry, sent after the sockets' leave: B has made Bob's sockets leave.
        await eventually(() => expect(atCarol.some((m) => m.roomId === ops && m.event?.type === 'removed')).toBe(true));
        held.open();
        await dmRoundTrip(late);

        const next = await say(alice, ops, 'Bob is out');
        await eventually(() => expect(ids(atCarol, ops)).toContain(next.id));
        await dmRoundTrip(late);
        await settle(SAFE_INTERVAL_MS);
        expect(ids(atLate, ops)).toEqual([]);
        expect(await dmRequest(late, 'dm:sync', { roomId: ops, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      });
    });

    describe('group conversations across instances', () => {
      it('the same three users opening a group from two instances at once get one room, listed once for each, and talk across instances', async () => {
        const { a, b, tab } = await twoInstances(open, ['Alice', 'Bob', 'Carol']);
        const alice = await tab(a, 'Alice');
        const bob = await tab(b, 'Bob');
        const carol = await tab(b, 'Carol');

        const [fromA, fromB] = await Promise.all([
          ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] })),
          ok(dmRequest<RoomSummaryDto>(bob.dm, 'group:open', { userIds: [carol.user.id, alice.user.id] })),
        ]);
        const groupId = fromA.room.id;
        expect(fromB.room.id).toBe(groupId);
        const everyone = [alice, bob, carol].map((t) => t.user.id).sort();
        for (const t of [alice, bob, carol]) {
          const groups = (await roomList(t)).filter((s) => s.room.kind === 'group');
          expect(groups.map((s) => s.room.id), t.user.displayName).toEqual([groupId]);
          expect(groups[0]!.room.memberCount).toBe(3);
          expect(groups[0]!.room.members?.map((u) => u.id).sort()).toEqual(everyone);
        }
        // Opening it again, from anyone, finds it and adds no one.
        expect((await ok(dmRequest<RoomSummaryDto>(carol.dm, 'group:open', { userIds: [alice.user.id, bob.user.id] }))).room.id).toBe(groupId);

        const heardBy = [alice, bob, carol].map((t) => heard<MessageDto>(t.dm, 'dm:message'));
        const sent = [await say(alice, groupId, 'from A'), await say(carol, groupId, 'from B (Carol)'), await say(bob, groupId, 'from B (Bob)')];
        for (const received of heardBy) await eventually(() => expect(ids(received, groupId).sort()).toEqual(sent.map((m) => m.id).sort()));
        await quietly(alice, bob, carol);
        for (const received of heardBy) expect(ids(received, groupId)).toHaveLength(3);
        // Nobody was "added": the two opens made one room with its three members.
        expect(eventsOf(await streamOf(carol, groupId))).toEqual([]);
      });

      it('an open that lands while another instance is halfway through opening the same group finds that room and records nobody as added', async () => {
        // Instance A's second membership write into the group waits: A has made the room and one membership.
        let groupWrites = 0;
        const held = holdOneCall('addMember', ([membership]) => (membership as { roomId: string }).roomId.startsWith('g:') && ++groupWrites === 2, 'before');
        const { a, b, tab } = await twoInstances(open, ['Alice', 'Bob', 'Carol'], { a: held.view });
        const alice = await tab(a, 'Alice');
        const bob = await tab(b, 'Bob');
        const carol = await tab(b, 'Carol');

        const fromA = ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }));
        await held.arrived;
        const fromB = await ok(dmRequest<RoomSummaryDto>(bob.dm, 'group:open', { userIds: [alice.user.id, carol.user.id] }));
        held.open();
        expect((await fromA).room.id).toBe(fromB.room.id);

        for (const t of [alice, bob, carol]) {
          const groups = (await roomList(t)).filter((s) => s.room.kind === 'group');
          expect(groups.map((s) => [s.room.id, s.room.memberCount]), t.user.displayName).toEqual([[fromB.room.id, 3]]);
        }
        // Nobody had left and come back: an `added` entry here would tell everyone something that did not happen.
        expect(eventsOf(await streamOf(alice, fromB.room.id))).toEqual([]);
      });
    });
  });
}
