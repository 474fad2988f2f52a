import type { Pinia } from 'pinia';
import { watch } from 'vue';
import { registerSW } from 'virtual:pwa-register';
import { useAppUpdateStore } from '../stores/appUpdate';
import { useConnectionStore } from '../stores/connection';

/** How often an app left open asks for a new build, besides after every reconnection. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Registers the service worker (scripts/pwa.ts) and offers each new build it finds through the
 * appUpdate store. Loaded on demand after the first screen: Workbox's window half stays out of
 * the initial JavaScript.
 */
export function registerServiceWorker(pinia: Pinia): void {
  const appUpdate = useAppUpdateStore(pinia);
  const connection = useConnectionStore(pinia);
  const activateUpdate = registerSW({
    onNeedRefresh: () => appUpdate.offer(() => activateUpdate()),
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      // Offline, or the server is restarting: the next check will do.
      const checkForUpdate = () => void registration.update().catch(() => undefined);
      setInterval(checkForUpdate, UPDATE_CHECK_INTERVAL_MS);
      // A deploy restarts the server, so a reconnection is when a new build is most likely there.
      watch(
        () => connection.status,
        (status, previous) => {
          if (status === 'connected' && previous !== 'connected') checkForUpdate();
        },
      );
    },
  });
}
