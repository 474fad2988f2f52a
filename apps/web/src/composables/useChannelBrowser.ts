import { getCurrentScope, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { ChannelListingDto } from '@confab/shared';
import type { AsyncStatus } from '../lib/roomMessages';
import { stripHash } from '../lib/rooms';
import { browseChannels } from '../services/rooms';

/** Typing pauses this long before a search goes out. */
export const BROWSE_DEBOUNCE_MS = 250;
/** Channels per page of results. */
export const BROWSE_PAGE_SIZE = 20;

/**
 * The public channel directory (`channel:browse`): names starting with what is typed (a leading
 * `#` ignored), debounced, paged with "Load more", deaf to answers for a query since changed.
 */
export function useChannelBrowser() {
  const query = ref('');
  const channels = shallowRef<ChannelListingDto[]>([]);
  const nextCursor = ref<string | undefined>(undefined);
  const status = ref<AsyncStatus>('idle');
  const errorMessage = ref<string | null>(null);
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function fetchPage(isMore: boolean): Promise<void> {
    const current = ++request;
    status.value = 'loading';
    const res = await browseChannels({
      query: stripHash(query.value),
      limit: BROWSE_PAGE_SIZE,
      ...(isMore && nextCursor.value ? { cursor: nextCursor.value } : {}),
    });
    if (current !== request) return;
    if (!res.ok) {
      status.value = 'error';
      errorMessage.value = res.error.message;
      return;
    }
    channels.value = isMore ? [...channels.value, ...res.data.channels] : res.data.channels;
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

  /** Marks a listing joined (after `room:join`), without asking again. */
  function markJoined(roomId: string): void {
    channels.value = channels.value.map((c) => (c.id === roomId ? { ...c, joined: true, memberCount: c.joined ? c.memberCount : c.memberCount + 1 } : c));
  }

  watch(query, () => {
    cancelPending();
    timer = setTimeout(() => void search(), BROWSE_DEBOUNCE_MS);
  });
  if (getCurrentScope()) onScopeDispose(cancelPending);

  return { query, channels, nextCursor, status, errorMessage, search, loadMore, markJoined };
}
