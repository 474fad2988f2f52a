import type { AuthorDto, MessageDto, MessagePage, UserDto } from '@confab/shared';

/** A user as stored: the public fields plus the password hash, which never leaves the server. */
export interface UserRecord extends UserDto {
  passwordHash: string;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
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
  /** Replaces the user's password hash; false when there is no such user. */
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
}

export interface NewMessage {
  roomId: string;
  clientId: string;
  author: AuthorDto;
  body: string;
  createdAt: Date;
  /** Set on a recall entry: the message it recalls. */
  recall?: { messageId: string; seq: number };
  /**
   * Keep running counts of each author's messages with the room's entries, so that `countUnread`
   * reads two entries' counts instead of counting the range between them. For rooms with few
   * authors (DMs); once a room keeps them, every later entry does, recall entries included.
   */
  countAuthors?: boolean;
}

export interface AppendResult {
  message: MessageDto;
  /** False when `(author.id, clientId)` already existed and `message` is the original. */
  isNew: boolean;
}

export interface MessageStore {
  /**
   * Stores a message with the room's next sequence number, atomically. Idempotent on
   * `(author.id, clientId)`: a repeat returns the original and consumes no sequence number.
   */
  append(message: NewMessage): Promise<AppendResult>;
  /** The room's newest entry (message or recall entry); null for an empty room. */
  newest(roomId: string): Promise<MessageDto | null>;
  /**
   * The lower of `seq` and the room's newest seq (0 for an empty room). A store that knows the
   * room holds `seq` answers without reading it.
   */
  upToNewest(roomId: string, seq: number): Promise<number>;
  /** Up to `limit` messages with `seq < beforeSeq` (or the newest), oldest first; `hasMore` if older exist. */
  history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<MessagePage>;
  /** Up to `limit` messages with `seq > afterSeq`, oldest first; `hasMore` if newer exist. */
  since(roomId: string, query: { afterSeq: number; limit: number }): Promise<MessagePage>;
  findById(id: string): Promise<MessageDto | null>;
  /**
   * Erases a message's body for good and sets `recalledAt` (kept from the first call when
   * repeated). Does nothing when no message has this id.
   */
  erase(id: string, at: Date): Promise<void>;
  /**
   * How many entries in `(afterSeq, throughSeq]` (through the newest when `throughSeq` is not
   * given) are messages not written by `excludeAuthorId`, not recalled by a recall entry in that
   * range, and not erased without any recall entry (a recall the store failed to finish). Rooms
   * that count authors answer from the counts stored with the two ends.
   */
  countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string; throughSeq?: number }): Promise<number>;
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

/** Every store the app needs, plus their lifecycle. */
export interface Stores {
  users: UserStore;
  messages: MessageStore;
  sessions: SessionStore;
  conversations: ConversationStore;
  /** Whether the backing database answers now (for `/readyz`). */
  isReady(): Promise<boolean>;
  /** Human name of the implementation, for logs and `/readyz`. */
  kind: string;
  close(): Promise<void>;
}
