import { LIMITS, LOBBY_ROOM_ID, dmParticipants, type RoomKind, type UserDto } from '@confab/shared';
import type { Stores } from '../../store/ports.js';

/** Where a room's entries are delivered, and how admins read its name. */
export interface RoomPlace {
  kind: RoomKind;
  /** DMs: both participants (the same id twice for notes to self). */
  dmMembers?: readonly [string, string];
  /** `#name` for a channel, "Lobby", or the members' display names for a group or a DM. */
  label: string;
}

/**
 * Any room as seen from outside it, by its id: for moderators and the reports queue, who act on
 * rooms they need not be members of. Null for a room that does not exist.
 */
export function createRoomLabels(deps: { stores: Pick<Stores, 'rooms'>; findUser: (id: string) => Promise<UserDto | null> }) {
  async function namesOf(userIds: readonly string[]): Promise<string> {
    const users = await Promise.all([...new Set(userIds)].map((id) => deps.findUser(id)));
    return users
      .filter((u): u is UserDto => u !== null)
      .map((u) => u.displayName)
      .sort((a, b) => a.localeCompare(b))
      .join(', ');
  }

  async function placeOf(roomId: string): Promise<RoomPlace | null> {
    if (roomId === LOBBY_ROOM_ID) return { kind: 'lobby', label: 'Lobby' };
    const pair = dmParticipants(roomId);
    if (pair) return { kind: 'dm', dmMembers: pair, label: await namesOf(pair) };
    const record = await deps.stores.rooms.find(roomId);
    if (!record) return null;
    if (record.kind !== 'group') return { kind: record.kind, label: `#${record.name ?? ''}` };
    // A group holds at most LIMITS.groupMembersMax people: one page has them all.
    const members = await deps.stores.rooms.members(roomId, { limit: LIMITS.groupMembersMax });
    return { kind: 'group', label: await namesOf(members.map((m) => m.userId)) };
  }

  return { placeOf };
}

export type RoomLabels = ReturnType<typeof createRoomLabels>;
