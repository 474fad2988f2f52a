import { describe, expect, it } from 'vitest';
import { toReactionEmoji } from './reactionEmoji';

describe('reaction emoji from the picker', () => {
  it('keeps an RGI emoji as it is, with the variation selectors it needs', () => {
    for (const emoji of ['👍', '❤️', '🏳️‍🌈', '👍🏽', '🇫🇷', '👩‍💻', '1️⃣']) expect(toReactionEmoji(emoji)).toBe(emoji);
  });

  it('drops a variation selector after an emoji that needs none (emojibase writes 👍 so)', () => {
    expect(toReactionEmoji('👍\uFE0F')).toBe('👍');
    expect(toReactionEmoji('🎉\uFE0F')).toBe('🎉');
  });

  it('refuses text, shortcodes and several emoji', () => {
    for (const text of ['a', ':tada:', '👍👍', '', '👍 ']) expect(toReactionEmoji(text)).toBeNull();
  });
});
