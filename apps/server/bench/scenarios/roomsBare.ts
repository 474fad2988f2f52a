import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { newObjectIdHex } from '../../src/store/ids.js';
import type { RoomsTarget } from './roomsServer.js';

type Ack = (response: unknown) => void;

/**
 * Socket.IO 4 doing the least the same job needs: it keeps each user's room ids, puts a
 * connecting socket in all of them on both namespaces, and answers `room:list` with the ids.
 * Users are told apart by `auth.user` (their index); there is no sign-in.
 */
export async function startBareRooms(): Promise<RoomsTarget> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  const memberships = new Map<number, string[]>();
  const roomIds: string[] = [];
  const roomsOf = (auth: unknown) => memberships.get(Number((auth as { user?: unknown } | undefined)?.user)) ?? [];

  io.of('/lobby').on('connection', (socket) => {
    socket.join(['lobby', ...roomsOf(socket.handshake.auth)]);
  });
  io.of('/dm').on('connection', (socket) => {
    const mine = roomsOf(socket.handshake.auth);
    socket.join(mine);
    socket.on('room:list', (_payload: unknown, ack: Ack) => ack({ ok: true, data: { rooms: mine.map((id) => ({ room: { id }, lastSeq: 1 })) } }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const add = (user: number, ids: string[]) => memberships.set(user, [...(memberships.get(user) ?? []), ...ids]);
  return {
    info: { urls: [`http://127.0.0.1:${port}`], users: [] },
    async seedRooms(count, members) {
      const made = Array.from({ length: count }, () => `c:${newObjectIdHex()}`);
      roomIds.push(...made);
      for (const user of members) add(user, made);
    },
    async addMembers(users) {
      for (const user of users) add(user, roomIds);
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
