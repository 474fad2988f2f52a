import { z } from 'zod';
import { LIMITS } from './limits.js';
import { forbiddenNameCharacter, textLength, userText } from './text.js';

/** The room id of the lobby, as it appears in `MessageDto.roomId`. */
export const LOBBY_ROOM_ID = 'lobby';

const ROOM_ID = /^(lobby|dm:[0-9a-f]{24}:[0-9a-f]{24}|[cg]:[0-9a-f]{24})$/;

/**
 * Any room id: `lobby`, a DM's `dm:<userId>:<userId>` (ids ascending), a channel's `c:<24 hex>`
 * or a group's `g:<24 hex>`. Checked by format before any lookup.
 */
export const roomIdSchema = z
  .string({ error: 'roomId must be a string' })
  .regex(ROOM_ID, { error: 'roomId must be a room id (lobby, dm:<userId>:<userId>, c:<id> or g:<id>)' })
  .refine((id) => !id.startsWith('dm:') || id.slice(3, 27) <= id.slice(28), { error: 'roomId must list the user ids in ascending order' });

/** A user id: 24 lowercase hex digits. */
const memberIdSchema = z.string({ error: 'must be a string' }).regex(/^[0-9a-f]{24}$/, { error: 'must be a user id (24 hex digits)' });

/** A channel name as stored: NFKC (so fullwidth and compatibility forms read as their plain forms), trimmed. */
export function normalizeChannelName(name: string): string {
  return name.normalize('NFKC').trim();
}

/** The key channel names are unique under: two names that differ only in letter case are one. */
export function channelNameKey(name: string): string {
  return normalizeChannelName(name).toLowerCase();
}

/** Names no channel may take: `lobby` is the lobby's, and `/c/lobby` must not lead anywhere else. */
export const RESERVED_CHANNEL_NAMES: readonly string[] = ['lobby'];

/**
 * A channel name: letters and digits of any script, combining marks, `-` and `_`, with at least
 * one letter or digit; no spaces, no `#` (clients show it before the name), no invisible
 * characters (a Hangul filler is a "letter" that shows nothing; see `forbiddenNameCharacter`).
 * 1 to `LIMITS.channelNameMaxLength` code points after {@link normalizeChannelName}; unique
 * case-insensitively ({@link channelNameKey}); not one of {@link RESERVED_CHANNEL_NAMES}.
 */
export const channelNameSchema = z
  .string({ error: 'name must be a string' })
  .max(LIMITS.channelNameMaxLength * 4, { error: `name must be at most ${LIMITS.channelNameMaxLength} characters` })
  .transform(normalizeChannelName)
  .pipe(
    z
      .string()
      .min(1, { error: 'name is required' })
      .refine((name) => textLength(name) <= LIMITS.channelNameMaxLength, { error: `name must be at most ${LIMITS.channelNameMaxLength} characters` })
      .regex(/^[\p{L}\p{M}\p{N}_-]+$/u, { error: 'name may hold only letters, digits, "-" and "_" (no spaces)' })
      .refine((name) => /[\p{L}\p{N}]/u.test(name), { error: 'name must hold a letter or a digit' })
      .superRefine((name, ctx) => {
        const found = forbiddenNameCharacter(name);
        if (found) ctx.addIssue({ code: 'custom', message: `name must not contain invisible or text-direction characters (found ${found})` });
      })
      .refine((name) => !RESERVED_CHANNEL_NAMES.includes(channelNameKey(name)), { error: 'name is reserved' }),
  );

/**
 * A channel topic: text as in a message body, at most `LIMITS.topicMaxLength` code points; `""`
 * clears it. Text-direction controls are refused, as in names: a topic is shown beside the name,
 * where an override could make `txt.exe` read as `exe.txt`.
 */
export const topicSchema = z.union([
  z.literal(''),
  userText(LIMITS.topicMaxLength, 'topic').refine((topic) => !/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u.test(topic), {
    error: 'topic must not contain text-direction characters',
  }),
]);

