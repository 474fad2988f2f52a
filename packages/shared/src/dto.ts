/** A user as others see it. Never carries password data. */
export interface UserDto {
  /** Server-assigned id (24 lowercase hex digits). */
  id: string;
  /** Unique login name, as the user typed it at registration. */
  username: string;
  /** Name shown in the UI. */
  displayName: string;
}

/** The author of a message, as stored with it. */
export interface AuthorDto {
  /** The author's user id. */
  id: string;
  /** The author's display name when the message was sent. */
  name: string;
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
  /** Set once the author recalled the message; the body is then empty. */
  recalledAt?: string;
}

/** A page of messages, oldest first. */
export interface MessagePage {
  /** The messages, in ascending `seq`. */
  messages: MessageDto[];
  /** For history: older messages exist before the first one. For sync: newer ones exist after the last. */
  hasMore: boolean;
}
