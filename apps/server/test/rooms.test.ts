import { dmRoomId, type ChannelPage, type MemberPage, type MessageDto, type ReadMarkDto, type RoomDto, type RoomRemovedDto, type RoomSummaryDto, type TypingDto } from '@confab/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StartServerOptions } from '../src/testing.js';
import { eventually, request, settle } from './support/client.js';
import { dmRequest, dmRoundTrip } from './support/dmClient.js';
import { createChannel, eventsOf, heard, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// One instance on the memory store; every test starts its own server and people.
const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function world(names: string[], options: StartServerOptions = {}) {
  const server = await harness.start(options);
  const people = await Promise.all(names.map((name) => server.seedUser(name)));
  const tabs = await Promise.all(people.map((person) => openTab(server.url, person, opened)));
  const anotherTab = (i: number) => openTab(server.url, people[i]!, opened);
  return { server, people, tabs, anotherTab };
}

/** A round trip on both of a tab's sockets: what the server sent them before has arrived. */
async function drain(...tabs: Tab[]): Promise<void> {
  await Promise.all(tabs.flatMap((tab) => [dmRoundTrip(tab.dm), request(tab.lobby, 'message:history', { limit: 1 })]));
  await settle(50);
}

const summaryOf = (rooms: RoomSummaryDto[], roomId: string) => rooms.find((s) => s.room.id === roomId);
const code = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

describe('channel:create', () => {
  it('makes the creator the owner and only member, opens the stream with a `created` entry, and tells their other tab', async () => {
    const { tabs, anotherTab } = await world(['Alice']);
    const [alice] = tabs as [Tab];
    const otherTab = await anotherTab(0);
    const updates = heard<RoomSummaryDto>(otherTab.dm, 'room:update');

    const summary = await ok(dmRequest<RoomSummaryDto>(alice.dm, 'channel:create', { name: 'design', topic: 'Pixels and such' }));
    expect(summary.room).toMatchObject({ kind: 'public_channel', name: 'design', topic: 'Pixels and such', memberCount: 1, myRole: 'owner' });
    expect(summary.room.id).toMatch(/^c:[0-9a-f]{24}$/);
    expect(summary.lastSeq).toBe(1);
    expect(summary.lastMessage?.event).toEqual({ type: 'created', name: 'design', topic: 'Pixels and such' });
    expect(summary.unreadCount).toBe(0);

    await drain(otherTab);
    expect(updates.map((u) => u.room.id)).toContain(summary.room.id);
    expect(summaryOf(await roomList(otherTab), summary.room.id)?.room.myRole).toBe('owner');
  });

  it('refuses a name taken in any letter case or width, public or private, and creates nothing', async () => {
    const { tabs } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    await createChannel(alice, 'Design');
    for (const [name, isPrivate] of [['design', false], ['DESIGN', true], ['ｄｅｓｉｇｎ', false], ['  design ', false]] as const) {
      expect(await dmRequest(bob.dm, 'channel:create', { name, private: isPrivate }), name).toMatchObject({ ok: false, error: { code: 'name_taken', field: 'name' } });
    }
    const page = await ok(dmRequest<ChannelPage>(bob.dm, 'channel:browse', {}));
    expect(page.channels.map((c) => c.name)).toEqual(['Design']);
    expect((await roomList(bob)).map((s) => s.room.id)).toEqual(['lobby']);
  });

  it('refuses names with spaces, "#", markup or too many characters, with invalid_payload on the name', async () => {
    const { tabs } = await world(['Alice']);
    const [alice] = tabs as [Tab];
    for (const name of ['', '   ', 'two words', '#general', 'a<b>', 'x'.repeat(81), 'dot.ted', 42, { $gt: '' }]) {
      expect(await dmRequest(alice.dm, 'channel:create', { name }), JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
    }
    expect(await dmRequest(alice.dm, 'channel:create', { name: 'x'.repeat(80) })).toMatchObject({ ok: true });
    expect(await dmRequest(alice.dm, 'channel:create', { name: 'équipe_ü-2' })).toMatchObject({ ok: true, data: { room: { name: 'équipe_ü-2' } } });
    expect((await roomList(alice)).length).toBe(3);
  });

  it('takes its longest name from CHANNEL_NAME_MAX_LENGTH, for creating and renaming', async () => {
    const { tabs } = await world(['Alice'], { config: { channelNameMaxLength: 10 } });
    const [alice] = tabs as [Tab];
    expect(await dmRequest(alice.dm, 'channel:create', { name: 'elevenchars' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
    const roomId = await createChannel(alice, 'tenletters');
    expect(await dmRequest(alice.dm, 'channel:edit', { roomId, name: 'elevenchars' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
    expect((await roomList(alice)).map((s) => s.room.name)).toEqual(['lobby', 'tenletters']);
  });

  it('refuses with limit_reached once the user is in roomsPerUserMax channels and groups, and joining, invites and groups stop too', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol'], { config: { roomsPerUserMax: 2 } });
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    await createChannel(alice, 'one');
    await createChannel(alice, 'two');
    expect(await dmRequest(alice.dm, 'channel:create', { name: 'three' })).toMatchObject({ ok: false, error: { code: 'limit_reached' } });

    const open = await createChannel(bob, 'open');
    const vault = await createChannel(bob, 'vault', { isPrivate: true });
    expect(code(await dmRequest(alice.dm, 'room:join', { roomId: open }))).toBe('limit_reached');
    expect(code(await dmRequest(bob.dm, 'room:invite', { roomId: vault, userIds: [alice.user.id] }))).toBe('limit_reached');
    expect(code(await dmRequest(carol.dm, 'group:open', { userIds: [alice.user.id, bob.user.id] }))).toBe('limit_reached');

    expect((await roomList(alice)).map((s) => s.room.name).sort()).toEqual(['lobby', 'one', 'two']);
    const browsed = await ok(dmRequest<ChannelPage>(carol.dm, 'channel:browse', {}));
    expect(browsed.channels.map((c) => [c.name, c.memberCount])).toEqual([['one', 1], ['open', 1], ['two', 1]]);
    expect((await ok(dmRequest<MemberPage>(bob.dm, 'room:members', { roomId: vault }))).members.map((m) => m.user.id)).toEqual([bob.user.id]);
    expect((await roomList(carol)).map((s) => s.room.id)).toEqual(['lobby']);
  });
});

describe('group:open', () => {
  it('finds the same room for the same set from anyone, in any order; someone who left is added back, and every member hears the new member list', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const carolUpdates = heard<RoomSummaryDto>(carol.dm, 'room:update');
    const aliceUpdates = heard<RoomSummaryDto>(alice.dm, 'room:update');
    const opened = await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }));
    expect(opened.room).toMatchObject({ kind: 'group', name: null, memberCount: 3, myRole: 'member' });
    expect(opened.room.id).toMatch(/^g:[0-9a-f]{24}$/);
    expect(opened.room.members?.map((u) => u.displayName)).toEqual(['Alice', 'Bob', 'Carol']);
    expect((await ok(dmRequest<RoomSummaryDto>(bob.dm, 'group:open', { userIds: [carol.user.id, alice.user.id] }))).room.id).toBe(opened.room.id);
    await drain(carol);
    expect(carolUpdates.map((u) => u.room.id)).toContain(opened.room.id);

    const carolRemovals = heard<RoomRemovedDto>(carol.dm, 'room:removed');
    const atCarol = heard<MessageDto>(carol.dm, 'dm:message');
    expect(await dmRequest(carol.dm, 'room:leave', { roomId: opened.room.id })).toEqual({ ok: true, data: null });
    const whileAway = await say(alice, opened.room.id, 'Carol left');
    await drain(carol);
    expect(carolRemovals).toEqual([{ roomId: opened.room.id, reason: 'left' }]);
    expect(atCarol.map((m) => m.id)).not.toContain(whileAway.id);

    const reopened = await ok(dmRequest<RoomSummaryDto>(bob.dm, 'group:open', { userIds: [alice.user.id, carol.user.id] }));
    expect(reopened.room).toMatchObject({ id: opened.room.id, memberCount: 3 });
    const welcome = await say(alice, opened.room.id, 'welcome back');
    await drain(carol);
    expect(atCarol.map((m) => m.id)).toContain(welcome.id);
    expect(carolUpdates.filter((u) => u.room.id === opened.room.id)).toHaveLength(2);
    // No entry records a return (a racing open could not tell it from a first one); the list does.
    expect(eventsOf(await streamOf(carol, opened.room.id))).toEqual(['left:Carol']);
    await drain(alice);
    expect(aliceUpdates.filter((u) => u.room.id === opened.room.id).map((u) => u.room.members?.map((m) => m.displayName))).toEqual([
      ['Alice', 'Bob', 'Carol'],
      ['Alice', 'Bob'],
      ['Alice', 'Bob', 'Carol'],
    ]);
  });

  it('refuses fewer than three people, more than GROUP_MEMBERS_MAX, and unknown users, and makes nothing', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol', 'Dave', 'Erin'], { config: { groupMembersMax: 4 } });
    const [alice, bob, carol, dave, erin] = tabs as [Tab, Tab, Tab, Tab, Tab];
    expect(await dmRequest(alice.dm, 'group:open', { userIds: [bob.user.id] })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'userIds' } });
    expect(await dmRequest(alice.dm, 'group:open', { userIds: [bob.user.id, alice.user.id] })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await dmRequest(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id, dave.user.id, erin.user.id] })).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
    expect(await dmRequest(alice.dm, 'group:open', { userIds: [bob.user.id, 'f'.repeat(24)] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (const tab of tabs) expect((await roomList(tab)).map((s) => s.room.id)).toEqual(['lobby']);
    expect(await dmRequest(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id, dave.user.id] })).toMatchObject({ ok: true, data: { room: { memberCount: 4 } } });
  });
});

