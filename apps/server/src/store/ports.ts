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
}

export interface NewMessage {
  roomId: string;
  clientId: string;
  author: AuthorDto;
  body: string;
  createdAt: Date;
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
  /** Up to `limit` messages with `seq < beforeSeq` (or the newest), oldest first; `hasMore` if older exist. */
  history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<MessagePage>;
  /** Up to `limit` messages with `seq > afterSeq`, oldest first; `hasMore` if newer exist. */
  since(roomId: string, query: { afterSeq: number; limit: number }): Promise<MessagePage>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: Date;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session if it exists, is not revoked and has not expired at `now`. */
  findActive(id: string, now: Date): Promise<SessionRecord | null>;
  revoke(id: string): Promise<void>;
}

/** Every store the app needs, plus their lifecycle. */
export interface Stores {
  users: UserStore;
  messages: MessageStore;
  sessions: SessionStore;
  /** Whether the backing database answers now (for `/readyz`). */
  isReady(): Promise<boolean>;
  /** Human name of the implementation, for logs and `/readyz`. */
  kind: string;
  close(): Promise<void>;
}
