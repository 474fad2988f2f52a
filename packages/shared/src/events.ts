import type { RemoveMessagePayload, ReportPayload, UserUpdateDto } from './admin.js';
import type { AckFn, ErrorCode } from './errors.js';
import type {
  ConversationDto,
  ConversationPage,
  ChannelPage,
  MemberPage,
  MessageDto,
  MessagePage,
  NotifySettingDto,
  PresenceDto,
  PresenceSnapshotMeta,
  ReadMarkDto,
  RoomDto,
  RoomReadsDto,
  RoomRemovedDto,
  RoomSummaryDto,
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
  LobbyTypingPayload,
  PresenceQueryPayload,
  RecallPayload,
  SendMessagePayload,
  SyncPayload,
  UserSearchPayload,
} from './schemas.js';
import type {
  ChannelBrowsePayload,
  ChannelCreatePayload,
  ChannelEditPayload,
  GroupOpenPayload,
  RoomInvitePayload,
  RoomMembersPayload,
  RoomRefPayload,
  RoomRemovePayload,
} from './roomSchemas.js';
import type { DeliveredPayload, EditPayload, ReactionPayload, RoomReadsPayload } from './messageSchemas.js';
import type { NotifySetPayload } from './notifySchemas.js';

/** Socket.IO namespace paths. */
export const NAMESPACES = {
  /** Public rooms' traffic: the lobby (every signed-in user) and public channels. */
  lobby: '/lobby',
  /**
   * Private rooms' traffic (DMs, groups, private channels), plus each user's own events: their
   * room list, read marks, joins and removals.
   */
  dm: '/dm',
  /** Administration: server settings, users, reports, the audit log, invitations (see `AdminClientToServerEvents`). */
  admin: '/admin',
} as const;


/**
 * Events a client emits on `/lobby`. Each takes a payload and an ack callback. Every event that
 * names a room takes an optional `roomId`, the lobby when absent: any room the caller is a member
 * of (`message:history` also a public channel they have not joined, as a preview). A room the
 * caller may not use is refused with `forbidden`, exactly like one that does not exist.
 */
export interface LobbyClientToServerEvents {
  /**
   * Client → server: post a message to a room (the lobby by default). Ack: the stored message.
   * Every member's sockets (the sender's other tabs too) hear `message:new` (on `/dm` as
   * `dm:message` for a private room), except on a retry with a `clientId` the author already
   * used, which acks the original message and broadcasts nothing. `attachments` names files the
   * sender uploaded with `POST /api/files`; one that is not theirs, not stored or already part of
   * another message is refused with `not_found` (field `attachments.<index>`), and nothing is stored.
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
  /**
   * Client → server: edit one's own message (not a recalled one) within the edit window
   * (`ServerSettings.editWindowMs`). The body is checked like a send's, and mentions are resolved
   * again. Ack: the change entry (`MessageDto.change`, type `edit`), which every member hears as
   * `message:new` (`dm:message` on `/dm` for a private room). Idempotent: when the message already
   * has this text the ack is `null` and nothing is stored or broadcast. Refusals: `not_found` (no
   * such message, not in a room of the caller's, not a message, or recalled), `forbidden` (not the
   * author), `edit_window_expired`, `rate_limited`.
   */
  'message:edit': (payload: EditPayload, ack: AckFn<MessageDto | null>) => void;
  /**
   * Client → server: remove a message as a moderator: an admin, any message; a channel's owner,
   * one in their channel; at any time (no window). The body and files are erased, and a removal
   * entry (`MessageDto.recall` with `byModerator`) goes to every member as a recall does; open
   * reports of it are resolved. Idempotent: a removed or recalled message acks its entry again.
   * Written to the audit log. Refusals: `not_found` (as for recalls), `forbidden` (not a moderator here).
   */
  'message:remove': (payload: RemoveMessagePayload, ack: AckFn<MessageDto>) => void;
  /**
   * Client → server: report a message in a room the caller is in to the server's admins (not
   * one's own, not a recalled one). Ack: `null`. Reporting the same message again changes
   * nothing. Refusals: `not_found`, `forbidden` (one's own message), `rate_limited`.
   */
  'message:report': (payload: ReportPayload, ack: AckFn<null>) => void;
  /**
   * Client → server: react to a message in a room the caller is a member of. Ack: the change
   * entry (type `reaction`, `added: true`), which every member hears. Idempotent: a reaction the
   * caller already has acks `null` and broadcasts nothing. Refusals: `not_found` (as for edits),
   * `limit_reached` (the message has `ServerSettings.reactionsPerMessageMax` distinct emoji and
   * this is a new one), `rate_limited`.
   */
  'reaction:add': (payload: ReactionPayload, ack: AckFn<MessageDto | null>) => void;
  /** Client → server: take back one's reaction. As `reaction:add`; a reaction the caller does not have acks `null`. */
  'reaction:remove': (payload: ReactionPayload, ack: AckFn<MessageDto | null>) => void;
  /** Client → server: the user is typing in a public room (send at most every `LIMITS.typingThrottleMs`). Relayed to the room's other members. */
  'typing:start': (payload: LobbyTypingPayload, ack: AckFn<null>) => void;
  /** Client → server: the user stopped typing (sent, blurred, or cleared the input). */
  'typing:stop': (payload: LobbyTypingPayload, ack: AckFn<null>) => void;
  /** Client → server: the user interacted with this tab (at most every `LIMITS.presenceActiveThrottleMs`), keeping them `online`. */
  'presence:active': (payload: EmptyPayload, ack: AckFn<null>) => void;
  /** Client → server: the presence of given users, including offline ones' last-seen time. */
  'presence:get': (payload: PresenceQueryPayload, ack: AckFn<PresenceDto[]>) => void;
}

