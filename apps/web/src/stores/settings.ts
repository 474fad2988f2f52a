import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RegistrationMode, ServerSettings } from '@confab/shared';
import { t } from '../i18n';
import type { AsyncStatus } from '../lib/roomMessages';
import { serverClock } from '../lib/serverClock';
import { fetchSettings } from '../services/settings';

/**
 * The server's name, registration mode and timings (`GET /api/settings`); null until loaded, and
 * then the recall action stays hidden. Each load also reads the server's clock into `serverClock`.
 */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<ServerSettings | null>(null);
  const loadStatus = ref<AsyncStatus>('idle');
  let running: Promise<void> | null = null;

  async function fetchOnce(): Promise<void> {
    loadStatus.value = 'loading';
    try {
      const sentAt = Date.now();
      const next = await fetchSettings();
      serverClock.observe(next.serverTime, sentAt, Date.now());
      settings.value = next;
      loadStatus.value = 'done';
    } catch {
      // Settings already held stay in use: a failed refresh only leaves the clock as it was.
      loadStatus.value = 'error';
    }
  }

  // The offset is wrong once the device clock is set: read the server's again (while connected
  // or not; a failed load keeps what is held, and the next connect loads anyway).
  serverClock.onDeviceClockJump(() => void load());

  /** Loads the settings, or loads them again (on every connect, so the clock follows a moved device clock); one request at a time. */
  function load(): Promise<void> {
    running ??= fetchOnce().finally(() => (running = null));
    return running;
  }

  /** The server's name as its admin set it; the app's own name until known. */
  const serverName = computed(() => settings.value?.serverName || t('common.appName'));
  /** Who may register now; null until known. */
  const registration = computed((): RegistrationMode | null => settings.value?.registration ?? null);

  return { settings, loadStatus, serverName, registration, load };
});
