import type { MessageDto, ReadMarkDto, RoomKind, RoomRemovedDto, RoomSummaryDto, UserDto } from '@confab/shared';
import type { RoomAccess } from './roomAccess.js';

/**
 * What the room service asks the transport to do once the stores agree. Membership changes act
 * on every socket of the user on every instance (through the adapter).
 */
export interface RoomEffects {
  /** A new entry in a room's stream: to every member socket (public rooms over `/lobby`, private over `/dm`). */
  deliver(entry: MessageDto, kind: RoomKind, context: { dmMembers?: readonly string[]; known?: readonly UserDto[] }): void;
  /** Every socket of the user joins the room, on every instance. */
  addSockets(userId: string, roomId: string): void;
  /** Every socket of the user leaves the room, on every instance. */
  removeSockets(userId: string, roomId: string): void;
  /** The user's sockets hear `room:update`. */
  notifyUpdate(userId: string, summary: RoomSummaryDto): void;
  /** The user's sockets hear `room:removed`. */
  notifyRemoved(userId: string, removed: RoomRemovedDto): void;
  /** The reader's sockets hear `dm:read` for a room whose marks are private (not a DM). */
  notifyRead(userId: string, mark: ReadMarkDto): void;
  /** Every member socket of a private room (a group, a private channel) hears `dm:read`. */
  notifyReadToRoom(mark: ReadMarkDto): void;
  /** Relays typing to the room's other members (volatile). */
  relayTyping(access: Pick<RoomAccess, 'roomId' | 'kind' | 'dmMembers'>, user: UserDto, isTyping: boolean): void;
}
