import { describe, expect, it } from 'vitest';
import { graphemes, oneLine, truncate } from './graphemes';

describe('grapheme-safe truncation', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('👩🏽‍💻👩🏽‍💻', 2)).toBe('👩🏽‍💻👩🏽‍💻');
  });

  it('cuts before a ZWJ emoji sequence, never inside it', () => {
    expect(truncate('ab👩🏽‍💻cd', 4)).toBe('ab👩🏽‍💻…');
    expect(truncate('abc👩‍👩‍👧‍👦', 4)).toBe('abc👩‍👩‍👧‍👦');
    expect(truncate('abc👩‍👩‍👧‍👦d', 4)).toBe('abc…');
  });

  it('keeps a flag\'s two regional indicators together', () => {
    expect(truncate('🇫🇷🇩🇪🇯🇵', 3)).toBe('🇫🇷🇩🇪🇯🇵');
    expect(truncate('🇫🇷🇩🇪🇯🇵', 2)).toBe('🇫🇷…');
  });

  it('keeps a skin tone with its emoji, and a letter with its combining accents', () => {
    expect(truncate('👍🏿👍🏿👍🏿', 2)).toBe('👍🏿…');
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
  });

  it('never leaves a lone surrogate, whatever the cut', () => {
    const text = '😀'.repeat(200);
    for (let max = 1; max < 20; max += 1) expect(truncate(text, max)).not.toMatch(/\p{Cs}/u);
  });

  it('drops the space before the ellipsis', () => {
    expect(truncate('one two three', 5)).toBe('one…');
  });

  it('counts grapheme clusters and folds whitespace for one-line previews', () => {
    expect(graphemes('a👩🏽‍💻🇫🇷é')).toEqual(['a', '👩🏽‍💻', '🇫🇷', 'é']);
    expect(oneLine(' a\n\n b\t c ')).toBe('a b c');
  });
});
