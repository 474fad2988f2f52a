import { channelNameKey, type RoomEventDto } from '@confab/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MembershipRecord, NewChannel, NewMessage, RoomRecord, StoredMessage, Stores } from '../../src/store/ports.js';

/**
 * The behaviour every RoomStore must have (with `UserStore.count` and room event entries in the
 * message stream). Run once per implementation:
 * `describeRoomStoreContract('memory', () => createMemoryStores())`.
 */
export function describeRoomStoreContract(name: string, makeStores: () => Promise<Stores> | Stores) {
  describe(`${name} room store contract`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await makeStores();
      return () => stores.close();
    });

    const at = new Date('2026-03-01T12:00:00.000Z');
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    /** The n-th 24-hex-digit id: user ids, and the hex part of room ids. */
    const hex = (n: number) => n.toString(16).padStart(24, '0');
    const [alice, bob, carol, dave] = [hex(0xa1), hex(0xb2), hex(0xc3), hex(0xd4)];
    let nextRoom = 1;
    const channelId = () => `c:${hex(nextRoom++)}`;
    const groupId = () => `g:${hex(nextRoom++)}`;
    const channel = (channelName: string, overrides: Partial<NewChannel> = {}): NewChannel => ({
      id: channelId(),
      kind: 'public_channel',
      name: channelName,
      topic: '',
      createdBy: alice,
      createdAt: at,
      ...overrides,
    });
    async function created(input: NewChannel): Promise<RoomRecord> {
      const room = await stores.rooms.createChannel(input);
      if (room === 'name_taken') throw new Error(`${input.name} was taken`);
      return room;
    }
    const member = (roomId: string, userId: string, joinedAt = at, role: MembershipRecord['role'] = 'member'): MembershipRecord => ({ roomId, userId, role, joinedAt });
    const names = (rooms: RoomRecord[]) => rooms.map((r) => r.name);
    const userIds = (memberships: MembershipRecord[]) => memberships.map((m) => m.userId);

    describe('channels', () => {
      it('creates a channel as given and makes its creator its owner, joined when it was created', async () => {
        const input = channel('General', { kind: 'private_channel', topic: 'all things', createdBy: bob, createdAt: later(5) });
        const room = await created(input);
        expect(room).toEqual({ id: input.id, kind: 'private_channel', name: 'General', topic: 'all things', memberSet: [], createdBy: bob, createdAt: later(5) });
        expect(await stores.rooms.find(input.id)).toEqual(room);
        expect(await stores.rooms.findByName('general')).toEqual(room);
        expect(await stores.rooms.members(input.id, { limit: 10 })).toEqual([{ roomId: input.id, userId: bob, role: 'owner', joinedAt: later(5) }]);
        expect(await stores.rooms.roomsOf(bob)).toEqual([{ roomId: input.id, userId: bob, role: 'owner', joinedAt: later(5) }]);
      });

      it('refuses a name whose key exists, in any letter case or compatibility form, public or private', async () => {
        const first = await created(channel('Design', { kind: 'private_channel' }));
        for (const taken of ['design', 'DESIGN', 'ＤＥＳＩＧＮ']) {
          expect(await stores.rooms.createChannel(channel(taken)), taken).toBe('name_taken');
          expect(await stores.rooms.createChannel(channel(taken, { kind: 'private_channel' })), taken).toBe('name_taken');
        }
        expect(await stores.rooms.findByName(channelNameKey('ＤＥＳＩＧＮ'))).toEqual(first);
        expect(await stores.rooms.countRoomsOf(alice)).toBe(1);
        expect(await stores.rooms.createChannel(channel('design-2'))).toMatchObject({ name: 'design-2' });
      });

      it('concurrent creates of names differing only in letter case: exactly one wins, and only its creator owns a channel', async () => {
        const creators = [alice, bob, carol, dave];
        const inputs = ['Ops', 'OPS', 'ops', 'oPs', 'OpS', 'ops', 'Ops', 'oPS'].map((n, i) =>
          channel(n, { kind: i % 2 ? 'private_channel' : 'public_channel', createdBy: creators[i % 4]! }),
        );
        const results = await Promise.all(inputs.map((input) => stores.rooms.createChannel(input)));
        const winners = results.filter((r): r is RoomRecord => r !== 'name_taken');
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        expect(await stores.rooms.findByName('ops')).toEqual(winner);
        for (const input of inputs.filter((i) => i.id !== winner.id)) expect(await stores.rooms.find(input.id)).toBeNull();
        const owners = await Promise.all(creators.map((c) => stores.rooms.countRoomsOf(c)));
        expect(owners.reduce((a, b) => a + b, 0)).toBe(1);
        expect(await stores.rooms.membership(winner.id, winner.createdBy)).toMatchObject({ role: 'owner' });
      });

      it('a repeated create (same id, name and creator, as a retry after an error) returns the channel, with one owner', async () => {
        const input = channel('retried');
        const first = await created(input);
        expect(await stores.rooms.createChannel(input)).toEqual(first);
        expect(await stores.rooms.createChannel({ ...input, name: 'RETRIED' })).toEqual(first);
        expect(await stores.rooms.members(input.id, { limit: 10 })).toEqual([member(input.id, alice, at, 'owner')]);
        expect(await stores.rooms.createChannel({ ...input, id: channelId() })).toBe('name_taken');
      });

      it('finds nothing for unknown ids and names; findByName takes the key, never a pattern', async () => {
        await created(channel('alpha'));
        expect(await stores.rooms.find(channelId())).toBeNull();
        expect(await stores.rooms.findByName('beta')).toBeNull();
        for (const pattern of ['alph', 'alpha ', 'alph.', '.*', '^alpha$', '[a]lpha']) expect(await stores.rooms.findByName(pattern), pattern).toBeNull();
      });
    });

    describe('groups', () => {
      it('opens a group as given, unnamed and without memberships', async () => {
        const id = groupId();
        const group = await stores.rooms.openGroup({ id, memberSet: [alice, bob, carol], createdBy: bob, createdAt: later(3) });
        expect(group).toEqual({ id, kind: 'group', name: null, topic: '', memberSet: [alice, bob, carol], createdBy: bob, createdAt: later(3) });
        expect(await stores.rooms.find(id)).toEqual(group);
        expect(await stores.rooms.memberCount(id)).toBe(0);
        expect(await stores.rooms.countRoomsOf(bob)).toBe(0);
      });

      it('concurrent opens of one set by different people return one and the same record', async () => {
        const id = groupId();
        const openers = [alice, bob, carol, alice, bob, carol, alice, bob];
        const results = await Promise.all(
          openers.map((createdBy, i) => stores.rooms.openGroup({ id, memberSet: [alice, bob, carol], createdBy, createdAt: later(i) })),
        );
        // Each call proposed another creator and time: all agreeing means one record was stored.
        for (const result of results) expect(result).toEqual(results[0]);
        expect(await stores.rooms.find(id)).toEqual(results[0]);
        expect(await stores.rooms.openGroup({ id, memberSet: [alice, bob, carol], createdBy: dave, createdAt: later(99) })).toEqual(results[0]);
      });

      it('many groups and channels live side by side: groups have no name to collide on', async () => {
        const ids = [groupId(), groupId(), groupId()];
        for (const id of ids) await stores.rooms.openGroup({ id, memberSet: [alice, bob, carol], createdBy: alice, createdAt: at });
        const one = await created(channel('one'));
        // Not a valid channel name, but the store must not confuse it with the group of that id either.
        const likeGroupId = await created(channel(ids[0]!));
        for (const id of ids) expect(await stores.rooms.find(id)).toMatchObject({ id, kind: 'group', name: null });
        expect(await stores.rooms.find(one.id)).toEqual(one);
        expect(await stores.rooms.findByName(ids[0]!)).toEqual(likeGroupId);
        expect(await stores.rooms.findByName(ids[1]!)).toBeNull();
      });
    });

    describe('browse', () => {
      async function directory() {
        for (const [channelName, kind] of [
          ['beta', 'public_channel'],
          ['Alpha', 'public_channel'],
          ['alpine', 'public_channel'],
          ['a-b', 'public_channel'],
          ['a_b', 'public_channel'],
          ['abc', 'private_channel'],
          ['albatross', 'private_channel'],
          ['﨎x', 'public_channel'],
          ['𠀀x', 'public_channel'],
        ] as const) {
          await created(channel(channelName, { kind }));
        }
        await stores.rooms.openGroup({ id: groupId(), memberSet: [alice, bob, carol], createdBy: alice, createdAt: at });
      }

      it('lists public channels only (never private ones, never groups), by name key in code point order', async () => {
        await directory();
        // U+FA0E sorts before U+20000 by code point (MongoDB's order), after it by UTF-16 unit.
        expect(names(await stores.rooms.browse({ prefix: '', limit: 50 }))).toEqual(['a-b', 'a_b', 'Alpha', 'alpine', 'beta', '﨎x', '𠀀x']);
        expect(await stores.rooms.browse({ prefix: 'abc', limit: 50 })).toEqual([]);
        expect(await stores.rooms.browse({ prefix: 'albatross', limit: 50 })).toEqual([]);
      });

      it('matches the prefix of the name key, in any letter case or compatibility form', async () => {
        await directory();
        expect(names(await stores.rooms.browse({ prefix: 'al', limit: 50 }))).toEqual(['Alpha', 'alpine']);
        expect(names(await stores.rooms.browse({ prefix: 'ALP', limit: 50 }))).toEqual(['Alpha', 'alpine']);
        expect(names(await stores.rooms.browse({ prefix: 'ａｌｐｈ', limit: 50 }))).toEqual(['Alpha']);
        expect(names(await stores.rooms.browse({ prefix: '𠀀', limit: 50 }))).toEqual(['𠀀x']);
        expect(names(await stores.rooms.browse({ prefix: 'a-', limit: 50 }))).toEqual(['a-b']);
        expect(await stores.rooms.browse({ prefix: 'alphas', limit: 50 })).toEqual([]);
        expect(await stores.rooms.browse({ prefix: 'gamma', limit: 50 })).toEqual([]);
      });

      it('compares the prefix as plain text, never as a pattern', async () => {
        await directory();
        for (const prefix of ['a.*', '.*', '.', 'a.', '^a', '[a]', 'a+', 'a|b', '(a)', '\\', '$', 'a{1}', 'a?', '*']) {
          expect(await stores.rooms.browse({ prefix, limit: 50 }), prefix).toEqual([]);
        }
      });

      it('pages with limit and afterNameKey, with no gap or overlap', async () => {
        await directory();
        expect(names(await stores.rooms.browse({ prefix: '', limit: 3 }))).toEqual(['a-b', 'a_b', 'Alpha']);
        expect(names(await stores.rooms.browse({ prefix: '', afterNameKey: 'alpha', limit: 3 }))).toEqual(['alpine', 'beta', '﨎x']);
        expect(names(await stores.rooms.browse({ prefix: '', afterNameKey: '﨎x', limit: 3 }))).toEqual(['𠀀x']);
        expect(await stores.rooms.browse({ prefix: '', afterNameKey: '𠀀x', limit: 3 })).toEqual([]);
        expect(names(await stores.rooms.browse({ prefix: 'al', afterNameKey: 'alpha', limit: 3 }))).toEqual(['alpine']);
        // A cursor before the prefix's range starts the range.
        expect(names(await stores.rooms.browse({ prefix: 'al', afterNameKey: 'a', limit: 3 }))).toEqual(['Alpha', 'alpine']);
      });
    });

    describe('update', () => {
      it('renames a channel: the new name is found and browsed, the old one is free again', async () => {
        const room = await created(channel('old-name', { topic: 'kept' }));
        const renamed = await stores.rooms.update(room.id, { name: 'New-Name' });
        expect(renamed).toEqual({ ...room, name: 'New-Name' });
        expect(await stores.rooms.find(room.id)).toEqual(renamed);
        expect(await stores.rooms.findByName('new-name')).toEqual(renamed);
        expect(await stores.rooms.findByName('old-name')).toBeNull();
        expect(names(await stores.rooms.browse({ prefix: '', limit: 10 }))).toEqual(['New-Name']);
        expect(await stores.rooms.createChannel(channel('OLD-name'))).toMatchObject({ name: 'OLD-name' });
      });

      it('refuses a name another channel (public or private) holds in any letter case, and changes nothing', async () => {
        const room = await created(channel('mine', { topic: 'before' }));
        await created(channel('Public-One'));
        await created(channel('Secret', { kind: 'private_channel' }));
        for (const taken of ['public-one', 'SECRET']) {
          expect(await stores.rooms.update(room.id, { name: taken, topic: 'after' }), taken).toBe('name_taken');
        }
        expect(await stores.rooms.find(room.id)).toEqual(room);
        expect(await stores.rooms.findByName('mine')).toEqual(room);
      });

      it('renames a channel to another letter case of its own name', async () => {
        const room = await created(channel('quiet'));
        expect(await stores.rooms.update(room.id, { name: 'QUIET' })).toEqual({ ...room, name: 'QUIET' });
        expect(await stores.rooms.findByName('quiet')).toEqual({ ...room, name: 'QUIET' });
      });

      it('sets and clears the topic, alone or with the name', async () => {
        const room = await created(channel('topical'));
        expect(await stores.rooms.update(room.id, { topic: 'what we do' })).toEqual({ ...room, topic: 'what we do' });
        expect(await stores.rooms.update(room.id, { name: 'topical-2', topic: '' })).toEqual({ ...room, name: 'topical-2', topic: '' });
        expect(await stores.rooms.find(room.id)).toEqual({ ...room, name: 'topical-2', topic: '' });
      });

      it('answers null for an unknown room and for a group, and changes neither', async () => {
        const id = groupId();
        const group = await stores.rooms.openGroup({ id, memberSet: [alice, bob, carol], createdBy: alice, createdAt: at });
        expect(await stores.rooms.update(channelId(), { name: 'ghost' })).toBeNull();
        expect(await stores.rooms.update(id, { name: 'not-a-channel', topic: 'no' })).toBeNull();
        expect(await stores.rooms.find(id)).toEqual(group);
        expect(await stores.rooms.findByName('ghost')).toBeNull();
        expect(await stores.rooms.findByName('not-a-channel')).toBeNull();
      });

      it('concurrent renames of different channels to one name: exactly one wins', async () => {
        const rooms = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((n) => created(channel(n))));
        const results = await Promise.all(rooms.map((room, i) => stores.rooms.update(room.id, { name: ['Fresh', 'FRESH', 'fresh', 'fResh'][i]! })));
        const winners = results.filter((r): r is RoomRecord => r !== null && r !== 'name_taken');
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => r === 'name_taken')).toHaveLength(3);
        const winner = winners[0]!;
        expect(await stores.rooms.findByName('fresh')).toEqual(winner);
        const unchanged = rooms.filter((room) => room.id !== winner.id);
        for (const room of unchanged) expect(await stores.rooms.find(room.id)).toEqual(room);
        expect(await stores.rooms.browse({ prefix: '', limit: 10 })).toHaveLength(4);
      });
    });

    describe('memberships', () => {
      it('adds a member once: a second add keeps the membership as it was', async () => {
        const room = await created(channel('club'));
        expect(await stores.rooms.addMember(member(room.id, bob, later(1)))).toBe(true);
        expect(await stores.rooms.addMember(member(room.id, bob, later(2), 'owner'))).toBe(false);
        expect(await stores.rooms.membership(room.id, bob)).toEqual(member(room.id, bob, later(1)));
        expect(await stores.rooms.membership(room.id, carol)).toBeNull();
        expect(await stores.rooms.memberCount(room.id)).toBe(2);
      });

      it('concurrent adds of one member: exactly one reports adding them', async () => {
        const room = await created(channel('crowded'));
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores.rooms.addMember(member(room.id, bob, later(i)))));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await stores.rooms.memberCount(room.id)).toBe(2);
        expect(await stores.rooms.countRoomsOf(bob)).toBe(1);
      });

      it('removes a member once: only the call that removed them says so, also when calls race', async () => {
        const room = await created(channel('leaving'));
        await stores.rooms.addMember(member(room.id, bob));
        await stores.rooms.addMember(member(room.id, carol));
        expect(await stores.rooms.removeMember(room.id, bob)).toBe(true);
        expect(await stores.rooms.removeMember(room.id, bob)).toBe(false);
        const racing = await Promise.all(Array.from({ length: 8 }, () => stores.rooms.removeMember(room.id, carol)));
        expect(racing.filter(Boolean)).toHaveLength(1);
        expect(await stores.rooms.membership(room.id, carol)).toBeNull();
        expect(userIds(await stores.rooms.members(room.id, { limit: 10 }))).toEqual([alice]);
        // Back in after leaving: a fresh membership.
        expect(await stores.rooms.addMember(member(room.id, bob, later(9)))).toBe(true);
        expect(await stores.rooms.membership(room.id, bob)).toEqual(member(room.id, bob, later(9)));
      });

      it('a join racing a leave ends in one state that every read agrees on', async () => {
        const room = await created(channel('flaky'));
        const calls = Array.from({ length: 10 }, (_, i) => (i % 2 ? stores.rooms.removeMember(room.id, bob) : stores.rooms.addMember(member(room.id, bob))));
        await Promise.all(calls);
        const isMember = (await stores.rooms.membership(room.id, bob)) !== null;
        expect(await stores.rooms.memberCount(room.id)).toBe(isMember ? 2 : 1);
        expect(await stores.rooms.countRoomsOf(bob)).toBe(isMember ? 1 : 0);
        expect(userIds(await stores.rooms.members(room.id, { limit: 10 }))).toEqual(isMember ? [alice, bob].sort() : [alice]);
      });

      it('changes a member\'s role; false for someone who is not a member', async () => {
        const room = await created(channel('roles'));
        await stores.rooms.addMember(member(room.id, bob, later(1)));
        expect(await stores.rooms.setRole(room.id, bob, 'owner')).toBe(true);
        expect(await stores.rooms.setRole(room.id, alice, 'member')).toBe(true);
        expect(await stores.rooms.membership(room.id, bob)).toEqual(member(room.id, bob, later(1), 'owner'));
        expect(await stores.rooms.membership(room.id, alice)).toEqual(member(room.id, alice, at, 'member'));
        expect(await stores.rooms.setRole(room.id, carol, 'owner')).toBe(false);
        expect(await stores.rooms.membership(room.id, carol)).toBeNull();
        expect(await stores.rooms.setRole(channelId(), bob, 'owner')).toBe(false);
      });

      it('lists members by user id, after a cursor, up to a limit', async () => {
        const id = groupId();
        await stores.rooms.openGroup({ id, memberSet: [alice, bob, carol, dave], createdBy: alice, createdAt: at });
        for (const userId of [dave, bob, alice, carol]) await stores.rooms.addMember(member(id, userId));
        expect(userIds(await stores.rooms.members(id, { limit: 10 }))).toEqual([alice, bob, carol, dave]);
        expect(userIds(await stores.rooms.members(id, { limit: 2 }))).toEqual([alice, bob]);
        expect(userIds(await stores.rooms.members(id, { afterUserId: bob, limit: 2 }))).toEqual([carol, dave]);
        expect(await stores.rooms.members(id, { afterUserId: dave, limit: 2 })).toEqual([]);
        expect(await stores.rooms.members(groupId(), { limit: 2 })).toEqual([]);
      });

      it('the earliest member is who joined first, the lower user id on a tie, among those still there', async () => {
        const id = groupId();
        await stores.rooms.openGroup({ id, memberSet: [alice, bob, carol, dave], createdBy: alice, createdAt: at });
        expect(await stores.rooms.earliestMember(id)).toBeNull();
        await stores.rooms.addMember(member(id, dave, later(1)));
        await stores.rooms.addMember(member(id, carol, later(2)));
        await stores.rooms.addMember(member(id, bob, later(2)));
        await stores.rooms.addMember(member(id, alice, later(3)));
        expect(await stores.rooms.earliestMember(id)).toEqual(member(id, dave, later(1)));
        await stores.rooms.removeMember(id, dave);
        expect(await stores.rooms.earliestMember(id)).toEqual(member(id, bob, later(2)));
        await stores.rooms.removeMember(id, bob);
        expect(await stores.rooms.earliestMember(id)).toEqual(member(id, carol, later(2)));
      });

      it('a user\'s rooms and their count follow adds and removals, channels and groups alike, and no one else\'s', async () => {
        const general = await created(channel('general'));
        const secret = await created(channel('secret', { kind: 'private_channel', createdBy: bob }));
        const group = groupId();
        await stores.rooms.openGroup({ id: group, memberSet: [alice, bob, carol], createdBy: bob, createdAt: at });
        expect(await stores.rooms.countRoomsOf(bob)).toBe(1);
        await stores.rooms.addMember(member(general.id, bob, later(1)));
        await stores.rooms.addMember(member(group, bob, later(2)));
        await stores.rooms.addMember(member(group, carol, later(2)));
        const byRoom = (ms: MembershipRecord[]) => [...ms].sort((a, b) => (a.roomId < b.roomId ? -1 : 1));
        expect(byRoom(await stores.rooms.roomsOf(bob))).toEqual(
          byRoom([member(general.id, bob, later(1)), member(secret.id, bob, at, 'owner'), member(group, bob, later(2))]),
        );
        expect(await stores.rooms.countRoomsOf(bob)).toBe(3);
        await stores.rooms.removeMember(secret.id, bob);
        await stores.rooms.removeMember(group, bob);
        expect(await stores.rooms.roomsOf(bob)).toEqual([member(general.id, bob, later(1))]);
        expect(await stores.rooms.countRoomsOf(bob)).toBe(1);
        expect(await stores.rooms.roomsOf(carol)).toEqual([member(group, carol, later(2))]);
        expect(await stores.rooms.roomsOf(dave)).toEqual([]);
        expect(await stores.rooms.countRoomsOf(dave)).toBe(0);
      });
    });

    describe('users', () => {
      it('counts registered users; a refused create counts nothing', async () => {
        expect(await stores.users.count()).toBe(0);
        for (const username of ['Ann', 'Ben', 'Cat']) await stores.users.create({ username, displayName: username, passwordHash: 'h', createdAt: at });
        expect(await stores.users.create({ username: 'ANN', displayName: 'x', passwordHash: 'h', createdAt: at })).toBe('username_taken');
        expect(await stores.users.count()).toBe(3);
      });
    });

    describe('room event entries', () => {
      const author = (id: string, authorName: string) => ({ id, name: authorName });
      const [aliceAuthor, bobAuthor] = [author(alice, 'Alice'), author(bob, 'Bob')];
      const entry = (roomId: string, clientId: string, who: typeof aliceAuthor, event?: RoomEventDto): NewMessage => ({
        roomId,
        clientId,
        author: who,
        body: event ? '' : `text ${clientId}`,
        createdAt: at,
        ...(event ? { event } : {}),
      });
      const events: RoomEventDto[] = [
        { type: 'created', name: 'General', topic: '' },
        { type: 'joined' },
        { type: 'added', user: { id: carol, name: 'Carol' } },
        { type: 'renamed', name: 'Général' },
        { type: 'topic', topic: '' },
        { type: 'removed', user: { id: carol, name: 'Carol' } },
        { type: 'left' },
      ];

      it('are stored with their own seq, an empty body and what changed, and come back so from every read', async () => {
        const roomId = `c:${hex(0xe1)}`;
        const appended: StoredMessage[] = [];
        for (const [i, event] of events.entries()) {
          const result = await stores.messages.append(entry(roomId, `ev-${i}`, i % 2 ? bobAuthor : aliceAuthor, event));
          expect(result.isNew).toBe(true);
          expect(result.message).toMatchObject({ seq: i + 1, body: '', event });
          expect(result.message.event).toEqual(event);
          appended.push(result.message);
        }
        const plain = (await stores.messages.append(entry(roomId, 'plain', aliceAuthor))).message;
        expect(plain.seq).toBe(events.length + 1);
        expect(plain).not.toHaveProperty('event');
        const all = [...appended, plain];
        expect((await stores.messages.history(roomId, { limit: 50 })).messages).toEqual(all);
        expect((await stores.messages.history(roomId, { beforeSeq: 4, limit: 2 })).messages).toEqual(all.slice(1, 3));
        expect((await stores.messages.since(roomId, { afterSeq: 0, limit: 50 })).messages).toEqual(all);
        expect((await stores.messages.since(roomId, { afterSeq: 3, limit: 2 })).messages).toEqual(all.slice(3, 5));
        expect(await stores.messages.findById(appended[2]!.id)).toEqual(appended[2]);
        expect(await stores.messages.newest(roomId)).toEqual(plain);
        // A repeat is idempotent like any entry.
        expect(await stores.messages.append(entry(roomId, 'ev-1', bobAuthor, events[1]))).toEqual({ message: appended[1], isNew: false });
      });

      it('count as unread like a message by their author, in rooms that count authors or not', async () => {
        for (const countAuthors of [false, true]) {
          const roomId = `c:${hex(countAuthors ? 0xe2 : 0xe3)}`;
          const append = (clientId: string, who: typeof aliceAuthor, event?: RoomEventDto) =>
            stores.messages.append({ ...entry(roomId, `${roomId}-${clientId}`, who, event), ...(countAuthors ? { countAuthors } : {}) });
          await append('e1', aliceAuthor, { type: 'created', name: 'x', topic: '' });
          await append('e2', bobAuthor, { type: 'joined' });
          await append('m3', bobAuthor);
          await append('e4', bobAuthor, { type: 'topic', topic: 'new' });
          await append('m5', aliceAuthor);
          expect(await stores.messages.countUnread(roomId, { afterSeq: 0, excludeAuthorId: alice }), `countAuthors ${countAuthors}`).toBe(3);
          expect(await stores.messages.countUnread(roomId, { afterSeq: 0, excludeAuthorId: bob }), `countAuthors ${countAuthors}`).toBe(2);
          expect(await stores.messages.countUnread(roomId, { afterSeq: 3, excludeAuthorId: alice }), `countAuthors ${countAuthors}`).toBe(1);
          expect(await stores.messages.countUnread(roomId, { afterSeq: 1, excludeAuthorId: alice, throughSeq: 2 }), `countAuthors ${countAuthors}`).toBe(1);
        }
      });
    });
  });
}