describe('channel:browse', () => {
  it('pages public channels by name prefix, case-insensitively, with member counts and whether the caller joined; private ones never appear', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const alpha = await createChannel(alice, 'alpha', { topic: 'first' });
    await createChannel(alice, 'Alps');
    await createChannel(alice, 'alto');
    await createChannel(alice, 'beta');
    await createChannel(alice, 'alpine', { isPrivate: true });
    await ok(dmRequest(bob.dm, 'room:join', { roomId: alpha }));
    await ok(dmRequest(carol.dm, 'room:join', { roomId: alpha }));

    const first = await ok(dmRequest<ChannelPage>(bob.dm, 'channel:browse', { query: 'AL', limit: 2 }));
    expect(first.channels).toEqual([
      { id: alpha, name: 'alpha', topic: 'first', memberCount: 3, joined: true },
      expect.objectContaining({ name: 'Alps', memberCount: 1, joined: false }),
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await ok(dmRequest<ChannelPage>(bob.dm, 'channel:browse', { query: 'al', limit: 2, cursor: first.nextCursor }));
    expect(second.channels.map((c) => c.name)).toEqual(['alto']);
    expect(second.nextCursor).toBeUndefined();

    // Not to outsiders, and not even to its own members: browsing lists public channels only.
    for (const tab of [bob, alice]) {
      expect((await ok(dmRequest<ChannelPage>(tab.dm, 'channel:browse', { query: 'alpi' }))).channels).toEqual([]);
      expect((await ok(dmRequest<ChannelPage>(tab.dm, 'channel:browse', {}))).channels.map((c) => c.name)).toEqual(['alpha', 'Alps', 'alto', 'beta']);
    }
    // The prefix is text, never a pattern.
    expect((await ok(dmRequest<ChannelPage>(bob.dm, 'channel:browse', { query: '.*' }))).channels).toEqual([]);
  });
});

describe('room:join and room:leave', () => {
  it('join and leave are `joined` and `left` entries in seq order; the joiner receives the room on both namespaces until leaving', async () => {
    const { tabs, anotherTab } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const town = await createChannel(alice, 'town');
    const bobElsewhere = await anotherTab(1);
    const bobUpdates = heard<RoomSummaryDto>(bobElsewhere.dm, 'room:update');
    const bobRemovals = heard<RoomRemovedDto>(bobElsewhere.dm, 'room:removed');
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');
    const atBobElsewhere = heard<MessageDto>(bobElsewhere.lobby, 'message:new');

    const joined = await ok(dmRequest<RoomSummaryDto>(bob.dm, 'room:join', { roomId: town }));
    expect(joined.room).toMatchObject({ id: town, kind: 'public_channel', memberCount: 2, myRole: 'member' });
    expect(await dmRequest(bob.dm, 'room:join', { roomId: town })).toMatchObject({ ok: true, data: { room: { memberCount: 2 } } });
    const hello = await ok(request<MessageDto>(alice.lobby, 'message:send', { roomId: town, clientId: 'hello', body: 'hello Bob' }));
    await drain(bob, bobElsewhere);
    expect(bobUpdates.map((u) => u.room.id)).toContain(town);
    expect(atBob.filter((m) => m.roomId === town).map((m) => m.event?.type ?? m.body)).toEqual(['joined', 'hello Bob']);
    expect(atBobElsewhere.filter((m) => m.roomId === town).map((m) => m.id)).toEqual(atBob.filter((m) => m.roomId === town).map((m) => m.id));

    expect(await dmRequest(bob.dm, 'room:leave', { roomId: town })).toEqual({ ok: true, data: null });
    await say(alice, town, 'gone already?');
    await drain(bob, bobElsewhere);
    expect(bobRemovals).toEqual([{ roomId: town, reason: 'left' }]);
    expect(atBob.filter((m) => m.roomId === town).map((m) => m.event?.type ?? m.body)).toEqual(['joined', 'hello Bob']);
    expect((await roomList(bob)).map((s) => s.room.id)).toEqual(['lobby']);

    const stream = await streamOf(alice, town);
    expect(stream.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stream.map((m) => m.event?.type ?? m.body)).toEqual(['created', 'joined', 'hello Bob', 'left', 'gone already?']);
    expect(stream[1]!.author.id).toBe(bob.user.id);
    expect(stream[2]).toEqual(hello);
  });

  it('the lobby and DMs cannot be left, and the lobby keeps reaching the user afterwards', async () => {
    const { tabs } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const removals = heard(bob.dm, 'room:removed');
    for (const roomId of ['lobby', dmRoomId(alice.user.id, bob.user.id), dmRoomId(bob.user.id, bob.user.id)]) {
      expect(await dmRequest(bob.dm, 'room:leave', { roomId }), roomId).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');
    await ok(request(alice.lobby, 'message:send', { clientId: 'still', body: 'still here?' }));
    await drain(bob);
    expect(atBob.map((m) => m.body)).toEqual(['still here?']);
    expect(removals).toEqual([]);
    expect((await roomList(bob)).map((s) => s.room.id)).toEqual(['lobby']);
  });
});

describe('room:invite and room:remove', () => {
  it('on a private channel only the owner invites and removes; each is an entry in the stream and reaches the person concerned', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    const bobUpdates = heard<RoomSummaryDto>(bob.dm, 'room:update');
    const bobRemovals = heard<RoomRemovedDto>(bob.dm, 'room:removed');

    const room = await ok(dmRequest<RoomDto>(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    expect(room).toMatchObject({ id: ops, kind: 'private_channel', memberCount: 2, myRole: 'owner' });
    await drain(bob);
    expect(bobUpdates.map((u) => [u.room.id, u.room.myRole])).toContainEqual([ops, 'member']);

    expect(await dmRequest(bob.dm, 'room:invite', { roomId: ops, userIds: [carol.user.id] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(bob.dm, 'room:remove', { roomId: ops, userId: alice.user.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: alice.user.id })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // One unknown id refuses the whole batch: Carol is not added either.
    expect(await dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [carol.user.id, 'f'.repeat(24)] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await roomList(carol)).map((s) => s.room.id)).toEqual(['lobby']);
    // Inviting someone already in adds nothing.
    expect(await dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] })).toMatchObject({ ok: true, data: { memberCount: 2 } });

    expect(await dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: bob.user.id })).toEqual({ ok: true, data: null });
    await drain(bob);
    expect(bobRemovals).toEqual([{ roomId: ops, reason: 'removed' }]);
    expect((await roomList(bob)).map((s) => s.room.id)).toEqual(['lobby']);
    expect(eventsOf(await streamOf(alice, ops))).toEqual(['created:Alice:ops', 'added:Alice:Bob', 'removed:Alice:Bob']);
    expect((await ok(dmRequest<MemberPage>(alice.dm, 'room:members', { roomId: ops }))).members.map((m) => m.user.id)).toEqual([alice.user.id]);
  });

  it('on a public channel any member invites, only the owner removes; groups take neither', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol', 'Dave']);
    const [alice, bob, carol, dave] = tabs as [Tab, Tab, Tab, Tab];
    const town = await createChannel(alice, 'town');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: town }));
    expect(await dmRequest(bob.dm, 'room:invite', { roomId: town, userIds: [carol.user.id] })).toMatchObject({ ok: true, data: { memberCount: 3, myRole: 'member' } });
    expect(await dmRequest(bob.dm, 'room:remove', { roomId: town, userId: carol.user.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(eventsOf(await streamOf(carol, town))).toEqual(['created:Alice:town', 'joined:Bob', 'added:Bob:Carol']);

    const group = await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }));
    expect(await dmRequest(alice.dm, 'room:invite', { roomId: group.room.id, userIds: [dave.user.id] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(alice.dm, 'room:remove', { roomId: group.room.id, userId: bob.user.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(alice.dm, 'channel:edit', { roomId: group.room.id, topic: 'groups have none' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await roomList(dave)).map((s) => s.room.id)).toEqual(['lobby']);
    expect((await roomList(bob)).find((s) => s.room.id === group.room.id)?.room.memberCount).toBe(3);
  });

  it('invitations per minute are limited: the invite past the limit is refused with rate_limited and nothing changes', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol', 'Dave', 'Erin'], { config: { rateLimits: { invites: { points: 3, durationSeconds: 60 } } } });
    const [alice, bob, carol, dave, erin] = tabs as [Tab, Tab, Tab, Tab, Tab];
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id, carol.user.id] }));
    const before = await streamOf(alice, ops);
    const daveUpdates = heard(dave.dm, 'room:update');

    // One point is left; two newcomers need two.
    const refused = await dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [dave.user.id, erin.user.id] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    expect(refused.ok === false && refused.error.retryAfterMs!).toBeGreaterThan(0);
    // Someone already in costs nothing.
    expect(await dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] })).toMatchObject({ ok: true });

    await drain(dave);
    expect(daveUpdates).toEqual([]);
    expect(await streamOf(alice, ops)).toEqual(before);
    expect((await ok(dmRequest<MemberPage>(alice.dm, 'room:members', { roomId: ops }))).members.map((m) => m.user.id).sort()).toEqual([alice.user.id, bob.user.id, carol.user.id].sort());
    for (const tab of [dave, erin]) expect((await roomList(tab)).map((s) => s.room.id)).toEqual(['lobby']);
  });
});

