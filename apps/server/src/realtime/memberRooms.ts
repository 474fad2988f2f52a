import type { RoomStore } from '../store/ports.js';

/** What placing a socket in its rooms needs of it. */
export interface MemberSocket {
  rooms: Set<string>;
  data: { user?: { id: string } };
  join(rooms: string[]): void | Promise<void>;
  leave(room: string): void | Promise<void>;
}

const isMemberRoom = (room: string) => room.startsWith('c:') || room.startsWith('g:');

/** Puts the socket in exactly these channel and group rooms (leaving its other ones); true if that changed anything. */
async function placeIn(socket: MemberSocket, roomIds: ReadonlySet<string>): Promise<boolean> {
  const extra = [...socket.rooms].filter((room) => isMemberRoom(room) && !roomIds.has(room));
  const missing = [...roomIds].filter((room) => !socket.rooms.has(room));
  for (const room of extra) await socket.leave(room);
  if (missing.length > 0) await socket.join(missing);
  return extra.length > 0 || missing.length > 0;
}

async function memberRoomIds(userId: string, rooms: Pick<RoomStore, 'roomsOf'>): Promise<Set<string>> {
  return new Set((await rooms.roomsOf(userId)).map((m) => m.roomId));
}

/*
 * Every placement reads the memberships twice, placing the sockets after each reading: a change
 * whose own join or leave reached the sockets while the first reading was on its way would
 * otherwise be undone (a removal) or missed (an invitation) by placing what that reading found.
 */

/** Puts a new socket in the Socket.IO rooms of every channel and group its user is a member of. */
export async function joinMemberRooms(socket: MemberSocket, userId: string, rooms: Pick<RoomStore, 'roomsOf'>): Promise<void> {
  await placeIn(socket, await memberRoomIds(userId, rooms));
  await placeIn(socket, await memberRoomIds(userId, rooms));
}

/**
 * Puts this instance's sockets (of `users` only, when given) back in exactly their users' rooms
 * as stored: after a gap in the Redis subscription, when the joins and leaves other instances
 * asked for meanwhile were lost, and when another instance says it changed some users' rooms.
 * `onChanged` hears of every socket that was not where it should have been.
 */
export async function realignMemberRooms<S extends MemberSocket>(
  namespaces: readonly { sockets: Map<string, S> }[],
  rooms: Pick<RoomStore, 'roomsOf'>,
  options: { users?: ReadonlySet<string>; onChanged?: (socket: S) => void } = {},
): Promise<void> {
  const sockets = namespaces.flatMap((nsp) => [...nsp.sockets.values()]).filter((s) => s.data.user && (!options.users || options.users.has(s.data.user.id)));
  const changed = new Set<S>();
  for (let pass = 0; pass < 2; pass += 1) {
    const byUser = new Map<string, Promise<Set<string>>>();
    for (const socket of sockets) {
      const userId = socket.data.user!.id;
      if (!byUser.has(userId)) byUser.set(userId, memberRoomIds(userId, rooms));
      if (await placeIn(socket, await byUser.get(userId)!)) changed.add(socket);
    }
  }
  for (const socket of changed) options.onChanged?.(socket);
}
