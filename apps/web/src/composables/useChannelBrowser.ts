import { stripHash } from '../lib/rooms';
import { browseChannels } from '../services/rooms';
import { usePagedSearch } from './usePagedSearch';

/** Typing pauses this long before a search goes out. */
export const BROWSE_DEBOUNCE_MS = 250;
/** Channels per page of results. */
export const BROWSE_PAGE_SIZE = 20;

/**
 * The public channel directory (`channel:browse`): names starting with what is typed (a leading
 * `#` ignored), debounced, paged with "Load more", deaf to answers for a query since changed.
 */
export function useChannelBrowser() {
  const { query, items: channels, nextCursor, status, errorMessage, search, loadMore } = usePagedSearch({
    fetchPage: (text, cursor) => browseChannels({ query: stripHash(text), limit: BROWSE_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    itemsOf: (page) => page.channels,
    debounceMs: BROWSE_DEBOUNCE_MS,
  });

  /** Marks a listing joined (after `room:join`), without asking again. */
  function markJoined(roomId: string): void {
    channels.value = channels.value.map((c) => (c.id === roomId ? { ...c, joined: true, memberCount: c.joined ? c.memberCount : c.memberCount + 1 } : c));
  }

  return { query, channels, nextCursor, status, errorMessage, search, loadMore, markJoined };
}
