import { getCurrentScope, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { UserDto } from '@confab/shared';
import type { AsyncStatus } from '../lib/roomMessages';
import { searchUsers } from '../services/dm';

/** Typing pauses this long before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;
/** People per page of results. */
export const DIRECTORY_PAGE_SIZE = 20;

/**
 * The user directory's search: debounced while typing, paged with "Load more", and deaf to
 * answers for a query that has since changed (they can arrive out of order).
 */
export function useUserDirectory() {
  const query = ref('');
  const users = shallowRef<UserDto[]>([]);
  const nextCursor = ref<string | undefined>(undefined);
  const status = ref<AsyncStatus>('idle');
  const errorMessage = ref<string | null>(null);
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Set when reset() empties the query: that change is ours, not the reader's, and searches nothing.
  let isQuietChange = false;

  async function fetchPage(isMore: boolean): Promise<void> {
    const current = ++request;
    status.value = 'loading';
    const res = await searchUsers({
      query: query.value.trim(),
      limit: DIRECTORY_PAGE_SIZE,
      ...(isMore && nextCursor.value ? { cursor: nextCursor.value } : {}),
    });
    if (current !== request) return;
    if (!res.ok) {
      status.value = 'error';
      errorMessage.value = res.error.message;
      return;
    }
    users.value = isMore ? [...users.value, ...res.data.users] : res.data.users;
    nextCursor.value = res.data.nextCursor;
    status.value = 'done';
    errorMessage.value = null;
  }

  function cancelPending(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** Searches now (on open, or Enter), skipping the debounce. */
  function search(): Promise<void> {
    cancelPending();
    return fetchPage(false);
  }

  function loadMore(): Promise<void> {
    if (!nextCursor.value || status.value === 'loading') return Promise.resolve();
    return fetchPage(true);
  }

  /** Forgets the results and any answer still on its way. */
  function reset(): void {
    cancelPending();
    request += 1;
    if (query.value !== '') isQuietChange = true;
    query.value = '';
    users.value = [];
    nextCursor.value = undefined;
    status.value = 'idle';
  }

  watch(query, () => {
    cancelPending();
    if (isQuietChange) {
      isQuietChange = false;
      return;
    }
    timer = setTimeout(() => void search(), SEARCH_DEBOUNCE_MS);
  });
  if (getCurrentScope()) onScopeDispose(cancelPending);

  return { query, users, nextCursor, status, errorMessage, search, loadMore, reset };
}
