import type { Readable } from 'node:stream';
import type { AttachmentDto, AttachmentKind, AuthorDto, MemberRole, MentionDto, MessageChangeDto, MessageDto, NotifyLevel, ReactionDto, RoomEventDto, UserDto, UserRole } from '@confab/shared';
import type { AuditStore, InvitationStore, ReportStore, SettingsStore } from './adminPorts.js';

export type * from './adminPorts.js';

/** A user as stored: the public fields plus the password hash, which never leaves the server. */
export interface UserRecord extends UserDto {
  passwordHash: string;
  createdAt: Date;
  /** The server-wide role; records stored before roles existed read as `member`. */
  role: UserRole;
  /** Set while the account is deactivated (a ban deactivates too); null when active. */
  deactivatedAt: Date | null;
  /** Set once the account was banned (kept when reactivated, as history); null when never. */
  bannedAt: Date | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
  /** Defaults to `member`. */
  role?: UserRole;
}

export interface UserStore {
  /** Creates the user, or returns `'username_taken'` if the username exists in any letter case. */
  create(user: NewUser): Promise<UserRecord | 'username_taken'>;
  /** Looks a user up by username, case-insensitively. */
  findByUsername(username: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  /**
   * The directory: users whose username or display name starts with `prefix`, compared
   * case-insensitively as plain text (never as a pattern), ordered by lower-cased username,
   * after `afterUsername` (a lower-cased username) when given. An empty prefix matches everyone.
   */
  search(query: { prefix: string; afterUsername?: string; limit: number }): Promise<UserRecord[]>;
  /** How many users are registered (the lobby's member count). */
  count(): Promise<number>;
  /** Replaces the user's password hash; false when there is no such user. */
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /** Sets the user's role; returns the record after the change, null when there is no such user. */
  setRole(id: string, role: UserRole): Promise<UserRecord | null>;
  /**
   * Sets the user's role to `to` only if it is still `from` (a user stored before roles counts as
   * a member): the record after the change, or null when there is no such user or its role was not
   * `from`. Of racing calls exactly one changes it, on a database that does not isolate updates too.
   */
  replaceRole(id: string, change: { from: UserRole; to: UserRole }): Promise<UserRecord | null>;
  /**
   * Deactivates (`deactivatedAt` a date; `bannedAt` too for a ban) or reactivates
   * (`deactivatedAt: null`; `bannedAt` is then left as it is). Returns the record after the
   * change, null when there is no such user.
   */
  setDeactivated(id: string, change: { deactivatedAt: Date | null; bannedAt?: Date }): Promise<UserRecord | null>;
  /**
   * Deletes the user; false when there is no such user. Only for an account nothing refers to
   * yet: a registration that lost the race for a fresh server's first account (its username is
   * free again). Nothing else a user made (messages, sessions, memberships) is touched.
   */
  delete(id: string): Promise<boolean>;
  /** How many users are admins and not deactivated. */
  countActiveAdmins(): Promise<number>;
  /** The ids of every deactivated user (a short list: every instance keeps it in memory). */
  deactivatedIds(): Promise<string[]>;
}

/** A change entry as stored: what changed, without the target's state (read when served). */
export type StoredChange = Omit<MessageChangeDto, 'state'>;

/**
 * A stream entry as a MessageStore holds it: a MessageDto without what is read from elsewhere
 * when it is served (see services/messageViews.ts): a change entry's target state, a reply's
 * quote (only the original's id and seq are stored) and reactions (the ReactionStore's).
 */
export type StoredMessage = Omit<MessageDto, 'change' | 'replyTo' | 'reactions'> & {
  change?: StoredChange;
  replyTo?: { messageId: string; seq: number };
};

/** A page of stored entries, oldest first (see MessagePage). */
export interface StoredPage {
  messages: StoredMessage[];
  hasMore: boolean;
}

export interface NewMessage {
  roomId: string;
  clientId: string;
  author: AuthorDto;
  body: string;
  createdAt: Date;
  /**
   * Set on a recall entry: the message it recalls; `byModerator` on a moderator's removal (whose
   * author, the moderator, is then not the message's author: unread counts go by the message's).
   */
  recall?: { messageId: string; seq: number; byModerator?: true };
  /** Set on a room event entry (join, leave, rename…): what changed. */
  event?: RoomEventDto;
  /** Set on a change entry (an edit or a reaction): what changed. Never counts as unread. */
  change?: StoredChange;
  /** Set on a reply: the original's id and seq (in the same room). */
  replyTo?: { messageId: string; seq: number };
  /** The members the body mentions, resolved by the caller; absent or empty when none. */
  mentions?: MentionDto[];
  /** The files sent with the message (already claimed for it, see FileStore.claim); absent or empty when none. */
  attachments?: AttachmentDto[];
  /**
   * Keep running counts of each author's messages with the room's entries, so that `countUnread`
   * reads two entries' counts instead of counting the range between them. For rooms with few
   * authors (DMs); once a room keeps them, every later entry does, recall entries included.
   */
  countAuthors?: boolean;
}

export interface AppendResult {
  message: StoredMessage;
  /** False when `(author.id, clientId)` already existed and `message` is the original. */
  isNew: boolean;
}

export interface MessageStore {
  /**
   * Stores a message with the room's next sequence number, atomically. Idempotent on
   * `(author.id, clientId)`: a repeat returns the original and consumes no sequence number.
   */
  append(message: NewMessage): Promise<AppendResult>;
  /** The room's newest entry (of any kind); null for an empty room. */
  newest(roomId: string): Promise<StoredMessage | null>;
  /**
   * The room's newest entry that is not a change entry (a message, recall or room event: what a
   * room's preview shows); null when there is none.
   */
  newestShown(roomId: string): Promise<StoredMessage | null>;
  /**
   * The lower of `seq` and the room's newest seq (0 for an empty room). A store that knows the
   * room holds `seq` answers without reading it.
   */
  upToNewest(roomId: string, seq: number): Promise<number>;
  /** Up to `limit` messages with `seq < beforeSeq` (or the newest), oldest first; `hasMore` if older exist. */
  history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<StoredPage>;
  /** Up to `limit` messages with `seq > afterSeq`, oldest first; `hasMore` if newer exist. */
  since(roomId: string, query: { afterSeq: number; limit: number }): Promise<StoredPage>;
  findById(id: string): Promise<StoredMessage | null>;
  /** The author's entry with this clientId (unique per author), or null. */
  findByClientId(authorId: string, clientId: string): Promise<StoredMessage | null>;
  /** The entries with these ids that exist, in any order (at most a page's worth of ids). */
  findByIds(ids: readonly string[]): Promise<StoredMessage[]>;
  /**
   * Replaces a message's text: sets `body`, `mentions` (removed when empty) and `editedAt`, unless
   * it is recalled; a recall racing the edit must win (the body ends empty, even on a database
   * that does not isolate updates). Returns the message as stored after the call; null when no
   * message has this id.
   */
  edit(id: string, change: { body: string; mentions: MentionDto[]; editedAt: Date }): Promise<StoredMessage | null>;
  /**
   * Erases a message's body, mentions and attachments for good and sets `recalledAt` (kept from
   * the first call when repeated); `byModerator` also sets `removedByModerator` (a moderator's
   * removal, kept once set). Does nothing when no message has this id.
   */
  erase(id: string, at: Date, options?: { byModerator?: boolean }): Promise<void>;
  /**
   * The author's messages (not recall, event or change entries) that are not erased, ordered by
   * id, strictly after `afterId` when given: what a ban removes, a page at a time.
   */
  authoredBy(authorId: string, query: { afterId?: string; limit: number }): Promise<StoredMessage[]>;
  /**
   * How many entries in `(afterSeq, throughSeq]` (through the newest when `throughSeq` is not
   * given) are messages not written by `excludeAuthorId`, not recalled by a recall entry in that
   * range, and not erased without any recall entry (a recall the store failed to finish). Rooms
   * that count authors answer from the counts stored with the two ends.
   */
  countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string; throughSeq?: number }): Promise<number>;
  /**
   * Where a bounded unread count starts: the seq just before the `count`-th newest entry at or
   * below `throughSeq` that is not a change entry (0 when there are fewer), so that edits and
   * reactions do not use up the window (`LIMITS.unreadCountWindow`).
   */
  shownWindowStart(roomId: string, query: { throughSeq: number; count: number }): Promise<number>;
  /**
   * How many messages in `(afterSeq, throughSeq]` mention `userId` (their current `mentions`),
   * are not written by them and are not recalled. Change, recall and event entries never count.
   */
  countMentions(roomId: string, query: { userId: string; afterSeq: number; throughSeq: number }): Promise<number>;
}

