import { LOBBY_ROOM_ID, dmParticipants, type MemberRole, type RoomKind, type UserDto } from '@confab/shared';
import type { RoomRecord, Stores } from '../../store/ports.js';

/** What a member may do in a room, and what the room is. */
export interface RoomAccess {
  roomId: string;
  kind: RoomKind;
  /** The channel's or group's record; null for the lobby and DMs, which have none. */
  record: RoomRecord | null;
  role: MemberRole;
  /** DMs: both participants (the same id twice for notes to self). */
  dmMembers?: readonly [string, string];
}

/**
 * Who may use which room. The lobby has every user; a DM its two participants, read from its id;
 * channels and groups their stored members. A caller who is not a member gets null whether the
 * room exists or not, so that callers answer both alike.
 */
export function createRoomAccess(stores: Pick<Stores, 'rooms'>) {
  async function asMember(user: UserDto, roomId: string): Promise<RoomAccess | null> {
    if (roomId === LOBBY_ROOM_ID) return { roomId, kind: 'lobby', record: null, role: 'member' };
    const pair = dmParticipants(roomId);
    if (pair) return pair.includes(user.id) ? { roomId, kind: 'dm', record: null, role: 'member', dmMembers: pair } : null;
    const [record, membership] = await Promise.all([stores.rooms.find(roomId), stores.rooms.membership(roomId, user.id)]);
    return record && membership ? { roomId, kind: record.kind, record, role: membership.role } : null;
  }

  /** Whether the user may read the room's history: its members, and anyone for a public channel (a preview before joining). */
  async function canRead(user: UserDto, roomId: string): Promise<boolean> {
    if (await asMember(user, roomId)) return true;
    if (roomId === LOBBY_ROOM_ID || dmParticipants(roomId)) return false;
    return (await stores.rooms.find(roomId))?.kind === 'public_channel';
  }

  return { asMember, canRead };
}

export type RoomAccessCheck = ReturnType<typeof createRoomAccess>;
