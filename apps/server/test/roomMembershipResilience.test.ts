import { channelNameKey, type MessageDto, type RoomRemovedDto, type RoomSummaryDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { eventually, settle, type TestUser } from './support/client.js';
import { dmRequest, dmRoundTrip } from './support/dmClient.js';
import { dropDatabase, openTestStores, testDatabaseName } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, eventsOf, ghostRoomId, heard, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';
import {
  failNextOwnerMembershipInsert,
  holdNextRoomsOf,
  nextResync,
  startRedisLink,
  untilRedisBack,
  untilRedisLost,
  withFailingChannelCreate,
  type RedisLink,
} from './support/roomOutage.js';
import { useServer } from './support/server.js';

// Membership must hold when Redis does not: an instance applies a join or leave to its own
// sockets without waiting for Redis, puts its sockets back in their rooms after missing other
// instances' joins and leaves, gets the changes it made while cut off to the other instances
// afterwards without undoing newer ones, and a channel create cut short between its two writes is
// finished by its creator's retry. Two instances share one store and a redis-server of this
// file's own, each through a link the test can cut.

// Hooks run last-registered first: links are restored (so the servers can close their Redis
// clients, which wait for queued commands), then the servers close, then the links and stores.
const links: RedisLink[] = [];
const openStores: Stores[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const running: RunningServer[] = [];
afterEach(async () => {
  for (const link of links) link.restore();
  await Promise.all(running.splice(0).map(untilRedisBack));
});
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});
const config = { sessionSecret: 'room-membership-resilience-secret-0123456789' };

/** Long enough for anything already sent to have reached every socket it was going to reach. */
const SAFE_INTERVAL_MS = 300;

/** `viewOfB`: how B sees the shared store (as it is, unless a test slows part of it). */
async function twoInstances(names: string[], viewOfB: (stores: Stores) => Stores = (stores) => stores) {
  const stores = createMemoryStores();
  const [linkA, linkB] = [await startRedisLink(redis.port), await startRedisLink(redis.port)];
  links.push(linkA, linkB);
  const a = await harness.start({ stores, config, redisUrl: linkA.url });
  const b = await harness.start({ stores: viewOfB(stores), config, redisUrl: linkB.url });
  running.push(a, b);
  const people = new Map<string, TestUser>();
  for (const name of names) people.set(name, await a.seedUser(name));
  const tab = (server: RunningServer, name: string) => openTab(server.url, people.get(name)!, opened);
  return { a, b, linkA, linkB, tab };
}

const ids = (entries: MessageDto[], roomId: string) => entries.filter((m) => m.roomId === roomId).map((m) => m.id);

async function quietly(...tabs: Tab[]): Promise<void> {
  await Promise.all(tabs.map((t) => dmRoundTrip(t.dm)));
  await settle(SAFE_INTERVAL_MS);
}

/** Restores the instance's link and waits until it has caught up and sent what it queued meanwhile. */
async function afterTheOutage(server: RunningServer, link: RedisLink, tabOnIt: Tab): Promise<void> {
  const resynced = nextResync(tabOnIt.dm);
  link.restore();
  await resynced;
  await untilRedisBack(server);
  // Its queue went out on reconnecting, before the resync: let the other instance take it in.
  await settle(SAFE_INTERVAL_MS);
}

