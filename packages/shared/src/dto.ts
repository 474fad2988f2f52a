import type { RegistrationMode, UserRole } from './admin.js';
import type { NotifyLevel } from './notifySchemas.js';

/** A user as others see it. Never carries password data. */
export interface UserDto {
  /** Server-assigned id (24 lowercase hex digits). */
  id: string;
  /** Unique login name, as the user typed it at registration. */
  username: string;
  /** Name shown in the UI. */
  displayName: string;
  /**
   * The server-wide role (`admin` or `member`): present in the session responses (register,
   * sign-in, `GET /api/auth/me`) and in `admin:users`, absent elsewhere (the directory, members).
   */
  role?: UserRole;
}

/** The author of a message, as stored with it. */
export interface AuthorDto {
  /** The author's user id. */
  id: string;
  /** The author's display name when the message was sent. */
  name: string;
  /** Set on a message's author when their account is deactivated (or banned) now: show it beside the name. */
  deactivated?: true;
}

/** A stored message. */
export interface MessageDto {
  /** Server-assigned id (24 lowercase hex digits). */
  id: string;
  /** The room it belongs to (`lobby` for the lobby). */
  roomId: string;
  /** Position in the room: 1 for the first message, one more for each after it. */
  seq: number;
  /** The sender's idempotency key; unique per author. */
  clientId: string;
  /** Who sent it; always the sender's signed-in user. */
  author: AuthorDto;
  /** The text, normalised to NFC and trimmed. Plain text: clients must never render it as HTML. */
  body: string;
  /** Server time of storage, ISO 8601 in UTC. */
  createdAt: string;
  /** Set once the author recalled the message, or a moderator removed it; the body is then empty (erased in storage). */
  recalledAt?: string;
  /** Set with `recalledAt` when a moderator (an admin, or the channel's owner) removed it: show "removed by a moderator". */
  removedByModerator?: true;
  /**
   * Set once the author edited the message: the time of the latest edit (ISO 8601, UTC). `body`
   * is always the latest text; earlier texts are not kept anywhere.
   */
  editedAt?: string;
  /** Set when the message replies to an earlier message of the same room: a quote of it as it is now. */
  replyTo?: ReplyQuoteDto;
  /**
   * The members the message mentions (`@username` in the body, resolved by the server when it
   * was stored or last edited): only users who are members of the room (everyone, in the lobby).
   * Absent when none.
   */
  mentions?: MentionDto[];
  /** Reactions, one entry per emoji in the order first used; absent when none. */
  reactions?: ReactionDto[];
  /**
   * Files sent with the message (at most `LIMITS.attachmentsPerMessageMax`), in the order the
   * sender listed them; absent when none. A message with attachments may have an empty `body`.
   * A recall removes them with the body, and their bytes from storage.
   */
  attachments?: AttachmentDto[];
  /**
   * Present only on a recall entry: the room's stream records each recall as an entry of its
   * own, with its own seq, so a client catching up learns of it in order. Its `body` is empty
   * and its author is whoever recalled. A moderator's removal (`message:remove`, a ban) is the
   * same entry with `byModerator: true`, and its author is the removed message's author, not the
   * moderator: members are not told who removed it (the audit log keeps that), and a message has
   * at most one such entry, whoever recalled or removed it first. Clients apply it to the message
   * it names (tombstone) and do not show it as a message.
   */
  recall?: { messageId: string; seq: number; byModerator?: true };
  /**
   * Present only on a room event entry: a change to the room itself (someone joined, left, was
   * added or removed, the channel was created or renamed, its topic changed), recorded in the
   * room's stream with its own seq so members who were offline learn of it in order. Its `body`
   * is empty and its author is who made the change. Clients show it as a line of its own, not
   * as a message; it counts as unread like a message (as Slack's join lines do).
   */
  event?: RoomEventDto;
  /**
   * Present only on a change entry: an edit of an earlier message, or a reaction added to or
   * removed from it, recorded in the room's stream with its own seq (as recalls are) so a client
   * catching up learns of it in order. Its `body` is empty and its author is who made the change.
   * Clients apply it by replacing the named message's state with `change.state`, do not show it
   * as a row, and never count it as unread.
   */
  change?: MessageChangeDto;
}

/**
 * A stored file: what `POST /api/files` answers with (`UploadResponse`), and what a message
 * carries for each of its attachments. Every field is decided by the server from the bytes.
 */
