import { computed, nextTick, onBeforeUnmount, ref, type Ref } from 'vue';
import { t } from '../i18n';
import type { RoomMessages } from '../lib/roomMessages';

/** How long a message jumped to stays highlighted; the CSS animation fades it over this time. */
export const HIGHLIGHT_MS = 2_400;
/** How long "not found" stays up. */
const NOTE_MS = 4_000;

/**
 * Jumping from a reply's quote to the message it quotes: loads older pages until that message's
 * seq is held (bounded), scrolls it into the middle of the list, moves the focus to it (the quote
 * clicked is scrolled away: keyboard and screen reader users carry on from the original) and
 * highlights it for a moment, or says it is not there any more.
 */
export function useMessageJump(room: () => RoomMessages, rows: Ref<HTMLElement | null>, afterScroll: () => void) {
  const highlightedId = ref<string | null>(null);
  /** The quoted message could not be found; the note saying so shows while this is set. */
  const isMissing = ref(false);
  const note = computed(() => (isMissing.value ? t('chat.list.quoteNotFound') : null));
  let isJumping = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onBeforeUnmount(() => timers.forEach(clearTimeout));

  function later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  function rowOf(messageId: string): HTMLElement | null {
    return rows.value?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`) ?? null;
  }

  async function jumpTo(messageId: string, seq: number): Promise<void> {
    if (isJumping) return;
    isMissing.value = false;
    isJumping = true;
    try {
      if (!rowOf(messageId)) {
        await room().locate(seq);
        await nextTick();
      }
      const row = rowOf(messageId);
      if (!row) {
        isMissing.value = true;
        later(() => (isMissing.value = false), NOTE_MS);
        return;
      }
      row.scrollIntoView({ block: 'center' });
      afterScroll();
      if (!row.hasAttribute('tabindex')) row.tabIndex = -1;
      row.focus({ preventScroll: true });
      highlightedId.value = messageId;
      later(() => highlightedId.value === messageId && (highlightedId.value = null), HIGHLIGHT_MS);
    } finally {
      isJumping = false;
    }
  }

  return { highlightedId, note, jumpTo };
}
