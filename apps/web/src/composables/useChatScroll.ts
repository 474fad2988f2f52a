import { nextTick, ref, type Ref } from 'vue';

/** Within this many pixels of the end, the reader counts as "at the bottom" and follows new messages. */
const BOTTOM_SLACK_PX = 48;
/** Older messages start loading this close to the top, before the reader hits the edge. */
const TOP_SLACK_PX = 160;

/**
 * Scroll bookkeeping for a chat list: whether the reader follows the newest message, and
 * prepending older messages without moving what the reader is looking at.
 */
export function useChatScroll(container: Ref<HTMLElement | null>) {
  const isAtBottom = ref(true);
  const isNearTop = ref(false);

  function measure(): void {
    const el = container.value;
    if (!el) return;
    isAtBottom.value = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    isNearTop.value = el.scrollTop <= TOP_SLACK_PX;
  }

  function scrollToBottom(behavior: ScrollBehavior = 'auto'): void {
    const el = container.value;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior });
    isAtBottom.value = true;
  }

  function isFilled(): boolean {
    const el = container.value;
    return !!el && el.scrollHeight > el.clientHeight + TOP_SLACK_PX;
  }

  /** Runs `prepend` and then shifts the scroll position by the height it added above the reader. */
  async function keepPosition(prepend: () => Promise<void>): Promise<void> {
    const el = container.value;
    if (!el) return prepend();
    const before = el.scrollHeight;
    await prepend();
    await nextTick();
    el.scrollTop += el.scrollHeight - before;
    measure();
  }

  return { isAtBottom, isNearTop, measure, scrollToBottom, isFilled, keepPosition };
}
