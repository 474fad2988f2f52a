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
  type UserDto,
} from '@confab/shared';
import type { Namespace } from 'socket.io';
import type { Logger } from '../../logger.js';
import type { RateLimits } from '../../limits/rateLimits.js';
import type { DmService } from '../../services/dmService.js';
import { createClientLog, type ClientLog, type ClientLogLimit } from '../../logging/sampledLog.js';
import { createCoalesceByKey } from '../coalesceByKey.js';
import { handleEvent } from '../handler.js';
import { sessionRoom, userRoom } from '../rooms.js';

// A conversation list that catches up within a tenth of a second looks live; the messages
// themselves are delivered at once, and the first change in a quiet room is announced at once.
const LIST_UPDATE_INTERVAL_MS = 100;

/** A request to tell `viewers` about a room; `known` are users the requester already has. */
interface Announcement {
  viewers: readonly string[];
  known: readonly UserDto[];
  logger: ClientLog;
}

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
  /**
   * Sends participants their own view of a room (unread counts differ), one reading of the room
   * at a time and at most one per LIST_UPDATE_INTERVAL_MS: updates asked for meanwhile are sent
   * together from the next reading, so the last update anyone gets here was read after the last
   * change made here, and a busy room costs a few readings a second, not one per message.
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
      requests[0]!.logger.warn({ err, roomId }, 'could not announce a conversation update');
    }
  });

  /** A new entry in a room's stream (message or recall) reaches every socket of both participants, then their lists. */
  function deliver(message: MessageDto, memberIds: readonly string[], known: readonly UserDto[], logger: ClientLog): void {
    dm.to([...new Set(memberIds)].map(userRoom)).emit('dm:message', message);
    announcements.request(message.roomId, { viewers: memberIds, known, logger });
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
        const { message, isNew, memberIds, members } = result.data;
        if (isNew) deliver(message, memberIds, members, logger);
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
          announcements.request(mark.roomId, { viewers: [user.id], known: [user], logger });
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
        if (isNew) deliver(entry, dmParticipants(entry.roomId) ?? [user.id], [user], logger);
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

  // Updates still waiting for their interval would read the stores after the app closed them.
  deps.dms.onClose(() => announcements.close());
}