describe('membership while an instance cannot reach Redis', () => {
  /** Alice's private channel with Bob, everyone's sockets on A, then A's Redis link cut. */
  async function opsOnACutOff() {
    const { a, linkA, tab } = await twoInstances(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = [await tab(a, 'Alice'), await tab(a, 'Bob'), await tab(a, 'Carol')];
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    await quietly(alice, bob);
    const heardBy = (t: Tab) => heard<MessageDto>(t.dm, 'dm:message');
    const atAlice = heardBy(alice);
    const atBob = heardBy(bob);
    const atCarol = heardBy(carol);
    const before = await say(alice, ops, 'before the outage');
    await eventually(() => expect(ids(atBob, ops)).toEqual([before.id]));
    // A's joins and leaves can no longer make the round trip through Redis.
    linkA.cut();
    await untilRedisLost(a);
    return { alice, bob, carol, ops, atAlice, atBob, atCarol, before };
  }

  it('a member removed on the instance holding his socket hears nothing of the room from the removal on, and is refused its sync', async () => {
    const { alice, bob, ops, atAlice, atBob, before } = await opsOnACutOff();
    const removals = heard<RoomRemovedDto>(bob.dm, 'room:removed');

    expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: bob.user.id })).toEqual({ ok: true, data: null });
    const after = await say(alice, ops, 'Bob must not see this');
    // Alice's own socket on A hears it: A delivers to its sockets while Redis is away.
    await eventually(() => expect(ids(atAlice, ops)).toContain(after.id));
    await quietly(bob);
    // Neither the `removed` entry (his sockets leave before it goes out) nor anything after it.
    expect(eventsOf(await streamOf(alice, ops)).at(-1)).toBe('removed:Alice:Bob');
    expect(ids(atBob, ops)).toEqual([before.id]);
    expect(removals).toEqual([{ roomId: ops, reason: 'removed' }]);
    const refusal = await dmRequest(bob.dm, 'dm:sync', { roomId: ops, afterSeq: 0 });
    expect(refusal).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refusal).toEqual(await dmRequest(bob.dm, 'dm:sync', { roomId: ghostRoomId('c'), afterSeq: 0 }));
  });

  it('a user invited on the instance holding her socket gets the next message at once', async () => {
    const { alice, carol, ops, atAlice, atCarol } = await opsOnACutOff();

    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [carol.user.id] }));
    const welcome = await say(alice, ops, 'welcome, Carol');
    await eventually(() => expect(ids(atAlice, ops)).toContain(welcome.id));
    // A sent it to Alice and Carol in one go: after a round trip Carol has it, or never will.
    await dmRoundTrip(carol.dm);
    const stream = await streamOf(alice, ops);
    expect(eventsOf(stream).at(-1)).toBe('added:Alice:Carol');
    // Her `added` entry and the message, once each, in order.
    expect(ids(atCarol, ops)).toEqual([stream.at(-2)!.id, welcome.id]);
  });

  it('after a gap in its subscription, an instance puts its sockets back in exactly their rooms before it says resync', async () => {
    const { a, b, linkB, tab } = await twoInstances(['Alice', 'Bob', 'Carol', 'Dave']);
    const alice = await tab(a, 'Alice');
    const [bob, carol, dave] = [await tab(b, 'Bob'), await tab(b, 'Carol'), await tab(b, 'Dave')];
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id, dave.user.id] }));
    const atBob = heard<MessageDto>(bob.dm, 'dm:message');
    const atCarol = heard<MessageDto>(carol.dm, 'dm:message');
    const atDave = heard<MessageDto>(dave.dm, 'dm:message');
    const before = await say(alice, ops, 'before the gap');
    await eventually(() => expect(ids(atBob, ops)).toContain(before.id));

    // B hears nothing A publishes meanwhile: Bob's leave and Carol's join are lost on the way.
    linkB.cut();
    await untilRedisLost(b);
    expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: bob.user.id })).toEqual({ ok: true, data: null });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [carol.user.id] }));

    const resynced = [bob, carol, dave].map((t) => nextResync(t.dm));
    linkB.restore();
    await Promise.all(resynced);

    const next = await say(alice, ops, 'after the gap');
    // Dave, a member on B all along, has it: it reached B.
    await eventually(() => expect(ids(atDave, ops)).toContain(next.id), 5_000);
    await quietly(bob, carol);
    expect({ bob: ids(atBob, ops).includes(next.id), carol: ids(atCarol, ops) }).toEqual({ bob: false, carol: [next.id] });
    expect(await dmRequest(bob.dm, 'dm:sync', { roomId: ops, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a removal and an invitation made on an instance cut off from Redis reach the sockets on the other instance once its link returns', async () => {
    const { a, b, linkA, tab } = await twoInstances(['Alice', 'Bob', 'Carol']);
    const alice = await tab(a, 'Alice');
    const aliceOnB = await tab(b, 'Alice');
    const bob = await tab(b, 'Bob');
    const carol = await tab(b, 'Carol');
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    await quietly(aliceOnB, bob);
    const atAliceOnB = heard<MessageDto>(aliceOnB.dm, 'dm:message');
    const atBob = heard<MessageDto>(bob.dm, 'dm:message');
    const atCarol = heard<MessageDto>(carol.dm, 'dm:message');

    linkA.cut();
    await untilRedisLost(a);
    expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: bob.user.id })).toEqual({ ok: true, data: null });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [carol.user.id] }));
    // B had no gap and so puts nothing back by itself: A must get both changes to it.
    await afterTheOutage(a, linkA, alice);

    const next = await say(alice, ops, 'after A is back');
    await eventually(() => expect(ids(atAliceOnB, ops)).toContain(next.id));
    await quietly(bob, carol);
    expect({ bob: ids(atBob, ops).includes(next.id), carol: ids(atCarol, ops).includes(next.id) }).toEqual({ bob: false, carol: true });
  });

  it('a join that waited out an outage in a queue does not put back a member removed meanwhile on another instance', async () => {
    const { a, b, linkA, tab } = await twoInstances(['Alice', 'Carol']);
    const aliceOnA = await tab(a, 'Alice');
    const aliceOnB = await tab(b, 'Alice');
    const carol = await tab(b, 'Carol');
    const ops = await createChannel(aliceOnA, 'ops', { isPrivate: true });
    await quietly(aliceOnB);
    const atAliceOnB = heard<MessageDto>(aliceOnB.dm, 'dm:message');
    const atCarol = heard<MessageDto>(carol.dm, 'dm:message');

    linkA.cut();
    await untilRedisLost(a);
    // Invited on A, which cannot tell B yet; then removed on B, which can tell everyone but A.
    await ok(dmRequest(aliceOnA.dm, 'room:invite', { roomId: ops, userIds: [carol.user.id] }));
    expect(await dmRequest(aliceOnB.dm, 'room:remove', { roomId: ops, userId: carol.user.id })).toEqual({ ok: true, data: null });
    await afterTheOutage(a, linkA, aliceOnA);

    const next = await say(aliceOnA, ops, 'Carol is not one of us');
    await eventually(() => expect(ids(atAliceOnB, ops)).toContain(next.id));
    await quietly(carol);
    expect(ids(atCarol, ops)).not.toContain(next.id);
    expect(await dmRequest(carol.dm, 'dm:sync', { roomId: ops, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a leave that waited out an outage in a queue does not take out a member invited back meanwhile on another instance', async () => {
    const { a, b, linkA, tab } = await twoInstances(['Alice', 'Bob']);
    const aliceOnA = await tab(a, 'Alice');
    const aliceOnB = await tab(b, 'Alice');
    const bob = await tab(b, 'Bob');
    const ops = await createChannel(aliceOnA, 'ops', { isPrivate: true });
    await ok(dmRequest(aliceOnA.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    await quietly(aliceOnB, bob);
    const atAliceOnB = heard<MessageDto>(aliceOnB.dm, 'dm:message');
    const atBob = heard<MessageDto>(bob.dm, 'dm:message');

    linkA.cut();
    await untilRedisLost(a);
    // Removed on A, which cannot tell B yet; then invited back on B, which can tell everyone but A.
    expect(await dmRequest(aliceOnA.dm, 'room:remove', { roomId: ops, userId: bob.user.id })).toEqual({ ok: true, data: null });
    await ok(dmRequest(aliceOnB.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    await afterTheOutage(a, linkA, aliceOnA);

    const next = await say(aliceOnA, ops, 'welcome back, Bob');
    await eventually(() => expect(ids(atAliceOnB, ops)).toContain(next.id));
    await quietly(bob);
    expect(ids(atBob, ops)).toContain(next.id);
  });

  it('a removal that lands while the instance is reading memberships to put its sockets back is not undone', async () => {
    let held!: ReturnType<typeof holdNextRoomsOf>;
    const { a, b, linkB, tab } = await twoInstances(['Alice', 'Bob', 'Carol'], (stores) => (held = holdNextRoomsOf(stores)).view);
    const alice = await tab(a, 'Alice');
    const bob = await tab(b, 'Bob');
    const carol = await tab(b, 'Carol');
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id, carol.user.id] }));
    await quietly(bob, carol);
    const atBob = heard<MessageDto>(bob.dm, 'dm:message');
    const atCarol = heard<MessageDto>(carol.dm, 'dm:message');

    linkB.cut();
    await untilRedisLost(b);
    // B's reading of Bob's rooms after the gap answers late, with what it read before the removal.
    held.arm(bob.user.id);
    const resynced = nextResync(bob.dm);
    linkB.restore();
    await held.arrived;
    expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: bob.user.id })).toEqual({ ok: true, data: null });
    // Carol on B has the `removed` entry, sent after the leave: B has made Bob's sockets leave.
    await eventually(() => expect(atCarol.some((m) => m.roomId === ops && m.event?.type === 'removed')).toBe(true));
    held.open();
    await resynced;

    const next = await say(alice, ops, 'Bob is out');
    await eventually(() => expect(ids(atCarol, ops)).toContain(next.id));
    await quietly(bob);
    expect(ids(atBob, ops)).not.toContain(next.id);
  });
});

