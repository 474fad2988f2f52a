import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { instrumentStores } from '../src/store/instrumented.js';
import { createMemoryStores } from '../src/store/memory/index.js';
import { openPersistedMemoryStores } from '../src/store/memory/persistedMemoryStores.js';
import type { RoomRecord, Stores } from '../src/store/ports.js';
import { dropDatabase, freshTestStores, openTestStores, testDatabaseName } from './support/mongo.js';
import { describeRoomStoreContract } from './support/roomStoreContract.js';

const root = mkdtempSync(join(tmpdir(), 'confab-room-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent', pretty: false });
let fileCount = 0;
/** A store file in a folder of its own. */
function freshFile(): string {
  fileCount += 1;
  return join(root, String(fileCount), 'store.json');
}

describeRoomStoreContract('memory', () => createMemoryStores());
describeRoomStoreContract('memory kept in a file', () => openPersistedMemoryStores(freshFile(), { logger }));
describeRoomStoreContract('mongodb', () => freshTestStores(import.meta.filename));

const at = new Date('2026-03-01T12:00:00.000Z');
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
const [alice, bob, carol] = ['a'.repeat(24), 'b'.repeat(24), 'c'.repeat(24)];
const channelId = 'c:' + '1'.repeat(24);
const privateId = 'c:' + '2'.repeat(24);
const groupId = 'g:' + '3'.repeat(24);

function created(room: RoomRecord | 'name_taken'): RoomRecord {
  if (room === 'name_taken') throw new Error('unexpected name_taken');
  return room;
}

describe('the file-backed memory store keeps rooms', () => {
  /** One of everything rooms have, written out and opened again. */
  async function seeded(file: string) {
    const stores = await openPersistedMemoryStores(file, { logger });
    const general = created(await stores.rooms.createChannel({ id: channelId, kind: 'public_channel', name: 'General', topic: 'hi', createdBy: alice, createdAt: at }));
    const secret = created(await stores.rooms.createChannel({ id: privateId, kind: 'private_channel', name: 'Secret', topic: '', createdBy: bob, createdAt: later(1) }));
    const group = await stores.rooms.openGroup({ id: groupId, memberSet: [alice, bob, carol], createdBy: carol, createdAt: later(2) });
    await stores.rooms.addMember({ roomId: channelId, userId: bob, role: 'member', joinedAt: later(3) });
    for (const userId of [alice, bob, carol]) await stores.rooms.addMember({ roomId: groupId, userId, role: 'member', joinedAt: later(4) });
    const { message: event } = await stores.messages.append({
      roomId: channelId,
      clientId: 'join-1',
      author: { id: bob, name: 'Bob' },
      body: '',
      createdAt: later(3),
      event: { type: 'added', user: { id: carol, name: 'Carol' } },
    });
    await stores.close();
    return { general, secret, group, event, reopened: await openPersistedMemoryStores(file, { logger }) };
  }

  it('channels, groups, memberships, roles and event entries are as they were after a reopen, dates as dates', async () => {
    const { general, secret, group, event, reopened } = await seeded(freshFile());
    expect(await reopened.rooms.find(channelId)).toEqual(general);
    expect(await reopened.rooms.find(privateId)).toEqual(secret);
    expect(await reopened.rooms.find(groupId)).toEqual(group);
    expect(await reopened.rooms.findByName('general')).toEqual(general);
    expect(await reopened.rooms.members(channelId, { limit: 10 })).toEqual([
      { roomId: channelId, userId: alice, role: 'owner', joinedAt: at },
      { roomId: channelId, userId: bob, role: 'member', joinedAt: later(3) },
    ]);
    expect(await reopened.rooms.countRoomsOf(bob)).toBe(3);
    expect(await reopened.rooms.memberCount(groupId)).toBe(3);
    expect(await reopened.messages.findById(event.id)).toEqual(event);
    expect(event.event).toEqual({ type: 'added', user: { id: carol, name: 'Carol' } });
    // The name index is rebuilt too: the name stays taken, in any letter case.
    expect(await reopened.rooms.createChannel({ id: 'c:' + '9'.repeat(24), kind: 'public_channel', name: 'SECRET', topic: '', createdBy: carol, createdAt: at })).toBe('name_taken');
    await reopened.close();
  });

  const changes: [string, (s: Stores) => Promise<unknown>, (s: Stores) => Promise<unknown>, unknown][] = [
    ['a new channel', (s) => s.rooms.createChannel({ id: 'c:' + '4'.repeat(24), kind: 'public_channel', name: 'new', topic: '', createdBy: carol, createdAt: later(9) }), async (s) => (await s.rooms.membership('c:' + '4'.repeat(24), carol))?.role, 'owner'],
    ['a new group', (s) => s.rooms.openGroup({ id: 'g:' + '5'.repeat(24), memberSet: [alice, bob, carol], createdBy: bob, createdAt: later(9) }), async (s) => (await s.rooms.find('g:' + '5'.repeat(24)))?.createdBy, bob],
    ['a rename', (s) => s.rooms.update(channelId, { name: 'Renamed' }), async (s) => (await s.rooms.findByName('renamed'))?.id, channelId],
    ['a topic', (s) => s.rooms.update(channelId, { topic: 'new topic' }), async (s) => (await s.rooms.find(channelId))?.topic, 'new topic'],
    ['a new member', (s) => s.rooms.addMember({ roomId: privateId, userId: carol, role: 'member', joinedAt: later(9) }), (s) => s.rooms.countRoomsOf(carol), 2],
    ['a removed member', (s) => s.rooms.removeMember(channelId, bob), (s) => s.rooms.membership(channelId, bob), null],
    ['a new role', (s) => s.rooms.setRole(channelId, bob, 'owner'), async (s) => (await s.rooms.membership(channelId, bob))?.role, 'owner'],
  ];
  it.each(changes)('%s alone is in the file after close', async (_name, change, read, expected) => {
    const file = freshFile();
    const { reopened } = await seeded(file);
    await change(reopened);
    await reopened.close();
    const stores = await openPersistedMemoryStores(file, { logger });
    expect(await read(stores)).toEqual(expected);
    await stores.close();
  });

  it('opens a file written before rooms existed, with no rooms, and writes them from then on', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    await stores.users.create({ username: 'old', displayName: 'Old', passwordHash: 'h', createdAt: at });
    await stores.close();
    const { rooms: _rooms, ...before } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(before), { mode: 0o600 });

    const reopened = await openPersistedMemoryStores(file, { logger });
    expect(await reopened.users.count()).toBe(1);
    expect(await reopened.rooms.browse({ prefix: '', limit: 10 })).toEqual([]);
    await reopened.rooms.createChannel({ id: channelId, kind: 'public_channel', name: 'first', topic: '', createdBy: alice, createdAt: at });
    await reopened.close();
    expect((JSON.parse(readFileSync(file, 'utf8')) as { rooms: { records: unknown[] } }).rooms.records).toHaveLength(1);
  });
});

