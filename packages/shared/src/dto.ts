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
  /** Set once the author recalled the message; the body is then empty (erased in storage). */
  recalledAt?: string;
  /**
   * Present only on a recall entry: the room's stream records each recall as an entry of its
   * own, with its own seq, so a client catching up learns of it in order. Its `body` is empty
   * and its author is whoever recalled. Clients apply it to the message it names (tombstone)
   * and do not show it as a message.
   */
  recall?: { messageId: string; seq: number };
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

/** A participant's read position in a DM room. */
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
  /** How long after sending an author may recall a message, in ms. */
  recallWindowMs: number;
  /** After how long without activity in any tab a user shows as away, in ms. */
  awayAfterMs: number;
  /**
   * The server's clock when it answered (ISO 8601, UTC). Clients measure their clock's offset
   * from it, so that windows and relative times they show follow the server, not the device.
   */
  serverTime: string;
}