/** One user's reaction with one emoji to one message. */
export interface NewReaction {
  messageId: string;
  roomId: string;
  user: AuthorDto;
  emoji: string;
  at: Date;
}

/** Reactions to messages: one record per (message, emoji, user), kept unique by the store. */
export interface ReactionStore {
  /** Adds the reaction; false when the user already had it (concurrent adds: exactly one returns true). */
  add(reaction: NewReaction): Promise<boolean>;
  /** Removes the reaction; false when the user did not have it (concurrent removes: at most one returns true). */
  remove(messageId: string, userId: string, emoji: string): Promise<boolean>;
  /**
   * Each message's reactions (messages with none are absent): per emoji, ordered by its first
   * use, users earliest first.
   */
  of(messageIds: readonly string[]): Promise<Map<string, ReactionDto[]>>;
  /** The distinct emoji a message carries. */
  emojiOf(messageId: string): Promise<string[]>;
  /** When the user added this reaction (the stored `at`), or null when they do not have it. */
  addedAt(messageId: string, userId: string, emoji: string): Promise<Date | null>;
}

/** A DM room's metadata: who is in it and when it last saw activity. */
export interface ConversationRecord {
  roomId: string;
  /** Both participants' user ids, ascending; the same id twice for notes-to-self. */
  memberIds: [string, string];
  lastActivityAt: Date;
}

