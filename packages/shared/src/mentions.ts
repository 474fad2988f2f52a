import { LIMITS } from './limits.js';

// `@` then a username's characters (see usernameSchema), not preceded by a letter, digit or one
// of the username punctuation marks (so `mail@example.com` mentions nobody).
const MENTION = /(?<![\p{L}\p{N}._@-])@([A-Za-z0-9._-]{1,32})/gu;

/**
 * The usernames a body may mention, lower-cased, first appearance first, without repeats: each
 * `@name` token, and when it ends in `.`, `_` or `-` (a sentence's full stop after `@bob.`) also
 * the name without them, to try if the longer one is not a user. At most
 * `2 × LIMITS.mentionsPerMessageMax` candidates, so resolving them costs a bounded number of
 * lookups. The server keeps only the candidates that are members of the room
 * (`MessageDto.mentions`); clients use the same rule to highlight them.
 */
export function mentionCandidates(body: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (name.length >= LIMITS.usernameMinLength && !seen.has(name)) {
      seen.add(name);
      found.push(name);
    }
  };
  for (const match of body.matchAll(MENTION)) {
    const name = match[1]!.toLowerCase();
    add(name);
    add(name.replace(/(?<![._-])[._-]+$/, ''));
    if (found.length >= LIMITS.mentionsPerMessageMax * 2) break;
  }
  return found.slice(0, LIMITS.mentionsPerMessageMax * 2);
}
