import { z } from 'zod';
import { LIMITS } from './limits.js';
import { LOBBY_ROOM_ID, roomIdSchema } from './roomSchemas.js';
import { userName, userText } from './text.js';
import { attachmentsSchema } from './files.js';

/** A username: letters, digits, `.`, `_` and `-`; unique case-insensitively. */
export const usernameSchema = z
  .string({ error: 'username must be a string' })
  .min(LIMITS.usernameMinLength, { error: `username must be at least ${LIMITS.usernameMinLength} characters` })
  .max(LIMITS.usernameMaxLength, { error: `username must be at most ${LIMITS.usernameMaxLength} characters` })
  .regex(/^[A-Za-z0-9._-]+$/, { error: 'username may hold only letters, digits, ".", "_" and "-"' });

/** A password: only its length is checked. */
export const passwordSchema = z
  .string({ error: 'password must be a string' })
  .min(LIMITS.passwordMinLength, { error: `password must be at least ${LIMITS.passwordMinLength} characters` })
  .max(LIMITS.passwordMaxLength, { error: `password must be at most ${LIMITS.passwordMaxLength} characters` });

/**
 * A display name: free text, shown instead of the username. Stored after NFKC normalisation and
 * whitespace folding; direction controls and invisible characters are refused (see `userName`).
 */
export const displayNameSchema = userName(LIMITS.displayNameMaxLength, 'display name');

/** `POST /api/auth/register` body. `displayName` defaults to the username. */
export const registerSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
  /** The token of an invitation link (`/signup?invitation=<token>`): required while registration is `invitation`. */
  invitation: z
    .string({ error: 'invitation must be a string' })
    .min(1, { error: 'invitation must not be empty' })
    .max(64, { error: 'invitation must be at most 64 characters' })
    .optional(),
});

/** `POST /api/auth/login` body. Loosely checked so that a malformed username reads as wrong credentials. */
export const signInSchema = z.strictObject({
  username: z.string({ error: 'username must be a string' }).min(1, { error: 'username is required' }).max(LIMITS.usernameMaxLength * 2),
  password: z.string({ error: 'password must be a string' }).min(1, { error: 'password is required' }).max(LIMITS.passwordMaxLength),
});

/** `POST /api/auth/password` body: the current password proves it is the user, not a borrowed session. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z
    .string({ error: 'currentPassword must be a string' })
    .min(1, { error: 'currentPassword is required' })
    .max(LIMITS.passwordMaxLength),
  newPassword: passwordSchema,
});

/** A sender-generated id that makes retries idempotent (a UUID fits). */
export const clientIdSchema = z
  .string({ error: 'clientId must be a string' })
  .min(1, { error: 'clientId must not be empty' })
  .max(LIMITS.clientIdMaxLength, { error: `clientId must be at most ${LIMITS.clientIdMaxLength} characters` })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'clientId may hold only letters, digits, "_" and "-"' });

/** A message body as the user typed it; stored after NFC normalisation and trimming, at most `bodyMaxLength` code points. */
export const bodySchema = userText(LIMITS.bodyMaxLength, 'body');

/** A sent message's body: like {@link bodySchema}, but empty (`''`, or absent) when the message carries attachments. */
const sentBodySchema = userText(LIMITS.bodyMaxLength, 'body', { mayBeEmpty: true }).default('');

/** A send needs something to show: a body, attachments, or both. */
function hasContent(send: { body: string; attachments?: string[] | undefined }): boolean {
  return send.body !== '' || (send.attachments?.length ?? 0) > 0;
}
const NEEDS_CONTENT = { error: 'body must not be empty (unless the message carries attachments)', path: ['body'] };

/** A message id: 24 lowercase hex digits. Checked by format before any lookup. */
export const messageIdSchema = z.string({ error: 'id must be a string' }).regex(/^[0-9a-f]{24}$/, { error: 'id must be a message id (24 hex digits)' });

