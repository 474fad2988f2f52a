import { ref, watch, type Ref } from 'vue';
import { loadDraft, saveDraft } from '../lib/draftStorage';
import { useSessionStore } from '../stores/session';

/**
 * The composer's text for one room, kept per user in this browser as it is typed, so that it
 * survives switching rooms and reloading. Emptying it (a send) deletes the kept copy.
 */
export function useRoomDraft(roomId: () => string | null): Ref<string> {
  const session = useSessionStore();
  // The user and room it was loaded for: a late keystroke is never saved under another's key.
  const keyOf = () => {
    const userId = session.user?.id;
    const room = roomId();
    return userId && room ? { userId, room } : null;
  };
  let key = keyOf();
  const draft = ref(key ? loadDraft(key.userId, key.room) : '');

  watch(draft, (text) => {
    if (key) saveDraft(key.userId, key.room, text);
  });
  watch(keyOf, (next) => {
    if (next?.userId === key?.userId && next?.room === key?.room) return;
    key = next;
    draft.value = next ? loadDraft(next.userId, next.room) : '';
  });
  return draft;
}