export interface ConversationStore {
  /**
   * Records activity in a room: creates it with its members if new, and moves `lastActivityAt`
   * forward to `at` (never back). Safe to call concurrently and repeatedly.
   */
  touch(roomId: string, memberIds: readonly [string, string], at: Date): Promise<void>;
  find(roomId: string): Promise<ConversationRecord | null>;
  /**
   * The user's rooms, newest activity first (ties: greater room id first), starting strictly
   * after the `before` position when given.
   */
  listForUser(userId: string, query: { before?: { at: Date; roomId: string }; limit: number }): Promise<ConversationRecord[]>;
  /**
   * Moves the user's read mark in the room forward to `seq`; never back, even when calls race.
   * Returns the mark now stored, and whether this call moved it.
   */
  markRead(roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }>;
  /** The user's read mark in the room: 0 when they never read it. */
  readSeq(roomId: string, userId: string): Promise<number>;
  /** Every user's read mark in the room (those above 0), in no particular order. */
  readMarks(roomId: string): Promise<{ userId: string; seq: number }[]>;
  /**
   * Moves the user's delivery mark (the highest seq one of their devices received) forward to
   * `seq`, as `markRead` does read marks: never back, even when calls race.
   */
  markDelivered(roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }>;
  /** The user's delivery mark in the room: 0 when none. */
  deliveredSeq(roomId: string, userId: string): Promise<number>;
}

/** The kinds of room a RoomStore holds records for (DMs are ConversationRecords, the lobby is implied). */
export type StoredRoomKind = 'public_channel' | 'private_channel' | 'group';

/** A channel's or group's record. */
export interface RoomRecord {
  /** `c:<24 hex>` for channels, `g:<24 hex>` for groups. */
  id: string;
  kind: StoredRoomKind;
  /** Channels: the name as stored (NFKC, trimmed); null for groups. */
  name: string | null;
  /** Channels: the topic; empty when none (and for groups). */
  topic: string;
  /** Groups: the defining set of user ids, ascending (the id is derived from it). Empty for channels. */
  memberSet: string[];
  createdBy: string;
  createdAt: Date;
}

export interface NewChannel {
  id: string;
  kind: 'public_channel' | 'private_channel';
  name: string;
  topic: string;
  createdBy: string;
  createdAt: Date;
}

export interface MembershipRecord {
  roomId: string;
  userId: string;
  role: MemberRole;
  joinedAt: Date;
}

