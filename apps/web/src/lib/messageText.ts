import { excerpt, LIMITS } from '@confab/shared';
import { toPlainText } from './markdown';

/**
 * A message's text as one plain line for a reply's quote or the reply bar: what it reads as
 * (markup gone, shortcodes as emoji), at most LIMITS.replyExcerptGraphemes grapheme clusters.
 */
export function quoteText(text: string): string {
  return excerpt(toPlainText(text), LIMITS.replyExcerptGraphemes);
}
