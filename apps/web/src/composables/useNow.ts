import { onBeforeUnmount, ref, type Ref } from 'vue';
import { serverClock, serverNow } from '../lib/serverClock';

/**
 * The server's current time, refreshed every `intervalMs` while the component lives (day labels
 * roll over at midnight) and at once whenever the client learns the server's clock better.
 */
export function useNow(intervalMs = 60_000): Ref<Date> {
  const now = ref(serverNow());
  const tick = () => (now.value = serverNow());
  const timer = setInterval(tick, intervalMs);
  const unsubscribe = serverClock.subscribe(tick);
  onBeforeUnmount(() => {
    clearInterval(timer);
    unsubscribe();
  });
  return now;
}
