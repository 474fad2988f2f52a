import type { Ack, MemberPage, MessageDto, MessagePage, RoomSummaryDto } from '@confab/shared';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { request, settle } from './support/client.js';
import { dmRequest, dmRoundTrip } from './support/dmClient.js';
import { createChannel, ghostRoomId, heard, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Guarantee 3 of DESIGN.md for every kind of room that is not the lobby's: members only, and a
// refusal that reads exactly like the one for a room that does not exist.
const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

/**
 * Alice owns private #vault with Bob; Alice, Bob and Dave have a group; Alice and Bob are in
 * public #plaza. Each room holds messages. Carol is in none of them.
 */
async function rooms() {
  const server = await harness.start();
  const people = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((name) => server.seedUser(name)));
  const [alice, bob, carol, dave] = (await Promise.all(people.map((person) => openTab(server.url, person, opened)))) as [Tab, Tab, Tab, Tab];
  const vault = await createChannel(alice, 'vault', { isPrivate: true });
  await ok(dmRequest(alice.dm, 'room:invite', { roomId: vault, userIds: [bob.user.id] }));
  const group = (await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, dave.user.id] }))).room.id;
  const plaza = await createChannel(alice, 'plaza');
  await ok(dmRequest(bob.dm, 'room:join', { roomId: plaza }));
  const bobsMessage: Record<string, MessageDto> = {};
  for (const roomId of [vault, group, plaza]) {
    await say(alice, roomId, 'the plan');
    bobsMessage[roomId] = await say(bob, roomId, 'agreed');
  }
  return { server, alice, bob, carol, dave, vault, group, plaza, bobsMessage };
}

let attempt = 0;
const clientId = () => `attempt-${(attempt += 1)}`;

/** Every operation that names a room, as one caller attempts it. */
function operations(caller: Tab, others: { memberId: string }): [string, (roomId: string) => Promise<Ack<unknown>>][] {
  return [
    ['dm:send {roomId}', (roomId) => dmRequest(caller.dm, 'dm:send', { roomId, clientId: clientId(), body: 'let me in' })],
    ['/lobby message:send {roomId}', (roomId) => request(caller.lobby, 'message:send', { roomId, clientId: clientId(), body: 'let me in' })],
    ['dm:history', (roomId) => dmRequest(caller.dm, 'dm:history', { roomId, limit: 50 })],
    ['/lobby message:history', (roomId) => request(caller.lobby, 'message:history', { roomId, limit: 50 })],
    ['dm:sync', (roomId) => dmRequest(caller.dm, 'dm:sync', { roomId, afterSeq: 0 })],
    ['/lobby message:sync', (roomId) => request(caller.lobby, 'message:sync', { roomId, afterSeq: 0 })],
    ['dm:read', (roomId) => dmRequest(caller.dm, 'dm:read', { roomId, seq: 2 })],
    ['/dm typing:start', (roomId) => dmRequest(caller.dm, 'typing:start', { roomId })],
    ['/dm typing:stop', (roomId) => dmRequest(caller.dm, 'typing:stop', { roomId })],
    ['/lobby typing:start', (roomId) => request(caller.lobby, 'typing:start', { roomId })],
    ['/lobby typing:stop', (roomId) => request(caller.lobby, 'typing:stop', { roomId })],
    ['room:members', (roomId) => dmRequest(caller.dm, 'room:members', { roomId })],
    ['room:invite', (roomId) => dmRequest(caller.dm, 'room:invite', { roomId, userIds: [caller.user.id] })],
    ['room:remove', (roomId) => dmRequest(caller.dm, 'room:remove', { roomId, userId: others.memberId })],
    ['channel:edit topic', (roomId) => dmRequest(caller.dm, 'channel:edit', { roomId, topic: 'mine now' })],
    ['channel:edit name', (roomId) => dmRequest(caller.dm, 'channel:edit', { roomId, name: 'hijacked' })],
    ['room:join', (roomId) => dmRequest(caller.dm, 'room:join', { roomId })],
    ['room:leave', (roomId) => dmRequest(caller.dm, 'room:leave', { roomId })],
  ];
}

/** What the members can see of a room and of their own state: must be identical before and after. */
async function visibleState(members: Tab[], roomId: string) {
  return {
    stream: await streamOf(members[0]!, roomId),
    members: await ok(dmRequest<MemberPage>(members[0]!.dm, 'room:members', { roomId })),
    lists: await Promise.all(members.map((tab) => roomList(tab))),
  };
}

/** Everything a member's sockets could hear about a room. */
function listenAll(tabs: Tab[]) {
  return tabs.flatMap((tab) => [
    ...['dm:message', 'room:update', 'room:removed', 'dm:read', 'typing'].map((name) => heard(tab.dm, name)),
    ...['message:new', 'typing'].map((name) => heard(tab.lobby, name)),
  ]);
}