describe('channel:edit', () => {
  it('only the owner renames, any member sets the topic; each change is an entry every member receives live', async () => {
    const { tabs } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const town = await createChannel(alice, 'town');
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await createChannel(alice, 'Other');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: town }));
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    await drain(alice, bob);
    // Public rooms' entries come over /lobby, private rooms' over /dm.
    const live = [heard<MessageDto>(alice.lobby, 'message:new'), heard<MessageDto>(bob.lobby, 'message:new'), heard<MessageDto>(alice.dm, 'dm:message'), heard<MessageDto>(bob.dm, 'dm:message')];

    expect(await dmRequest(bob.dm, 'channel:edit', { roomId: town, name: 'bobs-town' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(bob.dm, 'channel:edit', { roomId: town, topic: 'Everything civic' })).toMatchObject({ ok: true, data: { name: 'town', topic: 'Everything civic', myRole: 'member' } });
    expect(await dmRequest(alice.dm, 'channel:edit', { roomId: town, name: 'OTHER' })).toMatchObject({ ok: false, error: { code: 'name_taken' } });
    expect(await dmRequest(alice.dm, 'channel:edit', { roomId: town, name: 'town-square' })).toMatchObject({ ok: true, data: { name: 'town-square', topic: 'Everything civic' } });
    expect(await dmRequest(alice.dm, 'channel:edit', { roomId: ops, name: 'ops-2', topic: 'Pager' })).toMatchObject({ ok: true, data: { name: 'ops-2', topic: 'Pager' } });
    // Setting what is already set records nothing.
    expect(await dmRequest(bob.dm, 'channel:edit', { roomId: town, topic: 'Everything civic' })).toMatchObject({ ok: true });

    expect(eventsOf(await streamOf(bob, town))).toEqual(['created:Alice:town', 'joined:Bob', 'topic:Bob:Everything civic', 'renamed:Alice:town-square']);
    expect(eventsOf(await streamOf(bob, ops))).toEqual(['created:Alice:ops', 'added:Alice:Bob', 'renamed:Alice:ops-2', 'topic:Alice:Pager']);
    for (const tab of [alice, bob]) {
      const rooms = await roomList(tab);
      expect(summaryOf(rooms, town)?.room).toMatchObject({ name: 'town-square', topic: 'Everything civic' });
      expect(summaryOf(rooms, ops)?.room).toMatchObject({ name: 'ops-2', topic: 'Pager' });
    }
    await drain(alice, bob);
    const [aliceLobby, bobLobby, aliceDm, bobDm] = live as [MessageDto[], MessageDto[], MessageDto[], MessageDto[]];
    for (const received of [aliceLobby, bobLobby]) expect(eventsOf(received)).toEqual(['topic:Bob:Everything civic', 'renamed:Alice:town-square']);
    for (const received of [aliceDm, bobDm]) expect(eventsOf(received)).toEqual(['renamed:Alice:ops-2', 'topic:Alice:Pager']);
    // The old name is free again.
    expect(await dmRequest(bob.dm, 'channel:create', { name: 'town' })).toMatchObject({ ok: true });
  });
});

