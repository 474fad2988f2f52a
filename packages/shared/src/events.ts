import type { AckFn, ErrorCode } from './errors.js';
import type {
  ConversationDto,
  ConversationPage,
  MessageDto,
  MessagePage,
  PresenceDto,
  PresenceSnapshotMeta,
  ReadMarkDto,
  TypingDto,
  UserDto,
  UserPage,
} from './dto.js';
import type {
  ConversationListPayload,
  DmHistoryPayload,
  DmOpenPayload,
  DmReadPayload,
  DmSendPayload,
  DmSyncPayload,
  DmTypingPayload,
  EmptyPayload,
  HistoryPayload,
  PresenceQueryPayload,
  RecallPayload,
  SendMessagePayload,
  SyncPayload,
  UserSearchPayload,
} from './schemas.js';

/** Socket.IO namespace paths. */
export const NAMESPACES = {
  /** The public lobby: every signed-in user. */
  lobby: '/lobby',
  /** Direct messages: one private room per pair of users. */
  dm: '/dm',
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
  /**
   * Client → server: recall (unsend) one's own lobby message within the recall window. Its body
   * is erased; the ack and a `message:new` to everyone carry the recall entry (see `MessageDto.recall`).
   * Idempotent: recalling again acks the same entry. Refusals: `not_found`, `forbidden` (not the author),
   * `recall_window_expired`.
   */
  'message:recall': (payload: RecallPayload, ack: AckFn<MessageDto>) => void;
  /** Client → server: the user is typing (send at most every `LIMITS.typingThrottleMs`). Relayed to the other lobby members. */
  'typing:start': (payload: EmptyPayload, ack: AckFn<null>) => void;
  /** Client → server: the user stopped typing (sent, blurred, or cleared the input). */
  'typing:stop': (payload: EmptyPayload, ack: AckFn<null>) => void;
  /** Client → server: the user interacted with this tab (at most every `LIMITS.presenceActiveThrottleMs`), keeping them `online`. */
  'presence:active': (payload: EmptyPayload, ack: AckFn<null>) => void;
  /** Client → server: the presence of given users, including offline ones' last-seen time. */
  'presence:get': (payload: PresenceQueryPayload, ack: AckFn<PresenceDto[]>) => void;
}

/** Events the server emits on `/lobby`. */
export interface LobbyServerToClientEvents {
  /** Server → every socket in the lobby room: a message (or a recall entry) was stored. */
  'message:new': (message: MessageDto) => void;
  /** Server → every other lobby socket, volatile: someone started or stopped typing. Expire it after `LIMITS.typingExpiryMs`. */
  typing: (typing: TypingDto) => void;
  /**
   * Server → a socket that just connected (its first presence event, within about
   * `LIMITS.presenceFlushMs` of connecting), and after a `resync`: everyone online or away,
   * current as of `meta.rev`. Hold what you have with a higher `rev`; anyone else absent from it
   * is offline. Sockets that connect within one flush interval share one encoded snapshot.
   */
  'presence:snapshot': (presence: PresenceDto[], meta: PresenceSnapshotMeta) => void;
  /**
   * Server → every lobby socket that has had its snapshot, at most once per
   * `LIMITS.presenceFlushMs` per server instance: the users whose aggregated presence changed
   * since the last one (coalesced: one entry per user, the latest). Batches may arrive out of
   * order or repeat entries (the server re-announces recent changes): apply each entry alone,
   * dropping one whose `rev` is not above the one held for that user or the last snapshot's.
   * Replaces the per-change `presence:update` of earlier versions.
   */
  'presence:changes': (presences: PresenceDto[]) => void;
  /**
   * Server → every socket of one instance whose link to the other instances (Redis) was
   * interrupted and is back: broadcasts may have been missed. Catch up with `message:sync`.
   */
  resync: () => void;
}

/** The room id of the DM between two users: `dm:` and both ids in ascending order, the same whoever asks. */
export function dmRoomId(userIdA: string, userIdB: string): string {
  return userIdA <= userIdB ? `dm:${userIdA}:${userIdB}` : `dm:${userIdB}:${userIdA}`;
}

/** The two participants of a DM room id (equal for notes-to-self), or null if it is not one. */
export function dmParticipants(roomId: string): [string, string] | null {
  const match = /^dm:([0-9a-f]{24}):([0-9a-f]{24})$/.exec(roomId);
  return match ? [match[1]!, match[2]!] : null;
}