/** `channel:create` payload. The creator becomes the channel's owner and only member. */
export const channelCreateSchema = z.strictObject({
  name: channelNameSchema,
  topic: topicSchema.default(''),
  /** `true`: a private channel (invitation only, invisible to others); `false`: public. */
  private: z.boolean({ error: 'private must be true or false' }).default(false),
});

/** `channel:browse` payload: public channels whose name starts with `query` (case-insensitive), by name. */
export const channelBrowseSchema = z.strictObject({
  query: z.string({ error: 'query must be a string' }).max(LIMITS.channelNameMaxLength, { error: `query must be at most ${LIMITS.channelNameMaxLength} characters` }).default(''),
  /** `nextCursor` from the previous page; omit for the first page. */
  cursor: z.string({ error: 'cursor must be a string' }).max(400).optional(),
  limit: z
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(LIMITS.channelBrowsePageMax, { error: `limit must be at most ${LIMITS.channelBrowsePageMax}` })
    .default(LIMITS.channelBrowsePageMax),
});

/** `room:join` and `room:leave` payload. */
export const roomRefSchema = z.strictObject({ roomId: roomIdSchema });

/** `room:invite` payload: add these users to a channel (a private one: its owner only; a public one: any member). */
export const roomInviteSchema = z.strictObject({
  roomId: roomIdSchema,
  userIds: z
    .array(memberIdSchema, { error: 'userIds must be an array' })
    .min(1, { error: 'userIds must name at least one user' })
    .max(LIMITS.inviteBatchMax, { error: `userIds may hold at most ${LIMITS.inviteBatchMax} ids` })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'userIds must not repeat an id' }),
});

/** `room:remove` payload: take a member out of a channel (its owner only; not themself, who leaves instead). */
export const roomRemoveSchema = z.strictObject({ roomId: roomIdSchema, userId: memberIdSchema });

/** `channel:edit` payload: a new name (owner only) and/or topic (any member). */
export const channelEditSchema = z
  .strictObject({ roomId: roomIdSchema, name: channelNameSchema.optional(), topic: topicSchema.optional() })
  .refine((edit) => edit.name !== undefined || edit.topic !== undefined, { error: 'name a new name or topic', path: ['name'] });

/**
 * `group:open` payload: the other people of a group conversation (2 to 8; the caller is added).
 * Opening the same set again, from anyone in it, finds the same room.
 */
export const groupOpenSchema = z.strictObject({
  userIds: z
    .array(memberIdSchema, { error: 'userIds must be an array' })
    .min(LIMITS.groupMembersMin - 1, { error: `userIds must name at least ${LIMITS.groupMembersMin - 1} other people` })
    .max(LIMITS.groupMembersMax - 1, { error: `userIds may name at most ${LIMITS.groupMembersMax - 1} other people` })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'userIds must not repeat an id' }),
});

/** `room:members` payload: a page of a room's members (channels and groups: by user id; the lobby: by lower-cased username). */
export const roomMembersSchema = z.strictObject({
  roomId: roomIdSchema,
  /** `nextCursor` from the previous page; omit for the first page. */
  cursor: z.string({ error: 'cursor must be a string' }).max(200).optional(),
  limit: z
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(LIMITS.memberPageMax, { error: `limit must be at most ${LIMITS.memberPageMax}` })
    .default(LIMITS.memberPageMax),
});

/** What a client sends with `channel:create`. */
export type ChannelCreatePayload = z.input<typeof channelCreateSchema>;
/** What a client sends with `channel:browse`. */
export type ChannelBrowsePayload = z.input<typeof channelBrowseSchema>;
/** What a client sends with `room:join` and `room:leave`. */
export type RoomRefPayload = z.input<typeof roomRefSchema>;
/** What a client sends with `room:invite`. */
export type RoomInvitePayload = z.input<typeof roomInviteSchema>;
/** What a client sends with `room:remove`. */
export type RoomRemovePayload = z.input<typeof roomRemoveSchema>;
/** What a client sends with `channel:edit`. */
export type ChannelEditPayload = z.input<typeof channelEditSchema>;
/** What a client sends with `group:open`. */
export type GroupOpenPayload = z.input<typeof groupOpenSchema>;
/** What a client sends with `room:members`. */
export type RoomMembersPayload = z.input<typeof roomMembersSchema>;
