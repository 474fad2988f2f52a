import { onBeforeUnmount, readonly, ref, watch, type Ref } from 'vue';
import { serverClock } from '../lib/serverClock';

// setTimeout takes at most a 32-bit signed delay; a later deadline is re-armed when it fires.
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Whether the server's clock is still before `deadline()` (epoch ms on the server's clock; null:
 * never ends; undefined: already over, or never began). Turns false when the deadline passes, by a
 * timer set for that moment rather than a periodic tick, and again when the clock is better known.
 */
export function useDeadline(deadline: () => number | null | undefined): Readonly<Ref<boolean>> {
  const isBefore = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function update(): void {
    clearTimeout(timer);
    timer = undefined;
    const end = deadline();
    if (end === undefined || end === null) {
      isBefore.value = end === null;
      return;
    }
    const left = end - serverClock.now();
    isBefore.value = left > 0;
    if (left > 0) timer = setTimeout(update, Math.min(left, MAX_DELAY_MS));
  }

  watch(deadline, update, { immediate: true });
  const unsubscribe = serverClock.subscribe(update);
  onBeforeUnmount(() => {
    clearTimeout(timer);
    unsubscribe();
  });
  return readonly(isBefore);
}
