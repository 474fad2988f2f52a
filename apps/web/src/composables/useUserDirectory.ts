import { searchUsers } from '../services/dm';
import { usePagedSearch } from './usePagedSearch';

/** Typing pauses this long before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;
/** People per page of results. */
export const DIRECTORY_PAGE_SIZE = 20;

/**
 * The user directory's search (`user:search`) on the trimmed query: debounced while typing, paged
 * with "Load more", and deaf to answers for a query that has since changed.
 */
export function useUserDirectory() {
  const { query, items: users, nextCursor, status, errorMessage, search, loadMore, reset } = usePagedSearch({
    fetchPage: (query, cursor) => searchUsers({ query: query.trim(), limit: DIRECTORY_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    itemsOf: (page) => page.users,
    debounceMs: SEARCH_DEBOUNCE_MS,
  });
  return { query, users, nextCursor, status, errorMessage, search, loadMore, reset };
}
