import { z } from 'zod';
import { LIMITS } from './limits.js';
import { bodySchema, messageIdSchema } from './schemas.js';
import { roomIdSchema } from './roomSchemas.js';

/** `message:edit` payload: the author's new text for their message, checked like a send's body. */
export const editSchema = z.strictObject({ id: messageIdSchema, body: bodySchema });

// One RGI emoji (Unicode's "recommended for general interchange" set, UTS #51): a single emoji,
// a keycap, a flag, a modifier or ZWJ sequence. The `v` flag it needs exists in Node 20 and in
// browsers since 2023 (Safari 17, Firefox 116); where it is missing, creating it throws, so it is
// made once, lazily, and a browser without it leaves the check to the server (which has it).
// Built from a string, too: TypeScript accepts a `v`-flag literal only when targeting ES2024.
let singleEmoji: RegExp | null | undefined;
function isSingleEmoji(text: string): boolean {
  if (singleEmoji === undefined) {
    try {
      singleEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
    } catch {
      singleEmoji = null;
    }
  }
  return singleEmoji === null || singleEmoji.test(text);
}

/**
 * A reaction emoji: exactly one RGI emoji (UTS #51), fully qualified, at most
 * `LIMITS.reactionEmojiMaxLength` UTF-16 units. Text, shortcodes (`:tada:`) and several emoji
 * are refused; clients turn shortcodes into emoji before sending.
 */
export const reactionEmojiSchema = z
  .string({ error: 'emoji must be a string' })
  .min(1, { error: 'emoji must be exactly one emoji' })
  .max(LIMITS.reactionEmojiMaxLength, { error: `emoji must be at most ${LIMITS.reactionEmojiMaxLength} characters` })
  .refine(isSingleEmoji, { error: 'emoji must be exactly one emoji' });

/** `reaction:add` and `reaction:remove` payload: which message, which emoji. */
export const reactionSchema = z.strictObject({ id: messageIdSchema, emoji: reactionEmojiSchema });

/** `dm:delivered` payload: the caller's device holds the DM room's entries up to and including `seq`. */
export const deliveredSchema = z.strictObject({
  roomId: roomIdSchema,
  seq: z.int({ error: 'seq must be an integer' }).min(0, { error: 'seq must not be negative' }).max(Number.MAX_SAFE_INTEGER),
});

/** `room:reads` payload: the room whose members' read marks to list. */
export const roomReadsSchema = z.strictObject({ roomId: roomIdSchema });

/** What a client sends with `message:edit`. */
export type EditPayload = z.input<typeof editSchema>;
/** What a client sends with `reaction:add` and `reaction:remove`. */
export type ReactionPayload = z.input<typeof reactionSchema>;
/** What a client sends with `dm:delivered`. */
export type DeliveredPayload = z.input<typeof deliveredSchema>;
/** What a client sends with `room:reads`. */
export type RoomReadsPayload = z.input<typeof roomReadsSchema>;