export interface AttachmentDto {
  /** The file's id (24 lowercase hex digits). Its bytes are at `fileUrl(id)`. */
  id: string;
  /**
   * The name to show and to save as: the uploader's name after `normalizeFileName` (NFC, no path,
   * no control or direction characters, at most `LIMITS.fileNameMaxLength` code points). Only
   * ever used for display and `Content-Disposition`; never part of a path.
   */
  name: string;
  /**
   * The media type found from the bytes (magic numbers), never from the name or the uploader's
   * claim: `image/jpeg`, `image/png`, `image/webp`, `image/gif` for images, the detected type for
   * other known formats (`application/pdf`…), `application/octet-stream` when unknown.
   */
  contentType: string;
  /** Bytes served at `fileUrl(id)` (for images: after metadata was stripped). */
  size: number;
  /**
   * `image`: a JPEG, PNG, WebP or GIF that decoded within `LIMITS.imagePixelsMax`; it has `width`,
   * `height` and `thumbnail`, and is served inline. `file`: anything else, always served as a download.
   */
  kind: AttachmentKind;
  /** Images: width in pixels, as displayed (after the EXIF orientation was applied). */
  width?: number;
  /** Images: height in pixels, as displayed. */
  height?: number;
  /**
   * Images: the thumbnail's size in pixels (it fits in `LIMITS.thumbnailMaxEdge` on both sides,
   * keeping the aspect ratio). Its bytes (WebP) are at `thumbnailUrl(id)`.
   */
  thumbnail?: { width: number; height: number };
}

/** What kind of attachment a file is (`AttachmentDto.kind`). */
export type AttachmentKind = 'image' | 'file';

/** `POST /api/files` answer (status 201): the stored upload, to list in `attachments` of a send. */
export interface UploadResponse {
  file: AttachmentDto;
}

/** Who a message mentions (`MessageDto.mentions`). */
export interface MentionDto {
  /** The mentioned user's id. */
  id: string;
  /** Their username (what follows `@` in the body, in its stored letter case). */
  username: string;
}

/** The quote a reply carries (`MessageDto.replyTo`), read from the original when served. */
export interface ReplyQuoteDto {
  /** The original message's id and seq (in the same room). */
  messageId: string;
  seq: number;
  /** Who wrote the original. */
  author: AuthorDto;
  /**
   * The start of the original's current text: at most `LIMITS.replyExcerptGraphemes` grapheme
   * clusters (never a broken emoji or accented letter), with `…` when cut; raw text, markup
   * included (clients render it as plain text). Empty when the original was recalled, or has
   * no text (only files: see `attachments`).
   */
  excerpt: string;
  /** The original's files, names and kinds only (absent when none, or recalled), so a quote of a files-only message can name them. */
  attachments?: Pick<AttachmentDto, 'name' | 'kind'>[];
  /** The original was recalled: show the quote as recalled. */
  recalled?: boolean;
  /** Set with `recalled` when a moderator removed the original: show the quote as "removed by a moderator". */
  removedByModerator?: true;
}

/** One emoji's reactions on a message. */
export interface ReactionDto {
  /** The emoji itself (one fully-qualified emoji, as `\p{RGI_Emoji}` matches). */
  emoji: string;
  /** Who reacted with it, earliest first (their display names when they reacted). Never empty. */
  users: AuthorDto[];
}

/**
 * The changeable part of a message, as a change entry carries it: the target's state after this
 * change and every change with a lower seq (read when the entry is served, so it may already
 * include later ones). Apply it by replacing those fields of the message it names.
 */
export interface MessageStateDto {
  /** The current text ('' once recalled; a recalled message has no attachments either). */
  body: string;
  editedAt?: string;
  recalledAt?: string;
  /** Set with `recalledAt` when a moderator removed the message (see `MessageDto.removedByModerator`). */
  removedByModerator?: true;
  mentions?: MentionDto[];
  reactions?: ReactionDto[];
}

/** What a change entry (`MessageDto.change`) records. */
export interface MessageChangeDto {
  /** `edit`: the author changed the text; `reaction`: the entry's author added or removed `emoji`. */
  type: 'edit' | 'reaction';
  /** The message changed, and its seq. */
  messageId: string;
  seq: number;
  /** With `reaction`: the emoji. */
  emoji?: string;
  /** With `reaction`: true when it was added, false when removed. */
  added?: boolean;
  /** The message's state to apply (see MessageStateDto). */
  state: MessageStateDto;
}

