import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Within this many pixels of the end, the reader counts as "at the bottom" and follows new messages. */
const BOTTOM_SLACK_PX = 48;
/** Older messages start loading this close to the top, before the reader hits the edge. */
const TOP_SLACK_PX = 160;
/** Rows that may hold the reader's place carry this attribute (ChatMessageList sets it); day separators do not, since Vue moves them between pages. */
const ANCHOR_ATTR = 'data-anchor';

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

interface Anchor {
  el: Element;
  /** The row's bottom edge, relative to the top of the viewport. */
  offset: number;
}

/**
 * Scroll bookkeeping for a chat list: whether the reader follows the newest message, and keeping
 * the row the reader is looking at in place whatever changes above it (an older page, a day
 * separator, a row regrouped, a note, an image that loads late).
 *
 * Chromium's `overflow-anchor` does part of this, but not at scroll offset 0 and not in every
 * browser, so the list also restores the anchor itself: it notes where the anchor row's bottom
 * edge sits before a change and scrolls by however far it moved after. Measured against the
 * viewport, the restore is a no-op when the browser already kept the row in place.
 */
export function useChatScroll(container: Ref<HTMLElement | null>, rows: Ref<HTMLElement | null>) {
  const isAtBottom = ref(true);
  const isNearTop = ref(false);
  let anchor: Anchor | null = null;

  const viewTop = (el: HTMLElement) => el.getBoundingClientRect().top;

  /** The first message row whose bottom edge is below the top of the viewport. */
  function findAnchor(el: HTMLElement, list: HTMLElement): Anchor | null {
    const top = viewTop(el);
    const children = list.children;
    let low = 0;
    let high = children.length - 1;
    let first = children.length;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (children[middle]!.getBoundingClientRect().bottom > top) {
        first = middle;
        high = middle - 1;
      } else low = middle + 1;
    }
    for (let i = first; i < children.length; i += 1) {
      const child = children[i]!;
      if (child.hasAttribute(ANCHOR_ATTR)) return { el: child, offset: child.getBoundingClientRect().bottom - top };
    }
    return null;
  }

  /** Notes which row the reader is looking at, and where. */
  function captureAnchor(): void {
    const el = container.value;
    const list = rows.value;
    anchor = el && list ? findAnchor(el, list) : null;
  }

  function measure(): void {
    const el = container.value;
    if (!el) return;
    isAtBottom.value = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    isNearTop.value = el.scrollTop <= TOP_SLACK_PX;
    captureAnchor();
  }

  function scrollToBottom(behavior: ScrollBehavior = 'auto'): void {
    const el = container.value;
    if (!el) return;
    // An explicit smooth scroll is not covered by the stylesheet's reduced-motion rule.
    el.scrollTo({ top: el.scrollHeight, behavior: prefersReducedMotion() ? 'auto' : behavior });
    isAtBottom.value = true;
    captureAnchor();
  }

  /**
   * After the content changed: a reader at the bottom stays at the bottom; any other reader's
   * anchor row goes back to where it was.
   */
  function keepAnchor(): void {
    const el = container.value;
    if (!el) return;
    if (isAtBottom.value) {
      if (el.scrollHeight - el.scrollTop - el.clientHeight > 0) el.scrollTop = el.scrollHeight;
    } else if (anchor?.el.isConnected) {
      const moved = anchor.el.getBoundingClientRect().bottom - viewTop(el) - anchor.offset;
      if (Math.abs(moved) >= 0.5) el.scrollTop += moved;
    }
    captureAnchor();
  }

  function isFilled(): boolean {
    const el = container.value;
    return !!el && el.scrollHeight > el.clientHeight + TOP_SLACK_PX;
  }

  // Sizes change without Vue knowing too (fonts, images, a wider window rewrapping rows).
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    if (typeof ResizeObserver === 'undefined' || !rows.value) return;
    observer = new ResizeObserver(() => keepAnchor());
    observer.observe(rows.value);
    if (container.value) observer.observe(container.value);
  });
  onBeforeUnmount(() => observer?.disconnect());

  return { isAtBottom, isNearTop, measure, scrollToBottom, isFilled, captureAnchor, keepAnchor };
}
