import { randomBytes } from 'node:crypto';
import { seedUsers } from '../harness/seedUsers.js';
import { newObjectIdHex } from '../../src/store/ids.js';
import { createMemoryStores, startServer } from '../../src/testing.js';
import type { RoomsTarget } from './roomsServer.js';

const SESSION_TTL_MS = 24 * 3_600_000;

/**
 * Confab on the memory store, built as the tests build it (`startServer`), with `users` users
 * signed in and one more who founds every room. Rooms alternate public and private channels.
 */
export async function startConfabRooms(users: number): Promise<RoomsTarget> {
  const stores = createMemoryStores();
  const sessionSecret = randomBytes(32).toString('base64url');
  const seeded = await seedUsers(stores, { count: users + 1, sessionSecret, ttlMs: SESSION_TTL_MS });
  const founder = seeded.pop()!;
  const server = await startServer({ stores, config: { sessionSecret, sessionTtlMs: SESSION_TTL_MS, roomsPerUserMax: 10_000 } });
  const tag = randomBytes(3).toString('hex');
  const roomIds: string[] = [];

  async function addAll(roomId: string, members: number[]): Promise<void> {
    for (const i of members) await stores.rooms.addMember({ roomId, userId: seeded[i]!.id, role: 'member', joinedAt: new Date() });
  }

  return {
    info: { urls: [server.url], users: seeded },
    async seedRooms(count, members) {
      for (let i = 0; i < count; i++) {
        const kind = i % 2 === 0 ? 'public_channel' : 'private_channel';
        const room = await stores.rooms.createChannel({ id: `c:${newObjectIdHex()}`, kind, name: `bench-${tag}-${roomIds.length}`, topic: '', createdBy: founder.id, createdAt: new Date() });
        if (room === 'name_taken') throw new Error('a bench room name was taken');
        roomIds.push(room.id);
        await stores.messages.append({ roomId: room.id, clientId: `seed-${room.id.slice(2)}`, author: { id: founder.id, name: 'founder' }, body: `welcome to room ${i}`, createdAt: new Date() });
        await addAll(room.id, members);
      }
    },
    async addMembers(users) {
      for (const roomId of roomIds) await addAll(roomId, users);
    },
    close: () => server.close(),
  };
}
