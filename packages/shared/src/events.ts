import type { AckFn, ErrorCode } from './errors.js';
import type { MessageDto, MessagePage, UserDto } from './dto.js';
import type { HistoryPayload, SendMessagePayload, SyncPayload } from './schemas.js';

/** Socket.IO namespace paths. */
export const NAMESPACES = {
  /** The public lobby: every signed-in user. */
  lobby: '/lobby',
} as const;

/** The room id of the lobby, as it appears in `MessageDto.roomId`. */
export const LOBBY_ROOM_ID = 'lobby';

/** Events a client emits on `/lobby`. Each takes a payload and an ack callback. */
export interface LobbyClientToServerEvents {
  /**
   * Client → server: post a message to the lobby. Ack: the stored message.
   * Everyone in the lobby (the sender's other tabs too) hears `message:new`, except on a retry
   * with a `clientId` the author already used, which acks the original message and broadcasts nothing.
   */
  'message:send': (payload: SendMessagePayload, ack: AckFn<MessageDto>) => void;
  /** Client → server: a page of older messages, oldest first. Ack: a page whose `hasMore` says older ones exist. Nobody else hears anything. */
  'message:history': (payload: HistoryPayload, ack: AckFn<MessagePage>) => void;
  /** Client → server: the messages after `afterSeq`, oldest first, for catch-up. Ack: a page whose `hasMore` says to ask again. */
  'message:sync': (payload: SyncPayload, ack: AckFn<MessagePage>) => void;
}

/** Events the server emits on `/lobby`. */
export interface LobbyServerToClientEvents {
  /** Server → every socket in the lobby room: a message was stored. */
  'message:new': (message: MessageDto) => void;
}

/** Events between server instances (none yet). */
export type InterServerEvents = Record<never, never>;

/** What the server keeps on each authenticated socket. */
export interface SocketData {
  /** The signed-in user. */
  user: UserDto;
  /** The session the handshake presented. */
  sessionId: string;
}

/** `data` of the `connect_error` a refused handshake produces. */
export interface ConnectErrorData {
  /** Why the handshake was refused (`unauthorized`, `origin_not_allowed`, …). */
  code: ErrorCode;
  /** Human-readable explanation. */
  message: string;
}

/** Body of a successful `POST /api/auth/register`, `POST /api/auth/login` or `GET /api/auth/me`. */
export interface SessionResponse {
  /** The signed-in user. */
  user: UserDto;
}