async function drain(...tabs: Tab[]): Promise<void> {
  await Promise.all(tabs.flatMap((tab) => [dmRoundTrip(tab.dm), request(tab.lobby, 'message:history', { limit: 1 })]));
  await settle(100);
}

/** Runs each operation on the real room and on a ghost of its kind; the two acks must be equal refusals. */
async function expectRefusedAsGhost(caller: Tab, roomId: string, memberId: string, names?: string[]): Promise<void> {
  const ghost = ghostRoomId(roomId.startsWith('g:') ? 'g' : 'c');
  for (const [name, run] of operations(caller, { memberId })) {
    if (names && !names.includes(name)) continue;
    const real = await run(roomId);
    expect(real.ok, `${name}: ${JSON.stringify(real)}`).toBe(false);
    expect(real, name).toEqual(await run(ghost));
  }
}

describe('a non-member', () => {
  for (const which of ['vault', 'group'] as const) {
    it(`is refused every operation on a ${which === 'vault' ? 'private channel' : 'group'}, exactly as for a room that does not exist, and nothing changes`, async () => {
      const world = await rooms();
      const { alice, bob, carol, dave } = world;
      const roomId = world[which];
      const members = which === 'vault' ? [alice, bob] : [alice, bob, dave];
      const before = await visibleState(members, roomId);
      const carolBefore = await roomList(carol);
      await drain(...members);
      const heardByMembers = listenAll(members);

      await expectRefusedAsGhost(carol, roomId, bob.user.id);
      // A member's message is "not found" to an outsider, like a message id nobody has.
      for (const [name, recall] of [
        ['/dm message:recall', (id: string) => dmRequest(carol.dm, 'message:recall', { id })],
        ['/lobby message:recall', (id: string) => request(carol.lobby, 'message:recall', { id })],
      ] as const) {
        const real = await recall(world.bobsMessage[roomId]!.id);
        expect(real, name).toMatchObject({ ok: false });
        expect(real, name).toEqual(await recall(randomBytes(12).toString('hex')));
      }

      await drain(...members);
      expect(heardByMembers.flat()).toEqual([]);
      expect(await visibleState(members, roomId)).toEqual(before);
      expect(await roomList(carol)).toEqual(carolBefore);
      expect(carolBefore.map((s) => s.room.id)).toEqual(['lobby']);
    });
  }

  it('may read a public channel’s history as a preview, but not sync, send, type, mark it read or list its members', async () => {
    const { alice, bob, carol, plaza } = await rooms();
    const before = await visibleState([alice, bob], plaza);
    await drain(alice, bob);
    const heardByMembers = listenAll([alice, bob]);

    const preview = await ok(request<MessagePage>(carol.lobby, 'message:history', { roomId: plaza, limit: 50 }));
    expect(preview.messages).toEqual(before.stream);
    expect(await dmRequest(carol.dm, 'dm:history', { roomId: plaza, limit: 50 })).toEqual({ ok: true, data: preview });
    await expectRefusedAsGhost(carol, plaza, bob.user.id, [
      'dm:send {roomId}',
      '/lobby message:send {roomId}',
      'dm:sync',
      '/lobby message:sync',
      'dm:read',
      '/dm typing:start',
      '/lobby typing:start',
      'room:members',
      'room:invite',
      'room:remove',
      'channel:edit topic',
      'room:leave',
    ]);

    await drain(alice, bob);
    expect(heardByMembers.flat()).toEqual([]);
    expect(await visibleState([alice, bob], plaza)).toEqual(before);
    expect((await roomList(carol)).map((s) => s.room.id)).toEqual(['lobby']);
  });
});

describe('a removed member', () => {
  it('is refused the private channel’s history, sync, sending and typing afterwards, as for a room that does not exist', async () => {
    const { alice, bob, vault } = await rooms();
    const held = await streamOf(bob, vault);
    expect(held.length).toBeGreaterThan(0);
    expect(await dmRequest(alice.dm, 'room:remove', { roomId: vault, userId: bob.user.id })).toEqual({ ok: true, data: null });
    await say(alice, vault, 'now that Bob is gone');
    await expectRefusedAsGhost(bob, vault, alice.user.id, [
      'dm:history',
      '/lobby message:history',
      'dm:sync',
      '/lobby message:sync',
      'dm:send {roomId}',
      '/lobby message:send {roomId}',
      '/dm typing:start',
      'dm:read',
      'room:members',
      'room:leave',
    ]);
    expect((await streamOf(alice, vault)).filter((m) => m.author.id === bob.user.id && !m.event)).toHaveLength(1);
  });

  it('who left a group is refused its history and sync as well', async () => {
    const { bob, dave, group } = await rooms();
    expect(await dmRequest(dave.dm, 'room:leave', { roomId: group })).toEqual({ ok: true, data: null });
    await say(bob, group, 'after Dave left');
    await expectRefusedAsGhost(dave, group, bob.user.id, ['dm:history', '/lobby message:history', 'dm:sync', '/lobby message:sync', 'dm:send {roomId}', '/dm typing:start']);
  });
});
