import type { UserDto } from '@confab/shared';
import { currentLocale } from '../i18n';
import { fetchMemberPages } from '../services/rooms';
import { searchUsers } from '../services/dm';

/** Most people the mention menu lists at once. */
export const MENTION_MENU_MAX = 8;
/** Member pages a channel or group loads for the menu at most (the rest are found by typing in the lobby's directory). */
const MEMBER_PAGES_MAX = 5;
/** The lobby's directory is asked once typing pauses this long, not once per key. */
export const MENTION_SEARCH_DEBOUNCE_MS = 150;

/**
 * Whom `@` may offer in a room: the lobby's whole directory (`user:search`), a channel's or
 * group's members (`room:members`), or the two people of a DM.
 */
export type MentionScope = { kind: 'lobby' } | { kind: 'room'; roomId: string } | { kind: 'people'; users: UserDto[] };

/**
 * A function that answers "who matches this prefix", or null when the request failed or a later
 * call overtook it (the menu stays closed, or shows the later answer).
 */
export type MentionSource = (query: string) => Promise<UserDto[] | null>;

/** Username or a word of the display name starts with the query, case-insensitively. */
export function matchesMention(user: UserDto, query: string): boolean {
  const q = query.toLowerCase();
  if (user.username.toLowerCase().startsWith(q)) return true;
  return user.displayName.toLowerCase().split(/\s+/u).some((word) => word.startsWith(q));
}

function pick(users: readonly UserDto[], query: string): UserDto[] {
  const collator = new Intl.Collator(currentLocale());
  return users
    .filter((u) => matchesMention(u, query))
    .sort((a, b) => Number(!a.username.toLowerCase().startsWith(query.toLowerCase())) - Number(!b.username.toLowerCase().startsWith(query.toLowerCase())) || collator.compare(a.username, b.username))
    .slice(0, MENTION_MENU_MAX);
}

/** Loads a room's members once (a few pages), then filters them as the reader types. */
function roomSource(roomId: string): MentionSource {
  let loading: Promise<UserDto[] | null> | null = null;
  async function loadAll(): Promise<UserDto[] | null> {
    const res = await fetchMemberPages(roomId, MEMBER_PAGES_MAX);
    return res.ok ? res.data.map((m) => m.user) : null;
  }
  return async (query) => {
    loading ??= loadAll().then((users) => {
      // A failure is asked again on the next `@`.
      if (users === null) loading = null;
      return users;
    });
    const users = await loading;
    return users && pick(users, query);
  };
}

/**
 * The lobby's directory (`user:search`), asked once typing pauses for MENTION_SEARCH_DEBOUNCE_MS;
 * a call overtaken by a later one is never sent, or its answer is dropped (null).
 */
function directorySource(delayMs = MENTION_SEARCH_DEBOUNCE_MS): MentionSource {
  let latest = 0;
  return async (query) => {
    const call = ++latest;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (call !== latest) return null;
    const res = await searchUsers({ query, limit: MENTION_MENU_MAX });
    return call === latest && res.ok ? res.data.users : null;
  };
}

/** The source for one room's composer. */
export function createMentionSource(scope: MentionScope): MentionSource {
  switch (scope.kind) {
    case 'people':
      return async (query) => pick(scope.users, query);
    case 'room':
      return roomSource(scope.roomId);
    case 'lobby':
      return directorySource();
  }
}
