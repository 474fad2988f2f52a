import {
  LIMITS,
  LOBBY_ROOM_ID,
  fail,
  editSchema,
  emptySchema,
  historySchema,
  reactionSchema,
  lobbyTypingSchema,
  presenceQuerySchema,
  recallSchema,
  removeMessageSchema,
  reportSchema,
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
import type { RoomServices } from '../../services/rooms/index.js';
import { REPORT_LIMIT } from '../../services/rooms/roomModeration.js';
import { createClientLog, type ClientLog, type ClientLogLimit } from '../../logging/sampledLog.js';
import { handleEvent } from '../handler.js';
import type { PresenceBroadcast } from '../presenceBroadcast.js';
import { sessionRoom, userRoom } from '../rooms.js';

export type LobbyNamespace = Namespace<LobbyClientToServerEvents, LobbyServerToClientEvents, InterServerEvents, SocketData>;
type LobbySocket = Socket<LobbyClientToServerEvents, LobbyServerToClientEvents, InterServerEvents, SocketData>;

interface LobbyDeps {
  /** Messaging in any room: the lobby, and the channels and groups the caller is in. */
  messaging: RoomServices['messaging'];
  /** Puts a new socket in its user's channel rooms. */
  joinMemberRooms: (socket: LobbySocket, userId: string) => Promise<void>;
  rateLimits: RateLimits;
  presence: PresenceService;
  /** Where a new socket waits for its snapshot and then hears presence changes. */
  presenceBroadcast: Pick<PresenceBroadcast, 'admit'>;
  logger: Logger;
  /** How much one socket may make the server log (default `DEFAULT_CLIENT_LOG_LIMIT`). */
  clientLogLimit?: ClientLogLimit;
}

/**
 * `/lobby`: public rooms' traffic. Every signed-in user is in the lobby; a socket also joins the
 * rooms of its user's channels. A lobby connection is also what makes its user present. Register
 * after the handshake guard: its middleware needs `socket.data.user`.
 */
export function registerLobby(lobby: LobbyNamespace, deps: LobbyDeps): void {
  lobby.use((socket, next) => void recordPresence(socket, deps).then(() => next()));
  lobby.on('connection', (socket) => {
    const user = socket.data.user;
    const logger = createClientLog(deps.logger.child({ nsp: '/lobby', socketId: socket.id, userId: user.id }), deps.clientLogLimit);
    socket.once('disconnect', () => logger.flush());
    socket.join([LOBBY_ROOM_ID, userRoom(user.id), sessionRoom(socket.data.sessionId)]);
    void deps.joinMemberRooms(socket, user.id).catch((err: unknown) => logger.warn({ err }, 'could not join the member rooms'));
    registerMessageEvents(socket, deps, logger);
    registerPresenceEvents(lobby, socket, deps, logger);
  });
}

function registerMessageEvents(socket: LobbySocket, deps: LobbyDeps, logger: ClientLog): void {
  const user = socket.data.user;
  const { messaging } = deps;
  // Taken only once every other check has passed: a refused send or recall spends no point.
  const admitMessage = () => deps.rateLimits.check('messages', user.id);
  const admitTyping = () => deps.rateLimits.check('typing', user.id);
  const admitReaction = () => deps.rateLimits.check('reactions', user.id);
  const admitReport = () => deps.rateLimits.check(REPORT_LIMIT, user.id);

  socket.on(
    'message:send',
    handleEvent(logger, 'message:send', sendMessageSchema, async (input) => {
      const sent = await messaging.send(user, input.roomId, input, admitMessage);
      return sent.ok ? ok(sent.data.message) : sent;
    }),
  );
  socket.on('message:recall', handleEvent(logger, 'message:recall', recallSchema, (input) => messaging.recall(user, input.id, admitMessage)));
  socket.on('message:remove', handleEvent(logger, 'message:remove', removeMessageSchema, (input) => messaging.remove(user, input.id, admitMessage)));
  socket.on('message:report', handleEvent(logger, 'message:report', reportSchema, (input) => messaging.report(user, input, admitReport)));
  socket.on('message:edit', handleEvent(logger, 'message:edit', editSchema, (input) => messaging.edit(user, input.id, input.body, admitMessage)));
  socket.on('reaction:add', handleEvent(logger, 'reaction:add', reactionSchema, (input) => messaging.react(user, input.id, input.emoji, true, admitReaction)));
  socket.on('reaction:remove', handleEvent(logger, 'reaction:remove', reactionSchema, (input) => messaging.react(user, input.id, input.emoji, false, admitReaction)));
  socket.on('message:history', handleEvent(logger, 'message:history', historySchema, (input) => messaging.history(user, input.roomId, input)));
  socket.on('message:sync', handleEvent(logger, 'message:sync', syncSchema, (input) => messaging.sync(user, input.roomId, input)));
  socket.on('typing:start', handleEvent(logger, 'typing:start', lobbyTypingSchema, (input) => messaging.typing(user, input.roomId, true, admitTyping)));
  socket.on('typing:stop', handleEvent(logger, 'typing:stop', lobbyTypingSchema, (input) => messaging.typing(user, input.roomId, false, admitTyping)));
}

/** Reports of activity closer together than this change nothing (clients send one every 30 s at most). */
const ACTIVE_EVERY_MS = LIMITS.presenceActiveThrottleMs / 3;
/** `presence:get`s one socket may have waiting for the registry at once; more are refused. */
const MAX_LOOKUPS_IN_FLIGHT = 4;

/**
 * Presence events cost registry (Redis) commands, which share a connection with the instance's
 * lease renewal: a flood from one socket must not delay the renewal past the lease, or other
 * instances reap this one and show all of its users offline. So a socket's activity reports are
 * taken at most every `ACTIVE_EVERY_MS` (the rest are acked and cost nothing), and its lookups
 * are capped in flight.
 */
function registerPresenceEvents(lobby: LobbyNamespace, socket: LobbySocket, deps: LobbyDeps, logger: ClientLog): void {
  const user = socket.data.user;
  let lastActiveAt = -Infinity;
  let lookupsInFlight = 0;

  socket.on(
    'presence:active',
    handleEvent(logger, 'presence:active', emptySchema, async () => {
      const at = Date.now();
      if (at - lastActiveAt < ACTIVE_EVERY_MS) return ok(null);
      lastActiveAt = at;
      await deps.presence.active(user.id, socket.id);
      return ok(null);
    }),
  );
  socket.on(
    'presence:get',
    handleEvent(logger, 'presence:get', presenceQuerySchema, async (input) => {
      if (lookupsInFlight >= MAX_LOOKUPS_IN_FLIGHT) {
        return fail('rate_limited', `Wait for your earlier presence:get answers (at most ${MAX_LOOKUPS_IN_FLIGHT} at once).`, { retryAfterMs: 100 });
      }
      lookupsInFlight += 1;
      try {
        return ok(await deps.presence.lookup(input.userIds));
      } finally {
        lookupsInFlight -= 1;
      }
    }),
  );

  // The snapshot comes with the next flush, shared with every socket that connected meanwhile.
  deps.presenceBroadcast.admit(socket);
}

/**
 * Records the connection before socket.io sends CONNECT: once a client is connected, every
 * instance counts it, so a client that moves to another instance and then closes its old socket
 * is never counted as gone in between. A socket that closes before it is connected gets neither
 * `connection` nor `disconnect` (socket.io only cleans it up), so its engine connection's `close`
 * removes it too; removal is idempotent.
 */
async function recordPresence(socket: LobbySocket, deps: LobbyDeps): Promise<void> {
  const user = socket.data.user;
  // Closed during the handshake: its `close` has fired already, and socket.io will drop it.
  if (socket.conn.readyState !== 'open') return;
  const recorded = deps.presence.connected(user.id, socket.id).catch((err: unknown) => {
    deps.logger.warn({ err, userId: user.id }, 'could not record presence');
  });
  let isGone = false;
  const gone = () => {
    if (isGone) return;
    isGone = true;
    socket.conn.off('close', gone);
    // After the connect is recorded, so a quick disconnect cannot leave a ghost entry behind.
    void recorded
      .then(() => deps.presence.disconnected(user.id, socket.id))
      .catch((err: unknown) => deps.logger.warn({ err, userId: user.id }, 'could not record a disconnect'));
  };
  socket.conn.once('close', gone);
  socket.once('disconnect', gone);
  await recorded;
}