describe('room:members', () => {
  it('pages a channel’s members with their roles, and lists the lobby’s as everyone', async () => {
    const { tabs, people } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const town = await createChannel(alice, 'town');
    for (const tab of [bob, carol]) await ok(dmRequest(tab.dm, 'room:join', { roomId: town }));

    const members: { id: string; role: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await ok(dmRequest<MemberPage>(bob.dm, 'room:members', { roomId: town, limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(page.members.length).toBeLessThanOrEqual(2);
      members.push(...page.members.map((m) => ({ id: m.user.id, role: m.role })));
      cursor = page.nextCursor;
    } while (cursor);
    expect(members.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: alice.user.id, role: 'owner' },
        { id: bob.user.id, role: 'member' },
        { id: carol.user.id, role: 'member' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const lobby = await ok(dmRequest<MemberPage>(carol.dm, 'room:members', { roomId: 'lobby' }));
    expect(lobby.members.map((m) => m.user.id).sort()).toEqual(people.map((p) => p.user.id).sort());
  });
});

describe('room:list and read marks', () => {
  it('lists the lobby, then channels and groups, each with its newest entry and unread count; DMs stay in dm:conversations', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const news = await createChannel(alice, 'news');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: news }));
    const group = (await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }))).room.id;
    for (const body of ['one', 'two', 'three']) await ok(request(carol.lobby, 'message:send', { clientId: `lobby-${body}`, body }));
    await say(bob, news, 'extra extra');
    // A recalled message and its recall entry are not unread.
    await ok(dmRequest(bob.dm, 'message:recall', { id: (await say(bob, news, 'oops')).id }));
    const newest = await say(bob, news, 'read all about it');
    await say(alice, group, 'hi both');
    await say(carol, group, 'hi yourself');
    await ok(dmRequest(bob.dm, 'dm:send', { to: alice.user.id, clientId: 'direct', body: 'just us' }));

    const rooms = await roomList(alice);
    expect(rooms[0]?.room.id).toBe('lobby');
    expect(rooms.slice(1).map((s) => s.room.id).sort()).toEqual([news, group].sort());
    expect(rooms[0]).toMatchObject({ room: { id: 'lobby', kind: 'lobby', name: 'lobby', memberCount: 3 }, lastSeq: 3, unreadCount: 3, mentionCount: 0, myReadSeq: 0 });
    // Bob's join counts as unread, like his messages; Alice's own entries do not.
    expect(summaryOf(rooms, news)).toMatchObject({ room: { name: 'news', memberCount: 2, myRole: 'owner' }, lastMessage: newest, lastSeq: 6, unreadCount: 3 });
    const groupSummary = summaryOf(rooms, group)!;
    expect(groupSummary).toMatchObject({ room: { kind: 'group', name: null, memberCount: 3 }, lastSeq: 2, unreadCount: 1 });
    expect(groupSummary.room.members?.map((u) => u.id).sort()).toEqual([alice.user.id, bob.user.id, carol.user.id].sort());
  });

  it('dm:read clears a room’s unread count, reaches the reader’s other tab as dm:read and room:update, never moves back, and stays private', async () => {
    const { tabs, anotherTab } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const news = await createChannel(alice, 'news');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: news }));
    await say(bob, news, 'first');
    const last = await say(bob, news, 'second');
    await ok(request(bob.lobby, 'message:send', { clientId: 'l1', body: 'lobby one' }));
    const otherTab = await anotherTab(0);
    const reads = heard<ReadMarkDto>(otherTab.dm, 'dm:read');
    const updates = heard<RoomSummaryDto>(otherTab.dm, 'room:update');
    const bobReads = heard(bob.dm, 'dm:read');
    const bobsView = summaryOf(await roomList(bob), news);
    expect(summaryOf(await roomList(alice), news)?.unreadCount).toBe(3);

    expect(await dmRequest(alice.dm, 'dm:read', { roomId: news, seq: last.seq })).toEqual({ ok: true, data: { roomId: news, userId: alice.user.id, seq: last.seq } });
    await drain(otherTab, bob);
    expect(reads).toEqual([{ roomId: news, userId: alice.user.id, seq: last.seq }]);
    expect(updates.filter((u) => u.room.id === news).at(-1)).toMatchObject({ unreadCount: 0, myReadSeq: last.seq });
    expect(bobReads).toEqual([]);

    // Backwards (and far ahead: clamped to the newest) changes nothing and tells nobody.
    expect(await dmRequest(alice.dm, 'dm:read', { roomId: news, seq: 1 })).toMatchObject({ ok: true, data: { seq: last.seq } });
    expect(await dmRequest(alice.dm, 'dm:read', { roomId: news, seq: 10_000 })).toMatchObject({ ok: true, data: { seq: last.seq } });
    // The lobby has read marks too.
    expect(await dmRequest(alice.dm, 'dm:read', { roomId: 'lobby', seq: 1 })).toMatchObject({ ok: true, data: { roomId: 'lobby', seq: 1 } });
    await drain(otherTab);
    expect(reads.map((r) => [r.roomId, r.seq])).toEqual([[news, last.seq], ['lobby', 1]]);
    const rooms = await roomList(otherTab);
    expect(summaryOf(rooms, news)).toMatchObject({ unreadCount: 0, myReadSeq: last.seq });
    expect(summaryOf(rooms, 'lobby')).toMatchObject({ unreadCount: 0, myReadSeq: 1 });
    expect(summaryOf(await roomList(bob), news)).toEqual(bobsView);
  });

  it('writing in a room marks it read up to the message written, in the lobby, channels and groups, and the writer\'s other tab hears it', async () => {
    const { tabs, anotherTab } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const news = await createChannel(alice, 'news');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: news }));
    const group = (await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }))).room.id;
    await ok(request(alice.lobby, 'message:send', { clientId: 'a-lobby', body: 'morning' }));
    await say(alice, news, 'the plan');
    await say(alice, group, 'lunch?');
    await drain(alice, bob, carol);
    expect(Object.fromEntries((await roomList(bob)).map((s) => [s.room.id, s.unreadCount]))).toEqual({ lobby: 1, [news]: 1, [group]: 1 });
    const otherTab = await anotherTab(1);
    const reads = heard<ReadMarkDto>(otherTab.dm, 'dm:read');
    const carolHears = heard<ReadMarkDto>(carol.dm, 'dm:read');

    const inLobby = await ok(request<MessageDto>(bob.lobby, 'message:send', { clientId: 'b-lobby', body: 'hi' }));
    const inNews = await say(bob, news, 'agreed');
    // Through /lobby's message:send too, which takes any room the sender is in.
    const inGroup = await ok(request<MessageDto>(bob.lobby, 'message:send', { roomId: group, clientId: 'b-group', body: 'yes' }));
    await drain(otherTab, carol);

    const marks = [
      { roomId: 'lobby', userId: bob.user.id, seq: inLobby.seq },
      { roomId: news, userId: bob.user.id, seq: inNews.seq },
      { roomId: group, userId: bob.user.id, seq: inGroup.seq },
    ];
    // The mark is written after the ack (it never holds a send up), so it may arrive a little later.
    const byRoom = (list: ReadMarkDto[]) => [...list].sort((x, y) => x.roomId.localeCompare(y.roomId));
    await eventually(() => expect(byRoom(reads)).toEqual(byRoom(marks)));
    await eventually(() => expect(carolHears).toEqual([marks[2]]));
    const rooms = await roomList(otherTab);
    for (const mark of marks) expect(summaryOf(rooms, mark.roomId), mark.roomId).toMatchObject({ unreadCount: 0, myReadSeq: mark.seq });
    // A group shares read marks ("seen by"): Carol sees Bob's; a public channel's and the lobby's stay private.
    expect(carolHears).toEqual([marks[2]]);
    // A retry of the same send changes nothing and tells nobody again.
    await ok(request(bob.lobby, 'message:send', { clientId: 'b-lobby', body: 'hi' }));
    await drain(otherTab);
    expect(reads).toHaveLength(3);
  });

  it('a read mark that cannot be written fails no send: the writer gets the stored message, and the members receive it', async () => {
    const { server, tabs } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const news = await createChannel(alice, 'news');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: news }));
    await drain(alice, bob);
    server.stores.conversations.markRead = async () => {
      throw new Error('the read marks cannot be written');
    };
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');

    const lobbyAck = await request<MessageDto>(alice.lobby, 'message:send', { clientId: 'a-lobby', body: 'morning' });
    const newsAck = await dmRequest<MessageDto>(alice.dm, 'dm:send', { roomId: news, clientId: 'a-news', body: 'the plan' });
    expect(lobbyAck).toMatchObject({ ok: true, data: { roomId: 'lobby', body: 'morning' } });
    expect(newsAck).toMatchObject({ ok: true, data: { roomId: news, body: 'the plan' } });
    await drain(bob);
    expect(atBob).toEqual([(lobbyAck as { data: MessageDto }).data, (newsAck as { data: MessageDto }).data]);
    // A retry of the send (the outbox's, after a lost answer) is answered with the same message.
    expect(await request<MessageDto>(alice.lobby, 'message:send', { clientId: 'a-lobby', body: 'morning' })).toEqual(lobbyAck);
  });

  it('every member receives each new entry live, so the unread count kept from them matches room:list, from the read mark set on arrival', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    await ok(request(alice.lobby, 'message:send', { clientId: 'lobby-1', body: 'before Bob came' }));
    const news = await createChannel(alice, 'news');
    await say(alice, news, 'before Bob came');
    const joined = await ok(dmRequest<RoomSummaryDto>(bob.dm, 'room:join', { roomId: news }));
    // A newcomer has read everything up to their arrival.
    expect(joined).toMatchObject({ lastSeq: 3, myReadSeq: 3, unreadCount: 0 });
    const group = (await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }))).room.id;
    await drain(alice, bob, carol);
    const held = await roomList(bob);
    const liveLobby = heard<MessageDto>(bob.lobby, 'message:new');
    const livePrivate = heard<MessageDto>(bob.dm, 'dm:message');

    // Bob's own message first: writing in a room marks it read up to there (tested below).
    await say(bob, news, 'my own: not unread');
    await say(alice, news, 'one');
    await say(carol, group, 'two');
    const oops = await say(alice, group, 'oops');
    await ok(dmRequest(alice.dm, 'message:recall', { id: oops.id }));
    await ok(dmRequest(carol.dm, 'room:join', { roomId: news }));
    await ok(request(carol.lobby, 'message:send', { clientId: 'lobby-2', body: 'lobby too' }));
    await drain(bob);

    // As a client keeps it: each entry by someone else adds one; a recall takes its message back.
    const unreadFrom = (summary: RoomSummaryDto, entries: MessageDto[]) => {
      const recalled = new Set(entries.filter((m) => m.recall).map((m) => m.recall!.messageId));
      return summary.unreadCount + entries.filter((m) => m.roomId === summary.room.id && m.author.id !== bob.user.id && !m.recall && !recalled.has(m.id)).length;
    };
    const now = await roomList(bob);
    for (const before of held) {
      const entries = [...liveLobby, ...livePrivate].filter((m) => m.roomId === before.room.id).sort((x, y) => x.seq - y.seq);
      const after = summaryOf(now, before.room.id)!;
      expect(entries.at(-1)?.seq ?? before.lastSeq, before.room.id).toBe(after.lastSeq);
      expect(unreadFrom(before, entries), before.room.id).toBe(after.unreadCount);
    }
    expect(Object.fromEntries(now.map((s) => [s.room.id, s.unreadCount]))).toEqual({ lobby: 2, [news]: 2, [group]: 1 });
  });
});

