import { defineStore } from 'pinia';
import { ref } from 'vue';

/**
 * A new build of the app, installed by the service worker and waiting: the prompt offers it, and
 * it takes over only when the user says so (a reload would lose what they are in the middle of).
 * Written only by src/pwa/registerServiceWorker.ts.
 */
export const useAppUpdateStore = defineStore('appUpdate', () => {
  const isUpdateReady = ref(false);
  const isReloading = ref(false);
  let activate: (() => Promise<void>) | null = null;

  /** A new version is installed; `activateUpdate` lets it take over and reloads the page. */
  function offer(activateUpdate: () => Promise<void>): void {
    activate = activateUpdate;
    isUpdateReady.value = true;
  }

  async function reload(): Promise<void> {
    if (!activate || isReloading.value) return;
    isReloading.value = true;
    try {
      await activate();
    } catch {
      isReloading.value = false;
    }
  }

  /** Not now: the new version takes over by itself once every tab of Confab is closed. */
  function dismiss(): void {
    isUpdateReady.value = false;
  }

  return { isUpdateReady, isReloading, offer, reload, dismiss };
});
