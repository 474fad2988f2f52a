import {
  conversationListSchema,
  dmHistorySchema,
  dmOpenSchema,
  dmReadSchema,
  dmSendSchema,
  dmSyncSchema,
  dmParticipants,
  dmTypingSchema,
  fail,
  ok,
  recallSchema,
  userSearchSchema,
  type DmClientToServerEvents,
  type DmServerToClientEvents,
  type InterServerEvents,
  type MessageDto,
  type SocketData,
} from '@confab/shared';
import type { Namespace } from 'socket.io';
import type { Logger } from '../../logger.js';
import type { RateLimits } from '../../limits/rateLimits.js';
import type { DmService } from '../../services/dmService.js';
import { createClientLog, type ClientLog, type ClientLogLimit } from '../../logging/sampledLog.js';
import { handleEvent } from '../handler.js';
import { sessionRoom, userRoom } from '../rooms.js';

export type DmNamespace = Namespace<DmClientToServerEvents, DmServerToClientEvents, InterServerEvents, SocketData>;

interface DmDeps {
  dms: DmService;
  rateLimits: RateLimits;
  logger: Logger;
  /** How much one socket may make the server log (default `DEFAULT_CLIENT_LOG_LIMIT`). */
  clientLogLimit?: ClientLogLimit;
}

/**
 * `/dm`: each socket joins only its user's personal room. Messages and read marks are emitted
 * to the participants' personal rooms, so there is no DM room a client could ask to join.
 */
export function registerDm(dm: DmNamespace, deps: DmDeps): void {
  /** Sends each participant their own view of the conversation (unread counts differ). */
  async function announceConversation(roomId: string, memberIds: readonly string[], logger: ClientLog): Promise<void> {
    for (const memberId of new Set(memberIds)) {
      try {
        const viewer = await deps.dms.findUser(memberId);
        const conversation = viewer && (await deps.dms.viewRoom(viewer, roomId));
        if (conversation) dm.to(userRoom(memberId)).emit('conversation:update', conversation);
      } catch (err) {
        // The message is stored and delivered; a missed list update heals on the next list fetch.
        logger.warn({ err, roomId }, 'could not announce a conversation update');
      }
    }
  }

  /** A new entry in a room's stream (message or recall) reaches every socket of both participants, then their lists. */
  function deliver(message: MessageDto, memberIds: readonly string[], logger: ClientLog): void {
    dm.to([...new Set(memberIds)].map(userRoom)).emit('dm:message', message);
    void announceConversation(message.roomId, memberIds, logger);
  }

  dm.on('connection', (socket) => {
    const user = socket.data.user;
    const logger = createClientLog(deps.logger.child({ nsp: '/dm', socketId: socket.id, userId: user.id }), deps.clientLogLimit);
    socket.once('disconnect', () => logger.flush());
    // Taken only once every other check has passed: a refused send or recall spends no point.
    const admitMessage = () => deps.rateLimits.check('messages', user.id);
    socket.join([userRoom(user.id), sessionRoom(socket.data.sessionId)]);

    socket.on(
      'dm:send',
      handleEvent(logger, 'dm:send', dmSendSchema, async (input) => {
        const result = await deps.dms.send(user, input, admitMessage);
        if (!result.ok) return result;
        const { message, isNew, memberIds } = result.data;
        if (isNew) deliver(message, memberIds, logger);
        return ok(message);
      }),
    );

    socket.on(
      'dm:read',
      handleEvent(logger, 'dm:read', dmReadSchema, async (input) => {
        const result = await deps.dms.markRead(user, input);
        if (!result.ok) return result;
        const { mark, moved, memberIds } = result.data;
        if (moved) {
          dm.to([...new Set(memberIds)].map(userRoom)).emit('dm:read', mark);
          void announceConversation(mark.roomId, [user.id], logger);
        }
        return ok(mark);
      }),
    );

    socket.on(
      'message:recall',
      handleEvent(logger, 'message:recall', recallSchema, async (input) => {
        const result = await deps.dms.recall(user, input.id, admitMessage);
        if (!result.ok) return result;
        const { entry, isNew } = result.data;
        if (isNew) deliver(entry, dmParticipants(entry.roomId) ?? [user.id], logger);
        return ok(entry);
      }),
    );

    const typing = (isTyping: boolean) =>
      handleEvent(logger, isTyping ? 'typing:start' : 'typing:stop', dmTypingSchema, async (input) => {
        const memberIds = dmParticipants(input.roomId);
        if (!memberIds?.includes(user.id)) return fail('forbidden', 'You are not a participant of this conversation.');
        const limited = await deps.rateLimits.check('typing', user.id);
        if (limited) return limited;
        const peers = memberIds.filter((id) => id !== user.id).map(userRoom);
        // Volatile: a typing signal that cannot be delivered now is worthless later.
        if (peers.length > 0) {
          dm.to(peers).except(userRoom(user.id)).volatile.emit('typing', { roomId: input.roomId, user: { id: user.id, name: user.displayName }, isTyping });
        }
        return ok(null);
      });
    socket.on('typing:start', typing(true));
    socket.on('typing:stop', typing(false));

    socket.on('dm:history', handleEvent(logger, 'dm:history', dmHistorySchema, (input) => deps.dms.history(user, input)));
    socket.on('dm:sync', handleEvent(logger, 'dm:sync', dmSyncSchema, (input) => deps.dms.sync(user, input)));
    socket.on('dm:open', handleEvent(logger, 'dm:open', dmOpenSchema, (input) => deps.dms.open(user, input)));
    socket.on('dm:conversations', handleEvent(logger, 'dm:conversations', conversationListSchema, (input) => deps.dms.list(user, input)));
    socket.on('user:search', handleEvent(logger, 'user:search', userSearchSchema, (input) => deps.dms.searchUsers(input)));
  });
}