/** Events the server emits on `/lobby`. */
export interface LobbyServerToClientEvents {
  /** Server → every member socket of a public room (the lobby, a public channel): an entry (message, recall or room event) was stored. */
  'message:new': (message: MessageDto) => void;
  /** Server → the public room's other members' sockets, volatile: someone started or stopped typing. Expire it after `LIMITS.typingExpiryMs`. */
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
   * An admin changed the server's settings (name, registration, recall and edit windows, upload
   * limit…): fetch `GET /api/settings` again, so open tabs follow without a reload. Sent to every
   * `/lobby` socket, by each instance once it applied the change (at most 30 s after it was made).
   */
  'settings:changed': () => void;
  /**
   * Server → every `/lobby` socket of one user: their own account changed (an admin or the
   * operator's command line made them admin or member): fetch `GET /api/auth/me` again, so the
   * menu offers (or stops offering) Administration without a reload.
   */
  'session:changed': () => void;
  /**
   * Server → every `/lobby` socket: a user was deactivated (or banned) or reactivated. Show or
   * drop the "deactivated" mark beside their name where it is on screen (it overrides
   * `AuthorDto.deactivated` of messages already held). A deactivated user's own sockets are
   * disconnected instead; `GET /api/auth/me` then answers 403 `account_deactivated`.
   */
  'user:updated': (update: UserUpdateDto) => void;
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
 * join: the server puts each socket in the rooms its user is a member of and keeps that true as
 * membership changes, on every instance. Any request naming a room the caller is not a member of
 * is refused with `forbidden`, and so is one naming a room or user that does not exist, so
 * refusals reveal nothing. The `dm:` events keep their names from when `/dm` carried only DMs:
 * they work in every room the caller is a member of.
 */
