import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** What the lobby socket is doing, for the banner and the composer. Written only by the realtime edge. */
export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>('idle');
  /** When the next reconnection attempt starts (epoch ms), while `reconnecting`. */
  const retryAt = ref<number | null>(null);
  const now = ref(Date.now());
  const isBrowserOnline = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** Why the server refused the handshake, while `refused`. */
  // A function, so the reason is worded in the language on screen when it shows (and after a change).
  const refusalText = ref<(() => string) | null>(null);
  const refusal = computed(() => refusalText.value?.() ?? null);
  /** True once a connection has succeeded, so the banner can tell "Connecting…" from a reconnect. */
  const hasConnected = ref(false);

  const isConnected = computed(() => status.value === 'connected');
  const secondsUntilRetry = computed(() =>
    retryAt.value === null ? null : Math.max(0, Math.ceil((retryAt.value - now.value) / 1000)),
  );

  let ticker: ReturnType<typeof setInterval> | null = null;
  function setTicking(isOn: boolean): void {
    if (isOn && !ticker) {
      ticker = setInterval(() => (now.value = Date.now()), 250);
    } else if (!isOn && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  function set(next: ConnectionStatus, nextRetryAt: number | null = null): void {
    status.value = next;
    retryAt.value = nextRetryAt;
    now.value = Date.now();
    setTicking(next === 'reconnecting');
    if (next !== 'refused') refusalText.value = null;
  }

  const markConnecting = () => set('connecting');
  function markConnected(): void {
    hasConnected.value = true;
    set('connected');
  }
  const scheduleRetry = (delayMs: number) => set('reconnecting', Date.now() + delayMs);
  function refuse(message: string | (() => string)): void {
    set('refused');
    refusalText.value = typeof message === 'string' ? () => message : message;
  }
  function stop(): void {
    hasConnected.value = false;
    set('idle');
  }
  function setBrowserOnline(isOnline: boolean): void {
    isBrowserOnline.value = isOnline;
  }

  return {
    status,
    retryAt,
    now,
    isBrowserOnline,
    refusal,
    hasConnected,
    isConnected,
    secondsUntilRetry,
    markConnecting,
    markConnected,
    scheduleRetry,
    refuse,
    stop,
    setBrowserOnline,
  };
});
