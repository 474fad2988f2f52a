import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { errorText, type ShownError } from '../i18n/errors';
import type { AsyncStatus } from '../lib/roomMessages';
import type { Result } from '../services/request';

/** How a paged search asks for one page and finds the listed items in it. */
export interface PagedSearchSource<T, Page extends { nextCursor?: string }> {
  /** One page for `query` (as typed), after `cursor` when given. */
  fetchPage(query: string, cursor: string | undefined): Promise<Result<Page>>;
  itemsOf(page: Page): T[];
  /** Typing pauses this long (ms) before a search goes out. */
  debounceMs: number;
}

export interface PagedSearch<T> {
  query: Ref<string>;
  items: ShallowRef<T[]>;
  nextCursor: Ref<string | undefined>;
  status: Ref<AsyncStatus>;
  /** What to tell the reader about the last failure, in their language (see errorText). */
  errorMessage: Readonly<Ref<string | null>>;
  /** Searches now (on open, or Enter), skipping the debounce. */
  search(): Promise<void>;
  loadMore(): Promise<void>;
  /** Empties the query and forgets the results and any answer still on its way, searching nothing. */
  reset(): void;
}

/**
 * A search as the reader types: debounced, paged with "Load more", and deaf to answers for a
 * query that has since changed (they can arrive out of order).
 */
export function usePagedSearch<T, Page extends { nextCursor?: string }>(source: PagedSearchSource<T, Page>): PagedSearch<T> {
  const query = ref('');
  const items = shallowRef<T[]>([]);
  const nextCursor = ref<string | undefined>(undefined);
  const status = ref<AsyncStatus>('idle');
  const error = ref<ShownError | null>(null);
  const errorMessage = computed(() => (error.value ? errorText(error.value) : null));
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Set when reset() empties the query: that change is ours, not the reader's, and searches nothing.
  let isQuietChange = false;

  async function fetchPage(isMore: boolean): Promise<void> {
    const current = ++request;
    status.value = 'loading';
    const res = await source.fetchPage(query.value, isMore ? nextCursor.value : undefined);
    if (current !== request) return;
    if (!res.ok) {
      status.value = 'error';
      error.value = res.error;
      return;
    }
    const page = source.itemsOf(res.data);
    items.value = isMore ? [...items.value, ...page] : page;
    nextCursor.value = res.data.nextCursor;
    status.value = 'done';
    error.value = null;
  }

  function cancelPending(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function search(): Promise<void> {
    cancelPending();
    return fetchPage(false);
  }

  function loadMore(): Promise<void> {
    if (!nextCursor.value || status.value === 'loading') return Promise.resolve();
    return fetchPage(true);
  }

  function reset(): void {
    cancelPending();
    request += 1;
    if (query.value !== '') isQuietChange = true;
    query.value = '';
    items.value = [];
    nextCursor.value = undefined;
    status.value = 'idle';
  }

  watch(query, () => {
    cancelPending();
    if (isQuietChange) {
      isQuietChange = false;
      return;
    }
    timer = setTimeout(() => void search(), source.debounceMs);
  });
  if (getCurrentScope()) onScopeDispose(cancelPending);

  return { query, items, nextCursor, status, errorMessage, search, loadMore, reset };
}
