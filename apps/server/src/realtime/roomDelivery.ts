import type { MessageDto, RoomKind, UserDto } from '@confab/shared';
import type { Logger } from '../logger.js';
import type { DmService } from '../services/dmService.js';
import type { RoomEffects } from '../services/rooms/roomEffects.js';
import type { RoomStore } from '../store/ports.js';
import { createCoalesceByKey } from './coalesceByKey.js';
import { createMemberRoomPlacement, realignMemberRooms } from './memberRooms.js';
import type { DmNamespace } from './namespaces/dm.js';
import type { LobbyNamespace } from './namespaces/lobby.js';
import { userRoom } from './rooms.js';

// A conversation list that catches up within a tenth of a second looks live; the messages
// themselves are delivered at once, and the first change in a quiet room is announced at once.
const LIST_UPDATE_INTERVAL_MS = 100;

/** A request to tell `viewers` about a DM room; `known` are users the requester already has. */
interface Announcement {
  viewers: readonly string[];
  known: readonly UserDto[];
}

const isPublic = (kind: RoomKind) => kind === 'lobby' || kind === 'public_channel';

/**
 * The rooms' transport. Every socket is in the Socket.IO room named by each room id it is a member
 * of, in both namespaces (joined at connection, and kept so through the adapter as membership
 * changes), so a room's traffic is one emit: public rooms' over `/lobby`, private rooms' over
 * `/dm`. DMs, whose members never change, go to their two users' personal rooms instead.
 */
export function createRoomDelivery(deps: {
  lobby: LobbyNamespace;
  dm: DmNamespace;
  dms: Pick<DmService, 'viewRoom'>;
  roomStore: Pick<RoomStore, 'roomsOf'>;
  /** Other instances share this one's rooms (Redis): tell them of membership changes. */
  hasPeers: boolean;
  logger: Logger;
}) {
  const { lobby, dm } = deps;
  const placement = createMemberRoomPlacement(deps.roomStore);

  /**
   * Another instance changed these users' memberships. Its join or leave request (sent too) is
   * fast but blind: one queued during its Redis outage may arrive after newer changes. This
   * reads the store, so it is right whenever it arrives; a socket it corrects hears `resync`.
   */
  lobby.on('rooms:realign', (userIds) => {
    for (const userId of userIds) placement.changed(userId);
    const options = { users: new Set(userIds), onChanged: (socket: { emit(event: 'resync'): unknown }) => socket.emit('resync') };
    Promise.all([realignMemberRooms([lobby], deps.roomStore, options), realignMemberRooms([dm], deps.roomStore, options)]).catch((err: unknown) =>
      deps.logger.warn({ err: (err as Error).message }, 'could not realign sockets with their rooms'),
    );
  });

  /**
   * Sends DM participants their own view of the conversation (unread counts differ), one reading
   * at a time and at most one per LIST_UPDATE_INTERVAL_MS: updates asked for meanwhile are sent
   * together from the next reading, so the last update anyone gets was read after the last change.
   */
  const announcements = createCoalesceByKey<Announcement>(LIST_UPDATE_INTERVAL_MS, async (roomId, requests) => {
    const viewers = [...new Set(requests.flatMap((r) => r.viewers))];
    const known = requests.flatMap((r) => r.known);
    try {
      for (const { userId, conversation } of await deps.dms.viewRoom(roomId, viewers, known)) {
        dm.to(userRoom(userId)).emit('conversation:update', conversation);
      }
    } catch (err) {
      // The message is stored and delivered; a missed list update heals on the next list fetch.
      deps.logger.warn({ err, roomId }, 'could not announce a conversation update');
    }
  });

  /** The DM's participants see their conversation list entry change. */
  function announceConversation(roomId: string, viewers: readonly string[], known: readonly UserDto[]): void {
    announcements.request(roomId, { viewers, known });
  }

  const effects: RoomEffects = {
    deliver(entry: MessageDto, kind: RoomKind, context) {
      if (kind === 'dm') {
        const members = [...new Set(context.dmMembers ?? [entry.author.id])];
        dm.to(members.map(userRoom)).emit('dm:message', entry);
        // A reaction changes nothing a conversation list shows (not its preview, unread count or order).
        if (entry.change?.type !== 'reaction') announceConversation(entry.roomId, members, context.known ?? []);
        return;
      }
      if (isPublic(kind)) lobby.to(entry.roomId).emit('message:new', entry);
      else dm.to(entry.roomId).emit('dm:message', entry);
    },
    // This instance's sockets first and at once: the Redis adapter applies a cluster-wide join or
    // leave here only when its own request comes back through Redis, after broadcasts made
    // meanwhile (such as the `removed` entry), and never if Redis is down.
    addSockets(userId, roomId) {
      placement.changed(userId);
      for (const nsp of [lobby, dm]) {
        nsp.local.in(userRoom(userId)).socketsJoin(roomId);
        nsp.in(userRoom(userId)).socketsJoin(roomId);
      }
      if (deps.hasPeers) lobby.serverSideEmit('rooms:realign', [userId]);
    },
    removeSockets(userId, roomId) {
      placement.changed(userId);
      for (const nsp of [lobby, dm]) {
        nsp.local.in(userRoom(userId)).socketsLeave(roomId);
        nsp.in(userRoom(userId)).socketsLeave(roomId);
      }
      if (deps.hasPeers) lobby.serverSideEmit('rooms:realign', [userId]);
    },
    notifyUpdate(userId, summary) {
      dm.to(userRoom(userId)).emit('room:update', summary);
    },
    notifyRemoved(userId, removed) {
      dm.to(userRoom(userId)).emit('room:removed', removed);
    },
    notifyRead(userId, mark) {
      dm.to(userRoom(userId)).emit('dm:read', mark);
    },
    notifyReadToRoom(mark) {
      dm.to(mark.roomId).emit('dm:read', mark);
    },
    relayTyping(room, user, isTyping) {
      const typing = { roomId: room.roomId, user: { id: user.id, name: user.displayName }, isTyping };
      // Volatile: a typing signal that cannot be delivered now is worthless later.
      if (room.kind === 'dm') {
        const peers = [...new Set(room.dmMembers ?? [])].filter((id) => id !== user.id).map(userRoom);
        if (peers.length > 0) dm.to(peers).except(userRoom(user.id)).volatile.emit('typing', typing);
      } else if (isPublic(room.kind)) {
        lobby.to(room.roomId).except(userRoom(user.id)).volatile.emit('typing', typing);
      } else {
        dm.to(room.roomId).except(userRoom(user.id)).volatile.emit('typing', typing);
      }
    },
  };

  return { effects, announceConversation, joinMemberRooms: placement.join, close: () => announcements.close() };
}

export type RoomDelivery = ReturnType<typeof createRoomDelivery>;