describe('instrumented stores', () => {
  it('time the room store\'s calls like the others', async () => {
    const calls: string[] = [];
    const stores = instrumentStores(createMemoryStores(), (store, method) => void calls.push(`${store}.${method}`));
    await stores.rooms.memberCount(channelId);
    await stores.users.count();
    expect(calls).toEqual(['rooms.memberCount', 'users.count']);
  });
});

describe('mongodb room store, beyond the contract', () => {
  it('two store instances (two servers) racing on one name, one group and one membership: one of each wins', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const [one, two] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
    try {
      const creates = ['Team', 'TEAM', 'team', 'tEaM', 'TeaM', 'teaM'].map((name, i) =>
        (i % 2 ? one : two).rooms.createChannel({ id: `c:${String(i).padStart(24, '0')}`, kind: 'public_channel', name, topic: '', createdBy: alice, createdAt: at }),
      );
      const opens = Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? two : one).rooms.openGroup({ id: groupId, memberSet: [alice, bob, carol], createdBy: [alice, bob, carol][i % 3]!, createdAt: later(i) }),
      );
      const adds = Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).rooms.addMember({ roomId: groupId, userId: bob, role: 'member', joinedAt: later(i) }));
      const [created, opened, added] = await Promise.all([Promise.all(creates), Promise.all(opens), Promise.all(adds)]);
      expect(created.filter((r) => r !== 'name_taken')).toHaveLength(1);
      for (const group of opened) expect(group).toEqual(opened[0]);
      expect(added.filter(Boolean)).toHaveLength(1);
      for (const stores of [one, two]) {
        expect(await stores.rooms.find(groupId)).toEqual(opened[0]);
        expect(await stores.rooms.memberCount(groupId)).toBe(1);
        expect(await stores.rooms.browse({ prefix: 'team', limit: 10 })).toHaveLength(1);
      }
    } finally {
      await one.close();
      await two.close();
      await dropDatabase(dbName);
    }
  });

  it('refuses room documents its schemas reject, and stores nothing', async () => {
    const dbName = testDatabaseName(import.meta.filename);
    const stores = await openTestStores(dbName);
    try {
      await expect(stores.rooms.createChannel({ id: 'not-a-room', kind: 'public_channel', name: 'x', topic: '', createdBy: alice, createdAt: at })).rejects.toThrow(/_id/);
      await expect(stores.rooms.createChannel({ id: channelId, kind: 'public_channel', name: 'x'.repeat(161), topic: '', createdBy: alice, createdAt: at })).rejects.toThrow(/name/);
      await expect(stores.rooms.addMember({ roomId: 'lobby', userId: alice, role: 'member', joinedAt: at })).rejects.toThrow(/roomId/);
      await expect(stores.rooms.addMember({ roomId: channelId, userId: alice, role: 'admin' as 'member', joinedAt: at })).rejects.toThrow(/role/);
      expect(await stores.rooms.find(channelId)).toBeNull();
      expect(await stores.rooms.countRoomsOf(alice)).toBe(0);
    } finally {
      await stores.close();
      await dropDatabase(dbName);
    }
  });
});
