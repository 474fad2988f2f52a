import { onBeforeUnmount, onMounted } from 'vue';
import { swipeDirection, type SwipeDirection, type SwipePoint } from '../lib/swipe';

/**
 * Calls `onSwipe` when one finger swipes sideways anywhere on the page. Touch events rather than
 * pointer events: once the browser takes a move for a scroll it cancels the pointer, but it keeps
 * reporting the touch, and a swipe over the message list always starts out as a possible scroll.
 */
export function useSwipe(onSwipe: (direction: SwipeDirection, start: SwipePoint) => void): void {
  let start: SwipePoint | null = null;
  let last: SwipePoint | null = null;

  const onStart = (event: TouchEvent) => {
    const touch = event.touches.length === 1 ? event.touches[0] : undefined;
    start = touch ? { x: touch.clientX, y: touch.clientY } : null;
    last = start;
  };
  const onMove = (event: TouchEvent) => {
    const touch = event.touches[0];
    if (start && touch && event.touches.length === 1) last = { x: touch.clientX, y: touch.clientY };
    else start = null;
  };
  const onEnd = () => {
    const direction = start && last ? swipeDirection(start, last) : null;
    if (direction && start) onSwipe(direction, start);
    start = null;
  };
  const onCancel = () => (start = null);

  onMounted(() => {
    document.addEventListener('touchstart', onStart, { passive: true });
    document.addEventListener('touchmove', onMove, { passive: true });
    document.addEventListener('touchend', onEnd, { passive: true });
    document.addEventListener('touchcancel', onCancel, { passive: true });
  });
  onBeforeUnmount(() => {
    document.removeEventListener('touchstart', onStart);
    document.removeEventListener('touchmove', onMove);
    document.removeEventListener('touchend', onEnd);
    document.removeEventListener('touchcancel', onCancel);
  });
}
