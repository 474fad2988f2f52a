import { onBeforeUnmount, ref, type Ref } from 'vue';

/** The current time, refreshed every `intervalMs` while the component lives (day labels roll over at midnight). */
export function useNow(intervalMs = 60_000): Ref<Date> {
  const now = ref(new Date());
  const timer = setInterval(() => (now.value = new Date()), intervalMs);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