/**
 * Events a client emits on `/dm`. Each takes a payload and an ack callback. There is nothing to
 * join: the server delivers each user's DM traffic to all of that user's sockets. Any request
 * naming a room the caller is not a participant of is refused with `forbidden`, and so is one
 * naming a room or user that does not exist, so refusals reveal nothing.
 */
export interface DmClientToServerEvents {
  /**
   * Client → server: send a DM to user `to` (yourself: notes-to-self). Ack: the stored message.
   * Both participants' sockets hear `dm:message` and `conversation:update`; a retry with a used
   * `clientId` acks the original and emits nothing.
   */
  'dm:send': (payload: DmSendPayload, ack: AckFn<MessageDto>) => void;
  /** Client → server: a page of older messages in a room, oldest first. */
  'dm:history': (payload: DmHistoryPayload, ack: AckFn<MessagePage>) => void;
  /** Client → server: a room's messages after `afterSeq`, for catch-up. */
  'dm:sync': (payload: DmSyncPayload, ack: AckFn<MessagePage>) => void;
  /**
   * Client → server: mark a room read up to `seq` (clamped to the room's newest; never moves
   * back). Ack: the caller's read mark. Both participants' sockets hear `dm:read` when it moved.
   */
  'dm:read': (payload: DmReadPayload, ack: AckFn<ReadMarkDto>) => void;
  /** Client → server: the conversation with a user, by username (case-insensitive); `not_found` if there is no such user (the directory is public to signed-in users). */
  'dm:open': (payload: DmOpenPayload, ack: AckFn<ConversationDto>) => void;
  /** Client → server: a page of the caller's conversations, most recent activity first. Empty rooms are not listed. */
  'dm:conversations': (payload: ConversationListPayload, ack: AckFn<ConversationPage>) => void;
  /** Client → server: the user directory; users whose username or display name starts with `query` (case-insensitive). */
  'user:search': (payload: UserSearchPayload, ack: AckFn<UserPage>) => void;
  /** Client → server: recall one's own DM, as `message:recall` on `/lobby`; both participants hear the recall entry as `dm:message`. */
  'message:recall': (payload: RecallPayload, ack: AckFn<MessageDto>) => void;
  /** Client → server: typing in a DM room; relayed to the other participant only. */
  'typing:start': (payload: DmTypingPayload, ack: AckFn<null>) => void;
  /** Client → server: stopped typing in a DM room. */
  'typing:stop': (payload: DmTypingPayload, ack: AckFn<null>) => void;
}

/** Events the server emits on `/dm`, to every socket of the users concerned. */
export interface DmServerToClientEvents {
  /** A message was stored in one of the user's rooms (also to the sender's own sockets). */
  'dm:message': (message: MessageDto) => void;
  /** A conversation changed (new message, read mark): the full entry, as this user sees it. */
  'conversation:update': (conversation: ConversationDto) => void;
  /** A participant's read mark moved: the reader's other tabs clear unread; the peer shows "Seen". */
  'dm:read': (mark: ReadMarkDto) => void;
  /** The other participant started or stopped typing (volatile). Expire it after `LIMITS.typingExpiryMs`. */
  typing: (typing: TypingDto) => void;
  /** As on `/lobby`: broadcasts may have been missed. Refresh `dm:conversations` and `dm:sync` open rooms. */
  resync: () => void;
}

/**
 * Events between server instances (`serverSideEmit`, through the Redis adapter). Not part of
 * the client protocol.
 */
export interface InterServerEvents {
  /** An instance's batch of presence changes, for the others to pass on to their `/lobby` sockets. */
  'presence:changes': (presences: PresenceDto[]) => void;
}

/** What the server keeps on each authenticated socket. */
export interface SocketData {
  /** The signed-in user. */
  user: UserDto;
  /** The session the handshake presented. */
  sessionId: string;
  /** When that session expires (ms since the epoch): the server disconnects the socket then. */
  sessionExpiresAt: number;
}

/** `data` of the `connect_error` a refused handshake produces. */
export interface ConnectErrorData {
  /** Why the handshake was refused (`unauthorized`, `rate_limited`, `unavailable`). */
  code: ErrorCode;
  /** Human-readable explanation. */
  message: string;
  /** With `rate_limited`: milliseconds until a handshake may succeed. */
  retryAfterMs?: number;
}

/** Body of a successful `POST /api/auth/register`, `POST /api/auth/login` or `GET /api/auth/me`. */
export interface SessionResponse {
  /** The signed-in user. */
  user: UserDto;
}
