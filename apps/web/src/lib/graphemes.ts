const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text's user-perceived characters: 👩🏽‍💻, 🇫🇷 and `é` written as e + accent are one each. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The text cut to at most `max` characters (grapheme clusters), the last of them an ellipsis when
 * it was cut. It never splits an emoji, a flag, a surrogate pair or a letter from its accents.
 */
export function truncate(text: string, max: number): string {
  let count = 0;
  let end = 0;
  for (const { index } of segmenter.segment(text)) {
    count += 1;
    // Room for the ellipsis: the cut keeps max - 1 characters.
    if (count === max) end = index;
    if (count > max) return `${text.slice(0, end).trimEnd()}…`;
  }
  return text;
}

/** The text on one line: every run of whitespace, line breaks included, as one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
