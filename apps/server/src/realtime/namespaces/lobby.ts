import {
  LOBBY_ROOM_ID,
  emptySchema,
  historySchema,
  presenceQuerySchema,
  recallSchema,
  sendMessageSchema,
  syncSchema,
  ok,
  type InterServerEvents,
  type LobbyClientToServerEvents,
  type LobbyServerToClientEvents,
  type SocketData,
} from '@confab/shared';
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../../logger.js';
import type { RateLimits } from '../../limits/rateLimits.js';
import type { PresenceService } from '../../presence/presenceService.js';
import type { MessageService } from '../../services/messageService.js';
import { handleEvent } from '../handler.js';
import { sessionRoom, userRoom } from '../rooms.js';

export type LobbyNamespace = Namespace<LobbyClientToServerEvents, LobbyServerToClientEvents, InterServerEvents, SocketData>;
type LobbySocket = Socket<LobbyClientToServerEvents, LobbyServerToClientEvents, InterServerEvents, SocketData>;

interface LobbyDeps {
  messages: MessageService;
  rateLimits: RateLimits;
  presence: PresenceService;
  logger: Logger;
}

/**
 * `/lobby`: every signed-in user is a member; sends and recalls are broadcast to the whole lobby
 * room. A lobby connection is also what makes its user present.
 */
export function registerLobby(lobby: LobbyNamespace, deps: LobbyDeps): void {
  lobby.on('connection', (socket) => {
    const user = socket.data.user;
    const logger = deps.logger.child({ nsp: '/lobby', socketId: socket.id, userId: user.id });
    socket.join([LOBBY_ROOM_ID, userRoom(user.id), sessionRoom(socket.data.sessionId)]);
    registerMessageEvents(lobby, socket, deps, logger);
    registerPresenceEvents(lobby, socket, deps, logger);
  });
}

function registerMessageEvents(lobby: LobbyNamespace, socket: LobbySocket, deps: LobbyDeps, logger: Logger): void {
  const user = socket.data.user;

  socket.on(
    'message:send',
    handleEvent(logger, 'message:send', sendMessageSchema, async (input) => {
      const limited = await deps.rateLimits.check('messages', user.id);
      if (limited) return limited;
      const result = await deps.messages.send(user, LOBBY_ROOM_ID, input);
      if (!result.ok) return result;
      if (result.data.isNew) lobby.to(LOBBY_ROOM_ID).emit('message:new', result.data.message);
      return ok(result.data.message);
    }),
  );

  socket.on(
    'message:recall',
    handleEvent(logger, 'message:recall', recallSchema, async (input) => {
      const limited = await deps.rateLimits.check('messages', user.id);
      if (limited) return limited;
      const result = await deps.messages.recall(user, input.id, (roomId) => roomId === LOBBY_ROOM_ID);
      if (!result.ok) return result;
      if (result.data.isNew) lobby.to(LOBBY_ROOM_ID).emit('message:new', result.data.entry);
      return ok(result.data.entry);
    }),
  );

  socket.on('message:history', handleEvent(logger, 'message:history', historySchema, (input) => deps.messages.history(LOBBY_ROOM_ID, input)));
  socket.on('message:sync', handleEvent(logger, 'message:sync', syncSchema, (input) => deps.messages.sync(LOBBY_ROOM_ID, input)));

  const typing = (isTyping: boolean) => async () => {
    const limited = await deps.rateLimits.check('typing', user.id);
    if (limited) return limited;
    // Volatile: a typing signal that cannot be delivered now is worthless later.
    lobby
      .to(LOBBY_ROOM_ID)
      .except(userRoom(user.id))
      .volatile.emit('typing', { roomId: LOBBY_ROOM_ID, user: { id: user.id, name: user.displayName }, isTyping });
    return ok(null);
  };
  socket.on('typing:start', handleEvent(logger, 'typing:start', emptySchema, typing(true)));
  socket.on('typing:stop', handleEvent(logger, 'typing:stop', emptySchema, typing(false)));
}

function registerPresenceEvents(lobby: LobbyNamespace, socket: LobbySocket, deps: LobbyDeps, logger: Logger): void {
  const user = socket.data.user;

  socket.on(
    'presence:active',
    handleEvent(logger, 'presence:active', emptySchema, async () => {
      await deps.presence.active(user.id, socket.id);
      return ok(null);
    }),
  );
  socket.on(
    'presence:get',
    handleEvent(logger, 'presence:get', presenceQuerySchema, async (input) => ok(await deps.presence.lookup(input.userIds))),
  );

  const recorded = (async () => {
    try {
      await deps.presence.connected(user.id, socket.id);
      if (socket.connected) socket.emit('presence:snapshot', await deps.presence.snapshot());
    } catch (err) {
      logger.warn({ err }, 'could not record presence');
    }
  })();
  // After the connect is recorded, so a quick disconnect cannot leave a ghost entry behind.
  socket.on('disconnect', () => {
    void recorded
      .then(() => deps.presence.disconnected(user.id, socket.id))
      .catch((err: unknown) => logger.warn({ err }, 'could not record a disconnect'));
  });
}
