import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ServerSettings } from '@confab/shared';
import type { AsyncStatus } from '../lib/roomMessages';
import { fetchSettings } from '../services/settings';

/** The server's timings (`GET /api/settings`); null until loaded, and then the recall action stays hidden. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<ServerSettings | null>(null);
  const loadStatus = ref<AsyncStatus>('idle');

  async function load(): Promise<void> {
    if (loadStatus.value === 'loading' || loadStatus.value === 'done') return;
    loadStatus.value = 'loading';
    try {
      settings.value = await fetchSettings();
      loadStatus.value = 'done';
    } catch {
      loadStatus.value = 'error';
    }
  }

  return { settings, loadStatus, load };
});
