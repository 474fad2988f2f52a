import { normalizeDisplayName } from '@confab/shared';
// Unicode's confusables data (UTS #39): maps a character to the one it is drawn like (Cyrillic "а" to "a").
import { rectifyConfusion } from 'unicode-confusables';

// Characters that draw nothing (format, default-ignorable, the blank Braille pattern) and direction controls.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/**
 * What a display name looks like, for telling whether two names could be taken for each other:
 * NFKC, whitespace folded, invisible characters dropped, then the UTS #39 skeleton (each
 * character as the one it is confusable with: Greek "Β" and Cyrillic "В" as Latin "B"), case
 * folded. Names stored before the server refused invisible characters ("Alice\u200B") collide
 * with the plain form.
 */
export function lookalikeKey(displayName: string): string {
  const visible = normalizeDisplayName(displayName).replace(INVISIBLE, '');
  // Skeleton, fold case, skeleton again: lowercase letters can have confusables of their own.
  return skeleton(skeleton(visible).toLocaleLowerCase());
}

function skeleton(text: string): string {
  return rectifyConfusion(text.normalize('NFD')).normalize('NFD');
}

/** The keys held by more than one account among `users`: those names need the @username beside them. */
export function collidingKeys(users: Iterable<{ id: string; displayName: string }>): Set<string> {
  const owner = new Map<string, string>();
  const colliding = new Set<string>();
  for (const { id, displayName } of users) {
    const key = lookalikeKey(displayName);
    const first = owner.get(key);
    if (first === undefined) owner.set(key, id);
    else if (first !== id) colliding.add(key);
  }
  return colliding;
}