export interface DmClientToServerEvents {
  /**
   * Client → server: send a DM to user `to` (yourself: notes-to-self), or a message into room
   * `roomId` (a group or channel the caller is in). Ack: the stored message. Every member's
   * sockets hear it (`dm:message`; `message:new` on `/lobby` for a public room), and for a DM
   * both participants then hear `conversation:update` (other rooms' members count unread from
   * the entries themselves); a retry with a used `clientId` acks the original and emits nothing.
   * `attachments` work as for `message:send`.
   */
  'dm:send': (payload: DmSendPayload, ack: AckFn<MessageDto>) => void;
  /** Client → server: a page of older messages in a room, oldest first. */
  'dm:history': (payload: DmHistoryPayload, ack: AckFn<MessagePage>) => void;
  /** Client → server: a room's messages after `afterSeq`, for catch-up. */
  'dm:sync': (payload: DmSyncPayload, ack: AckFn<MessagePage>) => void;
  /**
   * Client → server: mark any room the caller is in (the lobby and channels too) read up to
   * `seq` (clamped to the room's newest; never moves back). Ack: the caller's read mark. When it
   * moved, the caller's sockets hear `dm:read` and `room:update` (DMs: both participants hear
   * `dm:read`, which shows "Seen"; groups and private channels: every member hears it, for "seen
   * by"); in the lobby and public channels marks are private.
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
  /** Client → server: edit one's message in any room the caller is in, as on `/lobby`. */
  'message:edit': (payload: EditPayload, ack: AckFn<MessageDto | null>) => void;
  /** Client → server: remove a message as a moderator, as on `/lobby`. */
  'message:remove': (payload: RemoveMessagePayload, ack: AckFn<MessageDto>) => void;
  /** Client → server: report a message to the admins, as on `/lobby`. */
  'message:report': (payload: ReportPayload, ack: AckFn<null>) => void;
  /** Client → server: react to a message in any room the caller is in, as on `/lobby`. */
  'reaction:add': (payload: ReactionPayload, ack: AckFn<MessageDto | null>) => void;
  /** Client → server: take back a reaction, as on `/lobby`. */
  'reaction:remove': (payload: ReactionPayload, ack: AckFn<MessageDto | null>) => void;
  /**
   * Client → server: this device received a one-to-one DM room's entries up to `seq` (send it
   * when entries by the peer arrive, live or by sync). Clamped to the newest; never moves back.
   * Ack: the caller's delivery mark. When it moved, both participants hear `dm:delivered`, which
   * shows the peer's messages as "Delivered". Refusals: `forbidden` (not a DM of the caller's).
   */
  'dm:delivered': (payload: DeliveredPayload, ack: AckFn<ReadMarkDto>) => void;
  /**
   * Client → server: every member's read mark in a group or private channel, for "seen by N".
   * Marks that move later arrive as `dm:read` (every member of such a room hears them). Other
   * rooms: `forbidden` (DMs carry the peer's mark in ConversationDto; public rooms' marks are private).
   */
  'room:reads': (payload: RoomReadsPayload, ack: AckFn<RoomReadsDto>) => void;
  /** Client → server: typing in a private room; relayed to its other members only. */
  'typing:start': (payload: DmTypingPayload, ack: AckFn<null>) => void;
  /** Client → server: stopped typing in a DM room. */
  'typing:stop': (payload: DmTypingPayload, ack: AckFn<null>) => void;
  /**
   * Client → server: every room the caller is a member of except one-to-one DMs (those page in
   * `dm:conversations`): the lobby, channels and groups, each with its newest entry, `lastSeq`
   * and the caller's unread count. At most `ROOMS_PER_USER_MAX` + 1 entries. On reconnect, sync
   * only the rooms whose `lastSeq` is above the newest seq you hold, and forget rooms absent from it.
   */
  'room:list': (payload: EmptyPayload, ack: AckFn<{ rooms: RoomSummaryDto[] }>) => void;
  /**
   * Client → server: create a channel; the caller is its owner and only member. Ack: its summary.
   * Refusals: `name_taken` (case-insensitively, public and private share one namespace),
   * `limit_reached` (rooms per user), `rate_limited`. The caller's sockets hear `room:update`.
   */
  'channel:create': (payload: ChannelCreatePayload, ack: AckFn<RoomSummaryDto>) => void;
  /** Client → server: a page of public channels whose name starts with `query` (case-insensitive), with member counts. Private channels never appear. */
  'channel:browse': (payload: ChannelBrowsePayload, ack: AckFn<ChannelPage>) => void;
  /**
   * Client → server: join a public channel. Ack: its summary. Idempotent. The room hears a
   * `joined` event entry; all the caller's sockets on every instance join it and hear
   * `room:update`. Refusals: `forbidden` (not a public channel, or no such room: one answer),
   * `limit_reached`.
   */
  'room:join': (payload: RoomRefPayload, ack: AckFn<RoomSummaryDto>) => void;
  /**
   * Client → server: leave a channel or group (not the lobby or a DM: `forbidden`). Ack: null.
   * The room hears a `left` entry; all the caller's sockets leave it and hear `room:removed`.
   * When a channel's owner leaves, the member who joined earliest becomes its owner (a `joined`
   * entry is not written for that; `room:update` tells everyone the roles changed).
   */
  'room:leave': (payload: RoomRefPayload, ack: AckFn<null>) => void;
  /**
   * Client → server: add users to a private channel (its owner only) or a public channel (any
   * member). Ack: the room. Each user added gets an `added` entry in the room's stream, and all
   * their sockets join it and hear `room:update`. Users already in are skipped. Refusals:
   * `forbidden`, `not_found` (a user id that does not exist; nobody is added), `limit_reached`
   * (an invitee is in too many rooms), `rate_limited` (invitations per minute).
   */
  'room:invite': (payload: RoomInvitePayload, ack: AckFn<RoomDto>) => void;
  /**
   * Client → server: remove a member from a channel (its owner only; not the owner themself).
   * Ack: null. The room hears a `removed` entry; the user's sockets leave the room at once on
   * every instance and hear `room:removed`; from then on they are refused a private channel's
   * history and sync (a public channel's they may preview and join again, like anyone).
   */
  'room:remove': (payload: RoomRemovePayload, ack: AckFn<null>) => void;
  /**
   * Client → server: rename a channel (its owner only) and/or set its topic (any member). Ack:
   * the room. Each change is a `renamed` or `topic` entry in its stream, which is how members
   * learn of it (they all receive the entry). Refusals: `forbidden`, `name_taken`.
   */
  'channel:edit': (payload: ChannelEditPayload, ack: AckFn<RoomDto>) => void;
  /**
   * Client → server: the group conversation of the caller and `userIds` (3 to 9 people in all),
   * created if new. The same set finds the same room, from whoever opens it, even at once on two
   * instances; anyone of the set who had left is added back, and every member hears `room:update`
   * with the new member list (as on a leave). Ack: its summary. Refusals:
   * `not_found` (a user id that does not exist), `limit_reached`.
   */
  'group:open': (payload: GroupOpenPayload, ack: AckFn<RoomSummaryDto>) => void;
  /** Client → server: a page of a room's members with their roles (members only). */
  'room:members': (payload: RoomMembersPayload, ack: AckFn<MemberPage>) => void;
  /**
   * Client → server: the caller's notification settings, one per room they chose something for
   * (rooms absent from it have their default: `defaultNotifyLevel`, not muted). Fetch it on
   * every connect, with `room:list`. At most `ROOMS_PER_USER_MAX` + `LIMITS.notifySettingsBeyondRoomsMax`
   * entries. A room left or removed from loses its setting (drop it on `room:removed`).
   */
  'notify:list': (payload: EmptyPayload, ack: AckFn<{ settings: NotifySettingDto[] }>) => void;
  /**
   * Client → server: change the caller's notification setting for a room they are a member of
   * (any kind, the lobby and DMs too). Ack: the setting now stored. Every socket of the caller
   * (this one too, on every instance) hears `notify:update`. Refusals: `forbidden` (not a member,
   * or no such room, a DM with a user who does not exist included), `limit_reached` (a new room
   * past `ROOMS_PER_USER_MAX` + `LIMITS.notifySettingsBeyondRoomsMax` settings), `invalid_payload`
   * (field `level` or `mutedUntil`), `rate_limited`; a refusal changes nothing.
   */
  'notify:set': (payload: NotifySetPayload, ack: AckFn<NotifySettingDto>) => void;
}