describe('delivery to members only', () => {
  it('a public channel’s messages reach its members, not every lobby socket; the lobby still reaches everyone', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const town = await createChannel(alice, 'town');
    await ok(dmRequest(bob.dm, 'room:join', { roomId: town }));
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');
    const atCarol = heard<MessageDto>(carol.lobby, 'message:new');
    const privateAtBob = heard<MessageDto>(bob.dm, 'dm:message');

    const inTown = await ok(request<MessageDto>(alice.lobby, 'message:send', { roomId: town, clientId: 't1', body: 'members only' }));
    const viaDm = await say(alice, town, 'sent over /dm, heard on /lobby');
    const inLobby = await ok(request<MessageDto>(alice.lobby, 'message:send', { clientId: 'l1', body: 'everyone' }));
    await drain(bob, carol);
    expect(atBob).toEqual([inTown, viaDm, inLobby]);
    expect(atCarol).toEqual([inLobby]);
    expect(privateAtBob).toEqual([]);
  });

  it('a private channel’s and a group’s messages go to their members over /dm only', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol', 'Dave']);
    const [alice, bob, carol, dave] = tabs as [Tab, Tab, Tab, Tab];
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    const group = (await ok(dmRequest<RoomSummaryDto>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }))).room.id;
    await drain(bob, carol, dave);
    const heardBy = (tab: Tab) => ({ dm: heard<MessageDto>(tab.dm, 'dm:message'), lobby: heard<MessageDto>(tab.lobby, 'message:new') });
    const [atBob, atCarol, atDave] = [bob, carol, dave].map(heardBy) as [ReturnType<typeof heardBy>, ReturnType<typeof heardBy>, ReturnType<typeof heardBy>];

    const inOps = await ok(request<MessageDto>(alice.lobby, 'message:send', { roomId: ops, clientId: 'o1', body: 'ops over lobby' }));
    const inGroup = await say(alice, group, 'group');
    const recall = await ok(request<MessageDto>(alice.lobby, 'message:recall', { id: inOps.id }));
    expect(recall.recall).toEqual({ messageId: inOps.id, seq: inOps.seq });
    await drain(bob, carol, dave);
    expect(atBob).toEqual({ dm: [inOps, inGroup, recall], lobby: [] });
    expect(atCarol).toEqual({ dm: [inGroup], lobby: [] });
    expect(atDave).toEqual({ dm: [], lobby: [] });
  });

  it('typing in a channel is relayed to its other members only, on the namespace of its kind', async () => {
    const { tabs, anotherTab } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob, carol] = tabs as [Tab, Tab, Tab];
    const town = await createChannel(alice, 'town');
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(bob.dm, 'room:join', { roomId: town }));
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    const aliceElsewhere = await anotherTab(0);
    const typingAt = (tab: Tab) => [heard<TypingDto>(tab.lobby, 'typing'), heard<TypingDto>(tab.dm, 'typing')];
    const [bobLobby, bobDm] = typingAt(bob);
    const [carolLobby, carolDm] = typingAt(carol);
    const [selfLobby, selfDm] = typingAt(aliceElsewhere);

    await ok(request(alice.lobby, 'typing:start', { roomId: town }));
    await ok(dmRequest(alice.dm, 'typing:start', { roomId: ops }));
    await ok(dmRequest(alice.dm, 'typing:stop', { roomId: ops }));
    await drain(bob, carol, aliceElsewhere);
    const who = { id: alice.user.id, name: 'Alice' };
    expect(bobLobby).toEqual([{ roomId: town, user: who, isTyping: true }]);
    expect(bobDm).toEqual([
      { roomId: ops, user: who, isTyping: true },
      { roomId: ops, user: who, isTyping: false },
    ]);
    expect([carolLobby, carolDm, selfLobby, selfDm]).toEqual([[], [], [], []]);
  });
});

