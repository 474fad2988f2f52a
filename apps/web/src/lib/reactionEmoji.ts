import { reactionEmojiSchema } from '@confab/shared';

// A variation selector 16 after an emoji that already shows as an emoji by default: emoji data
// sets (emojibase, which the picker uses) write 👍 as 👍 + U+FE0F, which Unicode's RGI list does
// not hold, so the server would refuse it.
const REDUNDANT_VS16 = /(\p{Emoji_Presentation})\uFE0F/gu;

/**
 * The emoji as the server takes reactions (exactly one RGI emoji, UTS #51), or null when it is
 * not one: a redundant variation selector is dropped, a needed one (❤️, 🏳️‍🌈) kept.
 */
export function toReactionEmoji(emoji: string): string | null {
  for (const candidate of [emoji, emoji.replace(REDUNDANT_VS16, '$1')]) {
    if (reactionEmojiSchema.safeParse(candidate).success) return candidate;
  }
  return null;
}
