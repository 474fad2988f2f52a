import { computed, ref, watch, type Ref } from 'vue';
import { errorText, type ShownError } from '../i18n/errors';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';

export type DmOpenState = 'loading' | 'ready' | 'not_found' | 'error';

/**
 * The conversation the DM view shows, found by username: from the list if we know it, else
 * asked of the server (`dm:open`), which also answers for people nobody has written to yet.
 * Asks again once connected when the socket was down.
 */
export function useDmConversation(username: Ref<string>) {
  const conversations = useConversationsStore();
  const dm = useDmStore();
  const state = ref<DmOpenState>('loading');
  const roomId = ref<string | null>(null);
  const error = ref<ShownError | null>(null);
  // Worded when shown, in the language on screen.
  const errorMessage = computed(() => (error.value ? errorText(error.value) : null));
  let request = 0;

  const conversation = computed(() => (roomId.value ? conversations.byRoomId[roomId.value] : undefined));

  async function resolve(): Promise<void> {
    const current = ++request;
    const known = conversations.findByUsername(username.value);
    if (known) {
      roomId.value = known.roomId;
      state.value = 'ready';
      return;
    }
    roomId.value = null;
    state.value = 'loading';
    if (!dm.isConnected) return; // the watcher asks again on connect
    const res = await conversations.open(username.value);
    if (current !== request) return;
    if (res.ok) {
      roomId.value = res.data.roomId;
      state.value = 'ready';
    } else if (res.error.code === 'not_found' || res.error.code === 'invalid_payload') {
      state.value = 'not_found';
    } else if (res.error.code !== 'disconnected') {
      state.value = 'error';
      error.value = res.error;
    }
  }

  watch(
    [username, () => dm.isConnected],
    ([name, isConnected], previous) => {
      const isNewName = !previous || previous[0] !== name;
      // A reconnect only matters while we are still waiting for an answer.
      if (isNewName || (isConnected && state.value !== 'ready' && state.value !== 'not_found')) void resolve();
    },
    { immediate: true },
  );

  return { state, roomId, conversation, errorMessage, retry: resolve };
}