describe('ownership', () => {
  it('when the owner leaves, the member who joined earliest owns the channel, and nobody is announced as joining', async () => {
    const { tabs } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, ...others] = tabs as [Tab, Tab, Tab];
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    // The earlier joiner has the higher id, so a tie-break on ids would pick the other.
    const [earlier, later] = [...others].sort((a, b) => b.user.id.localeCompare(a.user.id)) as [Tab, Tab];
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [earlier.user.id] }));
    await settle(20);
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [later.user.id] }));
    await drain(earlier);
    const heirUpdates = heard<RoomSummaryDto>(earlier.dm, 'room:update');

    expect(await dmRequest(alice.dm, 'room:leave', { roomId: ops })).toEqual({ ok: true, data: null });
    await drain(earlier);
    expect(heirUpdates.filter((u) => u.room.id === ops).at(-1)?.room.myRole).toBe('owner');
    const members = await ok(dmRequest<MemberPage>(later.dm, 'room:members', { roomId: ops }));
    expect(members.members.map((m) => [m.user.id, m.role]).sort()).toEqual(
      [
        [earlier.user.id, 'owner'],
        [later.user.id, 'member'],
      ].sort(),
    );
    expect(await dmRequest(later.dm, 'channel:edit', { roomId: ops, name: 'mine' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(earlier.dm, 'channel:edit', { roomId: ops, name: 'ours' })).toMatchObject({ ok: true, data: { name: 'ours', myRole: 'owner' } });
    expect(eventsOf(await streamOf(later, ops))).toEqual([
      'created:Alice:ops',
      `added:Alice:${earlier.user.displayName}`,
      `added:Alice:${later.user.displayName}`,
      'left:Alice',
      `renamed:${earlier.user.displayName}:ours`,
    ]);
  });
});