const BACKENDS: Record<string, () => Promise<{ stores: Stores; failNextCreate: () => void }>> = {
  memory: async () => {
    const { stores, failNext } = withFailingChannelCreate(createMemoryStores());
    return { stores, failNextCreate: failNext };
  },
  mongo: async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const stores = await openTestStores(dbName);
    const close = async () => {
      await dropDatabase(dbName);
      await stores.close();
    };
    return { stores: { ...stores, close }, failNextCreate: () => failNextOwnerMembershipInsert(dbName) };
  },
};

for (const [backend, open] of Object.entries(BACKENDS)) {
  describe(`a channel create cut short between its two writes, on the ${backend} store`, () => {
    it("is finished by its creator's retry, and is still nobody else's to take", async () => {
      const { stores, failNextCreate } = await open();
      openStores.push(stores);
      const server = await harness.start({ stores, config });
      const [alicePerson, bobPerson] = [await server.seedUser('Alice'), await server.seedUser('Bob')];
      const alice = await openTab(server.url, alicePerson, opened);
      const bob = await openTab(server.url, bobPerson, opened);
      const create = { name: 'Launch', private: true, topic: 'the plan' };

      failNextCreate();
      expect(await dmRequest(alice.dm, 'channel:create', create)).toMatchObject({ ok: false, error: { code: 'internal' } });
      // The store holds the channel and its name, with nobody in it.
      const unfinished = await stores.rooms.findByName(channelNameKey('launch'));
      expect(unfinished).toMatchObject({ createdBy: alice.user.id, kind: 'private_channel' });
      expect(await stores.rooms.memberCount(unfinished!.id)).toBe(0);

      const takenAck = { ok: false, error: { code: 'name_taken', field: 'name' } };
      expect(await dmRequest(bob.dm, 'channel:create', { name: 'LAUNCH', private: true })).toMatchObject(takenAck);

      const retried = await ok(dmRequest<RoomSummaryDto>(alice.dm, 'channel:create', create));
      expect(retried.room).toMatchObject({ id: unfinished!.id, name: 'Launch', topic: 'the plan', kind: 'private_channel', myRole: 'owner', memberCount: 1 });
      const listed = (await roomList(alice)).find((s) => s.room.id === unfinished!.id);
      expect(listed?.room).toMatchObject({ myRole: 'owner', memberCount: 1 });
      expect(eventsOf(await streamOf(alice, unfinished!.id))).toEqual(['created:Alice:Launch']);
      const hello = await say(alice, unfinished!.id, 'it is ours now');
      expect(hello.roomId).toBe(unfinished!.id);

      expect(await dmRequest(bob.dm, 'channel:create', { name: 'launch', private: false })).toMatchObject(takenAck);
      expect((await roomList(bob)).map((s) => s.room.id)).toEqual(['lobby']);
    });
  });
}
