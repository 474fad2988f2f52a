import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { LIMITS, type UserDto } from '@confab/shared';
import { collidingKeys, lookalikeKey } from '../lib/identity';
import { searchUsers } from '../services/dm';

// A failed directory question is asked again after 0.5 s, then twice as long each time, up to 30 s.
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;
// Then it gives up until the page is loaded again: the name simply shows without its @username.
const MAX_ATTEMPTS = 10;

interface Known {
  id: string;
  displayName: string;
  username?: string;
}

/**
 * Every account this tab has shown, by id, with its username once known: what lets the UI put
 * "@username" beside names that two accounts share, and in every name's hover title. Messages
 * carry only the author's id and display name, so usernames come from the user directory.
 */
export const useIdentitiesStore = defineStore('identities', () => {
  const byId = ref<Readonly<Record<string, Known>>>({});
  const colliding = computed(() => collidingKeys(Object.values(byId.value)));
  // Display names already asked about, so each is looked up once per page load.
  const asked = new Set<string>();
  let queue: Promise<void> = Promise.resolve();

  function learn(users: readonly (Pick<UserDto, 'id' | 'displayName'> & { username?: string })[]): void {
    const fresh = users.filter((u) => {
      const held = byId.value[u.id];
      return !held || held.displayName !== u.displayName || (u.username !== undefined && held.username !== u.username);
    });
    if (fresh.length === 0) return;
    const next = { ...byId.value };
    for (const u of fresh) next[u.id] = { id: u.id, displayName: u.displayName, username: u.username ?? next[u.id]?.username };
    byId.value = next;
    for (const u of fresh) if (!byId.value[u.id]!.username) lookUp(u.displayName);
  }

  /**
   * Finds usernames through the directory, by display name, one question at a time. A question
   * that fails (the connection is not up yet, or dropped) is asked again later, less and less often.
   */
  function lookUp(displayName: string, attempt = 0): void {
    if (attempt === 0 && asked.has(displayName)) return;
    asked.add(displayName);
    queue = queue.then(async () => {
      const res = await searchUsers({ query: displayName, limit: LIMITS.userSearchPageMax });
      if (res.ok) learn(res.data.users);
      else if (attempt + 1 < MAX_ATTEMPTS) setTimeout(() => lookUp(displayName, attempt + 1), Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt));
    });
  }

  function usernameOf(id: string): string | undefined {
    return byId.value[id]?.username;
  }

  /** Whether another account this tab has seen shows a name that looks the same. */
  function isAmbiguous(displayName: string): boolean {
    return colliding.value.has(lookalikeKey(displayName));
  }

  return { byId, learn, usernameOf, isAmbiguous };
});