export interface RoomStore {
  /**
   * Creates a channel and makes its creator the owner; `'name_taken'` when a channel with the
   * same name key (`channelNameKey`) exists, public or private. Safe against concurrent creates.
   */
  createChannel(channel: NewChannel): Promise<RoomRecord | 'name_taken'>;
  /**
   * The group for this set of users (ascending ids), created if new: concurrent calls with the
   * same id and set return the same record. Does not change memberships.
   */
  openGroup(group: { id: string; memberSet: string[]; createdBy: string; createdAt: Date }): Promise<RoomRecord>;
  find(id: string): Promise<RoomRecord | null>;
  /** The channel whose name key (`channelNameKey`) is `nameKey`, public or private. */
  findByName(nameKey: string): Promise<RoomRecord | null>;
  /**
   * Public channels whose name key starts with `prefix` (plain text, never a pattern), ordered by
   * name key, strictly after `afterNameKey` when given.
   */
  browse(query: { prefix: string; afterNameKey?: string; limit: number }): Promise<RoomRecord[]>;
  /** Sets a channel's name and/or topic; `'name_taken'` if the new name's key belongs to another channel; null if there is no such room. */
  update(id: string, change: { name?: string; topic?: string }): Promise<RoomRecord | 'name_taken' | null>;
  /** Adds a member (keeps an existing membership as it is); true when this call added them. */
  addMember(membership: MembershipRecord): Promise<boolean>;
  /** Removes a member; true when this call removed them. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  /** Changes a member's role; false when they are not a member. */
  setRole(roomId: string, userId: string, role: MemberRole): Promise<boolean>;
  membership(roomId: string, userId: string): Promise<MembershipRecord | null>;
  /** Members ordered by user id, strictly after `afterUserId` when given. */
  members(roomId: string, query: { afterUserId?: string; limit: number }): Promise<MembershipRecord[]>;
  /** The remaining member who joined first (ties: lower user id), or null in an empty room. */
  earliestMember(roomId: string): Promise<MembershipRecord | null>;
  memberCount(roomId: string): Promise<number>;
  /** Every room the user is a member of (channels and groups), in no particular order. */
  roomsOf(userId: string): Promise<MembershipRecord[]>;
  /** How many rooms the user is a member of (channels and groups). */
  countRoomsOf(userId: string): Promise<number>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: Date;
  /** Fingerprint of the password hash the session was issued against: a changed password ends it. */
  credential: string;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session if it exists, is not revoked and has not expired at `now`. */
  findActive(id: string, now: Date): Promise<SessionRecord | null>;
  revoke(id: string): Promise<void>;
  /** Revokes every session of the user (a password change); returns how many there were. */
  revokeAllForUser(userId: string): Promise<number>;
}

/** A stored file's metadata (its bytes are blobs: see FileStore). */
export interface FileRecord {
  /** 24 lowercase hex digits, made by the server (`newId`), never derived from the upload. */
  id: string;
  /** Who uploaded it. */
  ownerId: string;
  /** Display name (`normalizeFileName`): never used as a path. */
  name: string;
  /** Detected from the bytes (see AttachmentDto.contentType). */
  contentType: string;
  kind: AttachmentKind;
  /** Bytes of the `file` blob. */
  size: number;
  /** Images: pixels, as displayed. */
  width?: number;
  height?: number;
  /** Images: the `thumbnail` blob's pixels and bytes. */
  thumbnail?: { width: number; height: number; size: number };
  /** Hex SHA-256 of the `file` blob: the ETag. */
  sha256: string;
  createdAt: Date;
}

/**
 * Which message took a file. At most one per file, kept unique by the store (an insert under a
 * unique key, the one write both MongoDB and FerretDB make atomic), so two sends racing for one
 * upload cannot both have it. A retried send finds its own claim by `(authorId, clientId)`.
 */
export interface FileClaim {
  fileId: string;
  authorId: string;
  /** The send's clientId. */
  clientId: string;
  roomId: string;
  /** Set once the message is stored. */
  messageId?: string;
  at: Date;
}

/** Which of a file's blobs: its bytes as served, or an image's thumbnail. */
export type BlobKind = 'file' | 'thumbnail';

