import {
  conversationListSchema,
  deliveredSchema,
  dmRoomId,
  editSchema,
  reactionSchema,
  roomReadsSchema,
  dmHistorySchema,
  dmOpenSchema,
  dmReadSchema,
  dmSendSchema,
  dmSyncSchema,
  dmParticipants,
  dmTypingSchema,
  ok,
  recallSchema,
  removeMessageSchema,
  reportSchema,
  userSearchSchema,
  type DmClientToServerEvents,
  type DmServerToClientEvents,
  type InterServerEvents,
  type SocketData,
} from '@confab/shared';
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../../logger.js';
import type { RateLimits } from '../../limits/rateLimits.js';
import type { DmService } from '../../services/dmService.js';
import type { NotifySettingService } from '../../services/notifySettingService.js';
import type { RoomServices } from '../../services/rooms/index.js';
import { REPORT_LIMIT } from '../../services/rooms/roomModeration.js';
import { createClientLog, type ClientLog, type ClientLogLimit } from '../../logging/sampledLog.js';
import { handleEvent } from '../handler.js';
import type { RoomDelivery } from '../roomDelivery.js';
import { sessionRoom, userRoom } from '../rooms.js';
import { registerNotifyEvents } from './notifyEvents.js';
import { registerRoomEvents } from './roomEvents.js';

export type DmNamespace = Namespace<DmClientToServerEvents, DmServerToClientEvents, InterServerEvents, SocketData>;
export type DmSocket = Socket<DmClientToServerEvents, DmServerToClientEvents, InterServerEvents, SocketData>;

export interface DmDeps {
  dms: DmService;
  rooms: RoomServices;
  notifySettings: NotifySettingService;
  /** Puts a new socket in its user's channel and group rooms. */
  joinMemberRooms: RoomDelivery['joinMemberRooms'];
  delivery: Pick<RoomDelivery, 'effects' | 'announceConversation'>;
  rateLimits: RateLimits;
  logger: Logger;
  /** How much one socket may make the server log (default `DEFAULT_CLIENT_LOG_LIMIT`). */
  clientLogLimit?: ClientLogLimit;
}

/**
 * `/dm`: private rooms' traffic and each user's own events. A socket joins its user's personal
 * room and the rooms of its channels and groups; DM messages and read marks go to the two
 * participants' personal rooms, so there is no room a client could ask to join.
 */
export function registerDm(dm: DmNamespace, deps: DmDeps): void {
  dm.on('connection', (socket) => {
    const user = socket.data.user;
    const logger = createClientLog(deps.logger.child({ nsp: '/dm', socketId: socket.id, userId: user.id }), deps.clientLogLimit);
    socket.once('disconnect', () => logger.flush());
    socket.join([userRoom(user.id), sessionRoom(socket.data.sessionId)]);
    void deps.joinMemberRooms(socket, user.id).catch((err: unknown) => logger.warn({ err }, 'could not join the member rooms'));
    registerMessageEvents(socket, deps, logger);
    registerRoomEvents(socket, deps, logger);
    registerNotifyEvents(socket, deps, logger);
  });
}

function registerMessageEvents(socket: DmSocket, deps: DmDeps, logger: ClientLog): void {
  const user = socket.data.user;
  const { messaging } = deps.rooms;
  // Taken only once every other check has passed: a refused send or recall spends no point.
  const admitMessage = () => deps.rateLimits.check('messages', user.id);
  const admitTyping = () => deps.rateLimits.check('typing', user.id);
  const admitReaction = () => deps.rateLimits.check('reactions', user.id);
  const admitReport = () => deps.rateLimits.check(REPORT_LIMIT, user.id);

  socket.on(
    'dm:send',
    handleEvent(logger, 'dm:send', dmSendSchema, async (input) => {
      // `to` names the DM room with that user; a user who does not exist is refused like a room one is not in.
      const roomId = input.roomId ?? dmRoomId(user.id, input.to!);
      const sent = await messaging.send(user, roomId, input, admitMessage);
      return sent.ok ? ok(sent.data.message) : sent;
    }),
  );

  socket.on(
    'dm:delivered',
    handleEvent(logger, 'dm:delivered', deliveredSchema, async (input) => {
      if (!dmParticipants(input.roomId)) return messaging.deliveredOutsideDm(user, input.roomId);
      const result = await deps.dms.markDelivered(user, input);
      if (!result.ok) return result;
      const { mark, moved, memberIds } = result.data;
      if (moved) socket.nsp.to([...new Set(memberIds)].map(userRoom)).emit('dm:delivered', mark);
      return ok(mark);
    }),
  );
  socket.on('room:reads', handleEvent(logger, 'room:reads', roomReadsSchema, (input) => messaging.reads(user, input.roomId)));
  socket.on('message:edit', handleEvent(logger, 'message:edit', editSchema, (input) => messaging.edit(user, input.id, input.body, admitMessage)));
  socket.on('reaction:add', handleEvent(logger, 'reaction:add', reactionSchema, (input) => messaging.react(user, input.id, input.emoji, true, admitReaction)));
  socket.on('reaction:remove', handleEvent(logger, 'reaction:remove', reactionSchema, (input) => messaging.react(user, input.id, input.emoji, false, admitReaction)));

  socket.on(
    'dm:read',
    handleEvent(logger, 'dm:read', dmReadSchema, async (input) => {
      if (!dmParticipants(input.roomId)) return messaging.markRead(user, input.roomId, input.seq);
      const result = await deps.dms.markRead(user, input);
      if (!result.ok) return result;
      const { mark, moved, memberIds } = result.data;
      if (moved) {
        socket.nsp.to([...new Set(memberIds)].map(userRoom)).emit('dm:read', mark);
        deps.delivery.announceConversation(mark.roomId, [user.id], [user]);
      }
      return ok(mark);
    }),
  );

  socket.on('message:recall', handleEvent(logger, 'message:recall', recallSchema, (input) => messaging.recall(user, input.id, admitMessage)));
  socket.on('message:remove', handleEvent(logger, 'message:remove', removeMessageSchema, (input) => messaging.remove(user, input.id, admitMessage)));
  socket.on('message:report', handleEvent(logger, 'message:report', reportSchema, (input) => messaging.report(user, input, admitReport)));
  socket.on('typing:start', handleEvent(logger, 'typing:start', dmTypingSchema, (input) => messaging.typing(user, input.roomId, true, admitTyping)));
  socket.on('typing:stop', handleEvent(logger, 'typing:stop', dmTypingSchema, (input) => messaging.typing(user, input.roomId, false, admitTyping)));
  socket.on('dm:history', handleEvent(logger, 'dm:history', dmHistorySchema, (input) => messaging.history(user, input.roomId, input)));
  socket.on('dm:sync', handleEvent(logger, 'dm:sync', dmSyncSchema, (input) => messaging.sync(user, input.roomId, input)));
  socket.on('dm:open', handleEvent(logger, 'dm:open', dmOpenSchema, (input) => deps.dms.open(user, input)));
  socket.on('dm:conversations', handleEvent(logger, 'dm:conversations', conversationListSchema, (input) => deps.dms.list(user, input)));
  socket.on('user:search', handleEvent(logger, 'user:search', userSearchSchema, (input) => deps.dms.searchUsers(input)));
}