/**
 * The message a new message replies to: an earlier message (not a recall, change or room event
 * entry, not recalled) of the same room. Refused with `not_found` otherwise.
 */
export const replyToSchema = z.string({ error: 'replyTo must be a string' }).regex(/^[0-9a-f]{24}$/, { error: 'replyTo must be a message id (24 hex digits)' });

/** A room sequence number: 1 for a room's first message. */
const seqSchema = z.int({ error: 'must be an integer' }).min(0, { error: 'must not be negative' }).max(Number.MAX_SAFE_INTEGER);

/** On `/lobby`: the room an event is about; the lobby when absent (what clients before rooms send). */
const lobbyRoomIdSchema = roomIdSchema.default(LOBBY_ROOM_ID);

/** `message:send` payload: text (`body`), files (`attachments`, see `attachmentsSchema`), or both. */
export const sendMessageSchema = z
  .strictObject({
    roomId: lobbyRoomIdSchema,
    clientId: clientIdSchema,
    body: sentBodySchema,
    replyTo: replyToSchema.optional(),
    attachments: attachmentsSchema.optional(),
  })
  .refine(hasContent, NEEDS_CONTENT);

/** `message:history` payload: the page of messages just before `beforeSeq` (the newest page without it). */
export const historySchema = z.strictObject({
  roomId: lobbyRoomIdSchema,
  beforeSeq: seqSchema.min(1, { error: 'beforeSeq must be at least 1' }).optional(),
  limit: z
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(LIMITS.historyPageMax, { error: `limit must be at most ${LIMITS.historyPageMax}` })
    .default(LIMITS.historyPageDefault),
});

/** `message:sync` payload: everything after `afterSeq` (0 for the whole room), oldest first. */
export const syncSchema = z.strictObject({
  roomId: lobbyRoomIdSchema,
  afterSeq: seqSchema,
});

/** What a client sends with `message:send`. */
export type SendMessagePayload = z.input<typeof sendMessageSchema>;
/** What a client sends with `message:history`. */
export type HistoryPayload = z.input<typeof historySchema>;
/** What a client sends with `message:sync`. */
export type SyncPayload = z.input<typeof syncSchema>;
/** What a client sends to register. */
export type RegisterPayload = z.input<typeof registerSchema>;
/** What a client sends to sign in. */
export type SignInPayload = z.input<typeof signInSchema>;
/** What a client sends to `POST /api/auth/password`. */
export type ChangePasswordPayload = z.input<typeof changePasswordSchema>;

/** A user id: 24 lowercase hex digits. Checked by format before any lookup. */
export const userIdSchema = z.string({ error: 'must be a string' }).regex(/^[0-9a-f]{24}$/, { error: 'must be a user id (24 hex digits)' });

/**
 * A room id on `/dm`, where it names any room the caller is a member of (a DM, group or private
 * channel, or a public room: history, sync, read marks and typing work for every kind there).
 */
export const dmRoomIdSchema = roomIdSchema;

/**
 * `dm:send` payload: a message to the user with id `to` (yourself for notes-to-self), or into the
 * room `roomId` the caller is a member of (a group or channel). Exactly one of the two.
 */
export const dmSendSchema = z
  .strictObject({
    to: userIdSchema.optional(),
    roomId: roomIdSchema.optional(),
    clientId: clientIdSchema,
    body: sentBodySchema,
    replyTo: replyToSchema.optional(),
    attachments: attachmentsSchema.optional(),
  })
  .refine((send) => (send.to === undefined) !== (send.roomId === undefined), { error: 'name exactly one of to and roomId', path: ['to'] })
  .refine(hasContent, NEEDS_CONTENT);

/** `dm:history` payload: like `message:history`, in one DM room. */
export const dmHistorySchema = z.strictObject({
  roomId: dmRoomIdSchema,
  beforeSeq: historySchema.shape.beforeSeq,
  limit: historySchema.shape.limit,
});

/** `dm:sync` payload: like `message:sync`, in one DM room. */
export const dmSyncSchema = z.strictObject({
  roomId: dmRoomIdSchema,
  afterSeq: seqSchema,
});