/** Events the server emits on `/dm`, to every socket of the users concerned. */
export interface DmServerToClientEvents {
  /** A message was stored in one of the user's rooms (also to the sender's own sockets). */
  'dm:message': (message: MessageDto) => void;
  /** A conversation changed (new message, read mark): the full entry, as this user sees it. */
  'conversation:update': (conversation: ConversationDto) => void;
  /**
   * A read mark moved: the reader's other tabs clear unread; in a DM the peer shows "Seen"; in a
   * group or private channel every member hears it ("seen by N"). Other rooms' marks reach only
   * the reader's own sockets.
   */
  'dm:read': (mark: ReadMarkDto) => void;
  /** A DM participant's delivery mark moved (`dm:delivered`): the peer's messages up to it are "Delivered". Both participants hear it. */
  'dm:delivered': (mark: ReadMarkDto) => void;
  /** The other participant started or stopped typing (volatile). Expire it after `LIMITS.typingExpiryMs`. */
  typing: (typing: TypingDto) => void;
  /**
   * One of the user's rooms (not a one-to-one DM) as this user sees it, after they created or
   * joined it, were added to it or made its owner, or moved their read mark in it: the full
   * summary; replace what you hold. Not sent for new entries (count those from `message:new` /
   * `dm:message`, which every member receives), nor for renames and topics (apply the `renamed`
   * and `topic` entries).
   */
  'room:update': (summary: RoomSummaryDto) => void;
  /** The user left a room (in another tab) or was removed from it: drop it and its messages. */
  'room:removed': (removed: RoomRemovedDto) => void;
  /** The user changed a room's notification setting (`notify:set`, on any device): replace what you hold. */
  'notify:update': (setting: NotifySettingDto) => void;
  /** As on `/lobby`: broadcasts may have been missed. Refresh `room:list`, `notify:list`, `dm:conversations` and sync open rooms. */
  resync: () => void;
}

/**
 * Events between server instances (`serverSideEmit`, through the Redis adapter). Not part of
 * the client protocol.
 */
export interface InterServerEvents {
  /** An instance's batch of presence changes, for the others to pass on to their `/lobby` sockets. */
  'presence:changes': (presences: PresenceDto[]) => void;
  /** An instance changed these users' memberships: put their sockets here in their rooms as stored. */
  'rooms:realign': (userIds: string[]) => void;
  /**
   * An admin changed the server settings: read them again from the database, then call `applied`
   * (the instance that made the change acks the admin once every instance has applied it).
   */
  'settings:changed': (applied: () => void) => void;
  /** An admin changed these users' role or deactivated, reactivated or banned them: forget what is cached of them. */
  'users:changed': (userIds: string[]) => void;
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
