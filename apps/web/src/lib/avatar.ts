import { graphemes } from './graphemes';

/** Number of avatar colours in the stylesheet (`--avatar-0` … `--avatar-7`). */
export const AVATAR_COLORS = 8;

/** Up to two letters: the initials of the first two words, or the first two letters of a single word. */
export function initials(name: string): string {
  const words = name.trim().split(/[\s._-]+/u).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]!, words[1]!].map((w) => graphemes(w)[0]) : graphemes(words[0] ?? '?').slice(0, 2);
  return letters.join('').toLocaleUpperCase();
}

/**
 * A colour index derived from the name shown, so the same person looks the same on every screen and
 * on every server (ids are random per install). FNV-1a, then the low bits of a mixed hash.
 */
export function avatarColor(name: string): number {
  let hash = 0x811c9dc5;
  for (const ch of name) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  return (hash >>> 0) % AVATAR_COLORS;
}
