import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { LIMITS, type MemberDto } from '@confab/shared';
import { errorText, type ShownError } from '../i18n/errors';
import type { AsyncStatus } from '../lib/roomMessages';
import { fetchMembers, removeFromRoom } from '../services/rooms';
import type { Result } from '../services/request';
import { usePresenceStore } from '../stores/presence';

/**
 * A room's members (`room:members`), page by page, with their presence asked for. Loads again
 * whenever `version` changes (the room's newest seq: joins, leaves and removals are entries).
 */
export function useRoomMembers(roomId: Ref<string>, version: Ref<number>) {
  const presence = usePresenceStore();
  const members = shallowRef<MemberDto[]>([]);
  const nextCursor = ref<string | undefined>(undefined);
  const status = ref<AsyncStatus>('idle');
  const error = shallowRef<ShownError | null>(null);
  const errorMessage = computed(() => (error.value ? errorText(error.value) : null));
  let request = 0;

  async function fetchPage(isMore: boolean): Promise<void> {
    const current = ++request;
    status.value = 'loading';
    const res = await fetchMembers({ roomId: roomId.value, limit: LIMITS.memberPageMax, ...(isMore && nextCursor.value ? { cursor: nextCursor.value } : {}) });
    if (current !== request) return;
    if (!res.ok) {
      status.value = 'error';
      error.value = res.error;
      return;
    }
    members.value = isMore ? [...members.value, ...res.data.members] : res.data.members;
    nextCursor.value = res.data.nextCursor;
    status.value = 'done';
    void presence.ensure(res.data.members.map((m) => m.user.id));
  }

  const load = () => fetchPage(false);
  const loadMore = () => (nextCursor.value && status.value !== 'loading' ? fetchPage(true) : Promise.resolve());

  /** Takes a member out (the owner only); the list reloads with the room's next seq. */
  async function remove(userId: string): Promise<Result<null>> {
    const res = await removeFromRoom({ roomId: roomId.value, userId });
    if (res.ok) members.value = members.value.filter((m) => m.user.id !== userId);
    return res;
  }

  watch([roomId, version], () => void load(), { immediate: true });

  return { members, nextCursor, status, errorMessage, load, loadMore, remove };
}
