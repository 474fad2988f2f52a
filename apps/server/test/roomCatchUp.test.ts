import { LIMITS, type MessageDto, type MessagePage, type RoomSummaryDto } from '@confab/shared';
import type { StoredMessage } from '../src/store/ports.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Stores } from '../src/testing.js';
import { request } from './support/client.js';
import { dmRequest } from './support/dmClient.js';
import { createChannel, ok, openTab, say, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

/**
 * What a client holds, built as docs/protocol.md tells one to: `room:list`, then `dm:sync` from
 * the newest seq held, only for rooms whose `lastSeq` is above it, paging while `hasMore`; rooms
 * absent from the list are forgotten. Records which rooms it fetched, and how many requests.
 */
class RoomMirror {
  readonly rooms = new Map<string, { name: string | null; entries: MessageDto[] }>();
  fetched = new Set<string>();
  syncRequests = 0;

  heldSeq(roomId: string): number {
    return this.rooms.get(roomId)?.entries.at(-1)?.seq ?? 0;
  }

  async catchUp(tab: Tab): Promise<RoomSummaryDto[]> {
    this.fetched = new Set();
    this.syncRequests = 0;
    const { rooms } = await ok(dmRequest<{ rooms: RoomSummaryDto[] }>(tab.dm, 'room:list', {}));
    const listed = new Set(rooms.map((s) => s.room.id));
    for (const roomId of this.rooms.keys()) if (!listed.has(roomId)) this.rooms.delete(roomId);
    for (const summary of rooms) {
      const room = this.rooms.get(summary.room.id) ?? { name: summary.room.name, entries: [] };
      room.name = summary.room.name;
      this.rooms.set(summary.room.id, room);
      if (summary.lastSeq <= this.heldSeq(summary.room.id)) continue;
      this.fetched.add(summary.room.id);
      for (let more = true; more; ) {
        this.syncRequests += 1;
        const page = await ok(dmRequest<MessagePage>(tab.dm, 'dm:sync', { roomId: summary.room.id, afterSeq: this.heldSeq(summary.room.id) }));
        room.entries.push(...page.messages);
        more = page.hasMore && page.messages.length > 0;
      }
    }
    return rooms;
  }
}

/** Every stored entry of a room, straight from the store: the truth to compare with. */
async function stored(stores: Stores, roomId: string): Promise<StoredMessage[]> {
  return (await stores.messages.since(roomId, { afterSeq: 0, limit: 100_000 })).messages;
}

describe('catching up across rooms', () => {
  it('a client offline across messages in 20 of its 25 rooms, a removal and a rename fetches exactly the changed rooms and ends with the right messages, membership and names', async () => {
    const server = await harness.start();
    const names = ['Alice', 'Bob', 'U1', 'U2', 'U3', 'U4', 'U5'];
    const people = await Promise.all(names.map((name) => server.seedUser(name)));
    const [alice, bob, ...others] = (await Promise.all(people.map((p) => openTab(server.url, p, opened)))) as [Tab, Tab, ...Tab[]];

    // Bob owns 12 public and 8 private channels with Alice in them; 5 groups of Alice, Bob and one more.
    const publicRooms: string[] = [];
    const privateRooms: string[] = [];
    const groups: string[] = [];
    for (let i = 0; i < 12; i++) {
      publicRooms.push(await createChannel(bob, `public-${i}`));
      await ok(dmRequest(alice.dm, 'room:join', { roomId: publicRooms[i] }));
    }
    for (let i = 0; i < 8; i++) {
      privateRooms.push(await createChannel(bob, `private-${i}`, { isPrivate: true }));
      await ok(dmRequest(bob.dm, 'room:invite', { roomId: privateRooms[i], userIds: [alice.user.id] }));
    }
    for (const other of others) {
      groups.push((await ok(dmRequest<RoomSummaryDto>(bob.dm, 'group:open', { userIds: [alice.user.id, other.user.id] }))).room.id);
    }
    for (const roomId of [...publicRooms, ...privateRooms, ...groups]) await say(bob, roomId, `before, in ${roomId}`);
    await ok(request(bob.lobby, 'message:send', { clientId: 'lobby-before', body: 'lobby, before' }));

    const mirror = new RoomMirror();
    await mirror.catchUp(alice);
    expect(mirror.rooms.size).toBe(26);
    const heldBefore = new Map([...mirror.rooms].map(([id, room]) => [id, room.entries.length]));
    alice.dm.disconnect();
    alice.lobby.disconnect();

    // While Alice is away.
    const busy = [...publicRooms.slice(0, 10), ...privateRooms.slice(0, 6), ...groups.slice(0, 4)];
    const removedFrom = privateRooms[2]!;
    const renamed = publicRooms[11]!;
    expect(busy).toHaveLength(20);
    for (const [i, roomId] of busy.entries()) {
      for (let k = 0; k <= i % 3; k++) await say(bob, roomId, `while away ${k} in ${roomId}`);
    }
    // More than one sync page in one room.
    for (let k = 0; k < LIMITS.syncPageMax + 50; k++) await say(bob, busy[0]!, `flood ${k}`);
    const recalled = await say(bob, busy[1]!, 'oops');
    await ok(dmRequest(bob.dm, 'message:recall', { id: recalled.id }));
    await ok(dmRequest(others[0]!.dm, 'room:join', { roomId: busy[2] }));
    await say(others[1]!, groups[1]!, 'from the third member');
    await ok(dmRequest(bob.dm, 'room:remove', { roomId: removedFrom, userId: alice.user.id }));
    await say(bob, removedFrom, 'said after Alice was removed');
    await ok(dmRequest(bob.dm, 'channel:edit', { roomId: renamed, name: 'renamed-while-away' }));

    const back = await openTab(server.url, people[0]!, opened);
    const listed = await mirror.catchUp(back);

    const expectedFetched = new Set([...busy.filter((id) => id !== removedFrom), renamed]);
    expect(mirror.fetched).toEqual(expectedFetched);
    // One request per fetched room, and one more for the room with more than a page.
    expect(mirror.syncRequests).toBe(expectedFetched.size + 1);

    expect(listed.map((s) => s.room.id)).not.toContain(removedFrom);
    expect(mirror.rooms.has(removedFrom)).toBe(false);
    expect(mirror.rooms.size).toBe(25);
    expect(listed.find((s) => s.room.id === renamed)?.room.name).toBe('renamed-while-away');
    expect(mirror.rooms.get(renamed)?.name).toBe('renamed-while-away');
    expect(mirror.rooms.get(renamed)?.entries.at(-1)?.event).toEqual({ type: 'renamed', name: 'renamed-while-away' });

    for (const [roomId, room] of mirror.rooms) {
      expect(room.entries, roomId).toEqual(await stored(server.stores, roomId));
      if (!expectedFetched.has(roomId)) expect(room.entries.length, roomId).toBe(heldBefore.get(roomId));
    }
    const oops = mirror.rooms.get(busy[1]!)!.entries;
    expect(oops.find((m) => m.id === recalled.id)).toMatchObject({ body: '', recalledAt: expect.any(String) });
    expect(oops.at(-1)?.recall).toEqual({ messageId: recalled.id, seq: recalled.seq });
  });
});