/** What a room event entry (`MessageDto.event`) records. */
export interface RoomEventDto {
  /**
   * `created`: the author created the channel (named `name`, topic `topic`);
   * `joined` / `left`: the author joined or left;
   * `added` / `removed`: the author added or removed `user`;
   * `renamed`: the author renamed the channel to `name`;
   * `topic`: the author set the topic to `topic` (empty: cleared).
   */
  type: 'created' | 'joined' | 'left' | 'added' | 'removed' | 'renamed' | 'topic';
  /** With `added` and `removed`: who. */
  user?: AuthorDto;
  /** With `created` and `renamed`: the channel's name from then on. */
  name?: string;
  /** With `created` and `topic`: the topic from then on. */
  topic?: string;
}

/** A page of messages, oldest first. */
export interface MessagePage {
  /** The messages, in ascending `seq`. */
  messages: MessageDto[];
  /** For history: older messages exist before the first one. For sync: newer ones exist after the last. */
  hasMore: boolean;
}

/** One DM conversation as its participant `me` sees it. */
export interface ConversationDto {
  /** The pair's room id, `dm:<userId>:<userId>`. */
  roomId: string;
  /** The other participant (the caller themself in a notes-to-self room). */
  peer: UserDto;
  /** The newest message, or null when nobody has written yet. */
  lastMessage: MessageDto | null;
  /** Server time of the newest message (or of opening the room), ISO 8601 in UTC; the list is ordered by it. */
  lastActivityAt: string;
  /** Messages from the peer after `myReadSeq` that are not recalled. Never negative; never counts one's own. */
  unreadCount: number;
  /** Highest seq the caller has marked read (0 for none). */
  myReadSeq: number;
  /** Highest seq the peer has marked read: the caller's messages up to it are "Seen". */
  peerReadSeq: number;
  /**
   * Highest seq that reached at least one of the peer's devices (their client reported it with
   * `dm:delivered`): the caller's messages up to it are "Delivered". Never below what the peer read.
   */
  peerDeliveredSeq: number;
}

