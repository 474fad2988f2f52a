import {
  LOBBY_ROOM_ID,
  historySchema,
  sendMessageSchema,
  syncSchema,
  ok,
  type InterServerEvents,
  type LobbyClientToServerEvents,
  type LobbyServerToClientEvents,
  type SocketData,
} from '@confab/shared';
import type { Namespace } from 'socket.io';
import type { Logger } from '../../logger.js';
import type { MessageService } from '../../services/messageService.js';
import { handleEvent } from '../handler.js';

export type LobbyNamespace = Namespace<LobbyClientToServerEvents, LobbyServerToClientEvents, InterServerEvents, SocketData>;

/** `/lobby`: every signed-in user is a member; sends are broadcast to the whole lobby room. */
export function registerLobby(lobby: LobbyNamespace, deps: { messages: MessageService; logger: Logger }): void {
  lobby.on('connection', (socket) => {
    const user = socket.data.user;
    const logger = deps.logger.child({ nsp: '/lobby', socketId: socket.id, userId: user.id });
    socket.join(LOBBY_ROOM_ID);

    socket.on(
      'message:send',
      handleEvent(logger, 'message:send', sendMessageSchema, async (input) => {
        const result = await deps.messages.send(user, LOBBY_ROOM_ID, input);
        if (!result.ok) return result;
        if (result.data.isNew) lobby.to(LOBBY_ROOM_ID).emit('message:new', result.data.message);
        return ok(result.data.message);
      }),
    );

    socket.on(
      'message:history',
      handleEvent(logger, 'message:history', historySchema, (input) => deps.messages.history(LOBBY_ROOM_ID, input)),
    );

    socket.on(
      'message:sync',
      handleEvent(logger, 'message:sync', syncSchema, (input) => deps.messages.sync(LOBBY_ROOM_ID, input)),
    );
  });
}