/** An inclusive byte range of a blob (as HTTP Range counts). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Uploaded files: blobs (bytes, streamed in and out, never held whole in memory), their records,
 * and claims by messages. MongoDB: GridFS and two collections, so every instance serves every
 * file and a database backup holds the files. Embedded: a private local folder (`FILES_DIR`)
 * whose paths are made only from server-made ids.
 */
export interface FileStore {
  /**
   * Streams `source` into the file's blob of this kind, replacing nothing (a blob is written once).
   * Resolves with the bytes written; if `source` errors, rejects with its error and leaves nothing stored.
   */
  putBlob(fileId: string, kind: BlobKind, source: Readable): Promise<number>;
  /**
   * The blob's bytes (only `range`, when given; it must lie within the blob), as a stream; null
   * when there is no such blob.
   */
  readBlob(fileId: string, kind: BlobKind, range?: ByteRange): Promise<Readable | null>;
  /** Records a file whose blobs are stored. */
  create(record: FileRecord): Promise<void>;
  find(id: string): Promise<FileRecord | null>;
  /** Bytes the user's stored files take (every blob of every record they own). */
  usage(ownerId: string): Promise<number>;
  /**
   * Claims the file for a message, unless it is claimed: returns the claim stored, this one or the
   * earlier one (compare `authorId` and `clientId` to tell). Concurrent claims: exactly one wins.
   */
  claim(claim: FileClaim): Promise<FileClaim>;
  claimOf(fileId: string): Promise<FileClaim | null>;
  /** Records the stored message on the file's claim. */
  setClaimMessage(fileId: string, messageId: string): Promise<void>;
  /** Removes the claim if `(authorId, clientId)` made it (a send refused after claiming); otherwise nothing. */
  releaseClaim(fileId: string, authorId: string, clientId: string): Promise<void>;
  /** Removes the file: its blobs, record and claim. Idempotent; a missing file is no error. */
  delete(id: string): Promise<void>;
  /** Files created before `before` that no message has claimed (oldest first, at most `limit`): the orphan sweep's work. */
  unclaimedBefore(before: Date, limit: number): Promise<FileRecord[]>;
}

/** A user's notification setting for one room, as stored: only what they chose. */
export interface NotifySettingRecord {
  userId: string;
  roomId: string;
  /** The level chosen; absent while the room has its default. */
  level?: NotifyLevel;
  /** Muted until then; null when not muted. */
  mutedUntil: Date | null;
}

/** Per-room notification settings, one record per (user, room), written only by that user. */
export interface NotifySettingStore {
  /**
   * Sets the given fields of the user's setting for the room (creating it), leaving the others as
   * they are, and returns the record now stored. Two racing calls that set different fields both
   * take effect, from one process or from several on one database (another device's change on
   * another server instance), on MongoDB and on FerretDB alike. Of two racing calls that set the
   * same field, either may win.
   */
  update(userId: string, roomId: string, change: { level?: NotifyLevel; mutedUntil?: Date | null }): Promise<NotifySettingRecord>;
  /** The user's setting for the room, or null when they never chose one. */
  find(userId: string, roomId: string): Promise<NotifySettingRecord | null>;
  /** Every setting of the user, in no particular order. */
  listForUser(userId: string): Promise<NotifySettingRecord[]>;
  /** How many rooms the user has a setting for (what `listForUser` would return, counted). */
  countForUser(userId: string): Promise<number>;
  /** Forgets the user's setting for the room (they left it): the room has its default again. Nothing to forget is no error. */
  remove(userId: string, roomId: string): Promise<void>;
}

/** Every store the app needs, plus their lifecycle. */
export interface Stores {
  users: UserStore;
  messages: MessageStore;
  reactions: ReactionStore;
  files: FileStore;
  sessions: SessionStore;
  conversations: ConversationStore;
  rooms: RoomStore;
  notifySettings: NotifySettingStore;
  settings: SettingsStore;
  invitations: InvitationStore;
  reports: ReportStore;
  audit: AuditStore;
  /** Whether the backing database answers now (for `/readyz`). */
  isReady(): Promise<boolean>;
  /** Human name of the implementation, for logs and `/readyz`. */
  kind: string;
  close(): Promise<void>;
}