/** `dm:read` payload: the reader has seen the room up to and including `seq`. */
export const dmReadSchema = z.strictObject({
  roomId: dmRoomIdSchema,
  seq: seqSchema,
});

/** `dm:open` payload: the conversation with a user, by username (it may have no messages yet). */
export const dmOpenSchema = z.strictObject({
  username: z.string({ error: 'username must be a string' }).min(1, { error: 'username is required' }).max(LIMITS.usernameMaxLength * 2),
});

/** `dm:conversations` payload: a page of the caller's conversations, most recent activity first. */
export const conversationListSchema = z.strictObject({
  /** `cursor` from the previous page; omit for the first page. */
  cursor: z.string({ error: 'cursor must be a string' }).max(200).optional(),
  limit: z
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(LIMITS.conversationPageMax, { error: `limit must be at most ${LIMITS.conversationPageMax}` })
    .default(LIMITS.conversationPageMax),
});

/** `user:search` payload: users whose username or display name starts with `query`, by username. */
export const userSearchSchema = z.strictObject({
  query: z.string({ error: 'query must be a string' }).max(LIMITS.displayNameMaxLength, { error: `query must be at most ${LIMITS.displayNameMaxLength} characters` }),
  /** `nextCursor` from the previous page; omit for the first page. */
  cursor: z.string({ error: 'cursor must be a string' }).max(200).optional(),
  limit: z
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(LIMITS.userSearchPageMax, { error: `limit must be at most ${LIMITS.userSearchPageMax}` })
    .default(20),
});

/** What a client sends with `dm:send`. */
export type DmSendPayload = z.input<typeof dmSendSchema>;
/** What a client sends with `dm:history`. */
export type DmHistoryPayload = z.input<typeof dmHistorySchema>;
/** What a client sends with `dm:sync`. */
export type DmSyncPayload = z.input<typeof dmSyncSchema>;
/** What a client sends with `dm:read`. */
export type DmReadPayload = z.input<typeof dmReadSchema>;
/** What a client sends with `dm:open`. */
export type DmOpenPayload = z.input<typeof dmOpenSchema>;
/** What a client sends with `dm:conversations`. */
export type ConversationListPayload = z.input<typeof conversationListSchema>;
/** What a client sends with `user:search`. */
export type UserSearchPayload = z.input<typeof userSearchSchema>;


/** `message:recall` payload: the author takes back their message. */
export const recallSchema = z.strictObject({ id: messageIdSchema });

/** A payload that carries nothing: `{}`. */
export const emptySchema = z.strictObject({});

/** `/lobby` `typing:start` and `typing:stop` payload: the room (the lobby when absent). */
export const lobbyTypingSchema = z.strictObject({ roomId: lobbyRoomIdSchema });

/** `/dm` `typing:start` and `typing:stop` payload. */
export const dmTypingSchema = z.strictObject({ roomId: dmRoomIdSchema });

/** `presence:get` payload: the presence of these users, online or not. */
export const presenceQuerySchema = z.strictObject({
  userIds: z
    .array(userIdSchema, { error: 'userIds must be an array' })
    .max(LIMITS.presenceQueryMax, { error: `userIds may hold at most ${LIMITS.presenceQueryMax} ids` }),
});

/** What a client sends with `message:recall`. */
export type RecallPayload = z.input<typeof recallSchema>;
/** What a client sends with `/lobby` typing events. */
export type LobbyTypingPayload = z.input<typeof lobbyTypingSchema>;
/** What a client sends with `/dm` typing events. */
export type DmTypingPayload = z.input<typeof dmTypingSchema>;
/** What a client sends with `presence:get`. */
export type PresenceQueryPayload = z.input<typeof presenceQuerySchema>;
/** The empty payload of `typing:start`/`typing:stop` in the lobby and of `presence:active`. */
export type EmptyPayload = z.input<typeof emptySchema>;