describe('what one user can do to others and to names', () => {
  it('opening groups with people spends invitations like inviting them, so nobody fills another user\'s rooms with groups', async () => {
    const { tabs } = await world(['Mallory', 'Bob', 'Carol', 'Dave'], { config: { rateLimits: { invites: { points: 4, durationSeconds: 60 } } } });
    const [mallory, bob, carol, dave] = tabs as [Tab, Tab, Tab, Tab];
    await ok(dmRequest(mallory.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }));
    await ok(dmRequest(mallory.dm, 'group:open', { userIds: [bob.user.id, dave.user.id] }));
    const refused = await dmRequest(mallory.dm, 'group:open', { userIds: [carol.user.id, dave.user.id] });
    expect(code(refused)).toBe('rate_limited');
    // Nothing of the refused group exists: Carol and Dave are in one group each.
    expect((await roomList(carol)).filter((s) => s.room.kind === 'group')).toHaveLength(1);
    expect((await roomList(dave)).filter((s) => s.room.kind === 'group')).toHaveLength(1);
  });

  it('channel creations are rate-limited per user, and a refused one takes no name', async () => {
    const { tabs } = await world(['Mallory', 'Bob'], { config: { rateLimits: { channelCreates: { points: 2, durationSeconds: 3600 } } } });
    const [mallory, bob] = tabs as [Tab, Tab];
    await createChannel(mallory, 'squat-1');
    await createChannel(mallory, 'squat-2');
    expect(code(await dmRequest(mallory.dm, 'channel:create', { name: 'squat-3' }))).toBe('rate_limited');
    expect(code(await dmRequest(bob.dm, 'channel:create', { name: 'squat-3' }))).toBe('ok');
  });

  it('whoever joins a public channel everyone left becomes its owner', async () => {
    const { tabs } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const room = await createChannel(alice, 'abandoned');
    await ok(dmRequest(alice.dm, 'room:leave', { roomId: room }));
    const joined = await ok(dmRequest<RoomSummaryDto>(bob.dm, 'room:join', { roomId: room }));
    expect(joined.room).toMatchObject({ myRole: 'owner', memberCount: 1 });
    expect(code(await dmRequest(bob.dm, 'channel:edit', { roomId: room, name: 'adopted' }))).toBe('ok');
  });

  it('nobody can take the lobby\'s name, so /c/lobby never leads to a channel', async () => {
    const { tabs } = await world(['Alice']);
    const [alice] = tabs as [Tab];
    expect(await dmRequest(alice.dm, 'channel:create', { name: 'Lobby' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
    const room = await createChannel(alice, 'hall');
    expect(await dmRequest(alice.dm, 'channel:edit', { roomId: room, name: 'lobby' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
  });
});

describe('one instance alone', () => {
  it('changes memberships without asking for other instances (the in-memory adapter would warn on every change)', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const { tabs } = await world(['Alice', 'Bob']);
      const [alice, bob] = tabs as [Tab, Tab];
      const room = await createChannel(alice, 'quiet');
      await ok(dmRequest(bob.dm, 'room:join', { roomId: room }));
      await ok(dmRequest(bob.dm, 'room:leave', { roomId: room }));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