/** A page of conversations, most recent activity first. */
export interface ConversationPage {
  conversations: ConversationDto[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** A page of users found by `user:search`, ordered by username. */
export interface UserPage {
  users: UserDto[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * What kind of room: `lobby` (public, everyone is a member, cannot be left), `public_channel`
 * (anyone signed in can find, read and join it), `private_channel` (named, invitation only,
 * invisible to non-members), `group` (an unnamed conversation among 3 to 9 people; the same set
 * finds the same room) or `dm` (two people, or one for notes to self). Public rooms' traffic
 * goes over `/lobby`, private rooms' over `/dm`.
 */
export type RoomKind = 'lobby' | 'public_channel' | 'private_channel' | 'group' | 'dm';

/** A room member's role: the `owner` (the channel's creator) may invite, remove and rename. */
export type MemberRole = 'owner' | 'member';

/** A room as its members see it. */
export interface RoomDto {
  /** `lobby`; `dm:<userId>:<userId>`; `c:<24 hex>` for channels; `g:<24 hex>` for groups. Never changes. */
  id: string;
  kind: RoomKind;
  /** The channel's name (without `#`); null for groups and DMs. The lobby's is `lobby`. */
  name: string | null;
  /** The channel's topic; empty when none. */
  topic: string;
  /** How many members it has (the lobby: every registered user). */
  memberCount: number;
  /** With `group`: every member, the caller included, ordered by username. */
  members?: UserDto[];
  /** The caller's role in it; `member` in the lobby and DMs. */
  myRole: MemberRole;
  /** Server time of creation, ISO 8601 in UTC. */
  createdAt: string;
}

/**
 * One of the caller's rooms in `room:list` and `room:update`: the room, its newest entry and the
 * caller's read state. Compare `lastSeq` with the newest seq you hold to learn whether to sync it.
 */
export interface RoomSummaryDto {
  room: RoomDto;
  /** The newest entry (message, recall or room event), or null in an empty room. */
  lastMessage: MessageDto | null;
  /** The newest entry's seq (0 in an empty room). */
  lastSeq: number;
  /** Server time of the newest entry (or of creation), ISO 8601 in UTC. */
  lastActivityAt: string;
  /**
   * Entries after `myReadSeq` that others wrote and that are not recalled, counted among the
   * room's newest `LIMITS.unreadCountWindow` entries: that many means "that many or more".
   */
  unreadCount: number;
  /**
   * Unread messages that mention the caller (`MessageDto.mentions`), not recalled, counted in the
   * same window as `unreadCount`.
   */
  mentionCount: number;
  /** Highest seq the caller has marked read (0 for none). */
  myReadSeq: number;
}

/**
 * The caller's notification setting for one room (`notify:set`, `notify:list`, `notify:update`):
 * the same on every device of theirs.
 */
export interface NotifySettingDto {
  roomId: string;
  /** The level in effect: the one chosen, else the room's default (`defaultNotifyLevel`). */
  level: NotifyLevel;
  /**
   * Muted until this time (ISO 8601, UTC; `MUTED_FOREVER` until turned back on): nothing
   * notifies or counts in the title, mentions included. Null when not muted. A past time mutes
   * nothing (the server does not clear it).
   */
  mutedUntil: string | null;
}

/** A public channel as `channel:browse` lists it, for anyone signed in. */
export interface ChannelListingDto {
  id: string;
  name: string;
  topic: string;
  memberCount: number;
  /** Whether the caller is a member. */
  joined: boolean;
}

/** A page of `channel:browse`, ordered by lower-cased name. */
export interface ChannelPage {
  channels: ChannelListingDto[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** A member of a room. */
export interface MemberDto {
  user: UserDto;
  role: MemberRole;
}

/** A page of `room:members`: channels and groups by user id, the lobby by lower-cased username. */
export interface MemberPage {
  members: MemberDto[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Sent with `room:removed`: the caller is no longer a member of `roomId` and must forget its messages. */
export interface RoomRemovedDto {
  roomId: string;
  /** `left`: the caller left (in another tab); `removed`: the owner removed them. */
  reason: 'left' | 'removed';
}

/** `room:reads`: every member's read mark in a group or private channel ("seen by"). */
export interface RoomReadsDto {
  roomId: string;
  /** One per member who has read anything, in no particular order. */
  marks: ReadMarkDto[];
}

/** A reader's read position in a room (also a delivery position, in `dm:delivered`). */
export interface ReadMarkDto {
  roomId: string;
  /** Who read. */
  userId: string;
  /** They have seen the room up to and including this seq. */
  seq: number;
}

/** A user's presence, aggregated over all of their connections. */
export interface PresenceDto {
  userId: string;
  /** `online`: some tab is active; `away`: every tab idle or hidden for a while; `offline`: no connection. */
  state: 'online' | 'away' | 'offline';
  /** When the user was last connected and active (ISO 8601, UTC); null when never seen since the server started. */
  lastSeenAt: string | null;
  /**
   * The revision of this state: every published change gets a higher one than all before it (for
   * any user), so a client ignores an update whose `rev` is not above what it holds for that user
   * or the `rev` of its last snapshot. An offline user in a `presence:get` answer carries the
   * revision it was read at.
   */
  rev: number;
}

/** The second argument of `presence:snapshot`. */
export interface PresenceSnapshotMeta {
  /** The snapshot is current as of this revision: a user absent from it was offline then. */
  rev: number;
}

/** Someone started or stopped typing in a room. */
export interface TypingDto {
  roomId: string;
  user: AuthorDto;
  isTyping: boolean;
}

/** Server settings a client needs to show timings (`GET /api/settings`). */
export interface ServerSettings {
  /** The server's name (an admin setting; `SERVER_NAME`): the page title and sign-in page show it. */
  serverName: string;
  /**
   * Who may register now: `open`, `invitation` (only with an invitation link) or `closed`. A
   * server with no account yet answers `open`: its first account becomes its admin.
   */
  registration: RegistrationMode;
  /**
   * Whether members (not only admins) may create invitation links now (an admin setting): while
   * true, `invitation:create`, `invitation:list` and `invitation:revoke` on `/admin` admit members
   * for their own invitations.
   */
  membersCanInvite: boolean;
  /** How long after sending an author may recall a message, in ms. */
  recallWindowMs: number;
  /**
   * How long after sending an author may edit a message, in ms: null for no limit (the default),
   * 0 when editing is switched off (`EDIT_WINDOW_MINUTES`).
   */
  editWindowMs: number | null;
  /** Most distinct emoji one message may carry as reactions (`REACTIONS_PER_MESSAGE_MAX`). */
  reactionsPerMessageMax: number;
  /** After how long without activity in any tab a user shows as away, in ms. */
  awayAfterMs: number;
  /** The largest upload the server takes, in bytes (`UPLOAD_MAX_MB`); larger ones are refused with `file_too_large`. */
  uploadMaxBytes: number;
  /**
   * The server's clock when it answered (ISO 8601, UTC). Clients measure their clock's offset
   * from it, so that windows and relative times they show follow the server, not the device.
   */
  serverTime: string;
}
