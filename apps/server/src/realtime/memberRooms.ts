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

/**
 * Placing a new socket in its rooms: one reading of its user's memberships, and another for as
 * long as a membership change of that user reached this instance while one was on its way (its
 * join or leave would otherwise be undone, for a removal, or missed, for an invitation, by
 * placing what that reading found). Changes are told by `changed`: this instance's own, and
 * other instances' `rooms:realign`.
 */
export function createMemberRoomPlacement(rooms: Pick<RoomStore, 'roomsOf'>) {
  // Per user, one flag per reading in flight; nothing is kept for users nobody is reading.
  const watchers = new Map<string, Set<{ changed: boolean }>>();

  function changed(userId: string): void {
    for (const watcher of watchers.get(userId) ?? []) watcher.changed = true;
  }

  async function join(socket: MemberSocket, userId: string): Promise<void> {
    for (;;) {
      const watcher = { changed: false };
      const watching = watchers.get(userId) ?? new Set();
      watchers.set(userId, watching.add(watcher));
      try {
        await placeIn(socket, await memberRoomIds(userId, rooms));
      } finally {
        watching.delete(watcher);
        if (watching.size === 0) watchers.delete(userId);
      }
      if (!watcher.changed) return;
    }
  }

  return { join, changed };
}

export type MemberRoomPlacement = ReturnType<typeof createMemberRoomPlacement>;

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
