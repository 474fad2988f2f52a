import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { RegisterSWOptions } from 'vite-plugin-pwa/types';
import { useAppUpdateStore } from '../stores/appUpdate';
import { useConnectionStore } from '../stores/connection';
import { registerServiceWorker } from './registerServiceWorker';

const registered = vi.hoisted(() => ({ options: null as RegisterSWOptions | null, activate: vi.fn(async () => undefined) }));
vi.mock('virtual:pwa-register', () => ({
  registerSW(options: RegisterSWOptions) {
    registered.options = options;
    return registered.activate;
  },
}));

/** What the browser hands to onRegisteredSW, with an update check that counts its calls. */
function fakeRegistration() {
  return { update: vi.fn(async () => undefined) } as unknown as ServiceWorkerRegistration & { update: ReturnType<typeof vi.fn> };
}

describe('registering the service worker', () => {
  let pinia: Pinia;
  beforeEach(() => {
    vi.clearAllMocks();
    pinia = createPinia();
    setActivePinia(pinia);
    registerServiceWorker(pinia);
  });

  it('offers a waiting build, and only Reload lets it take over', async () => {
    const appUpdate = useAppUpdateStore();
    expect(appUpdate.isUpdateReady).toBe(false);
    registered.options!.onNeedRefresh!();
    expect(appUpdate.isUpdateReady).toBe(true);
    expect(registered.activate).not.toHaveBeenCalled();
    await appUpdate.reload();
    expect(registered.activate).toHaveBeenCalledTimes(1);
    expect(appUpdate.isReloading).toBe(true);
  });

  it('asks for a new build each time the connection comes back, as after a deploy restarted the server', async () => {
    const registration = fakeRegistration();
    registered.options!.onRegisteredSW!('/sw.js', registration);
    const connection = useConnectionStore();

    connection.markConnecting();
    await nextTick();
    expect(registration.update).not.toHaveBeenCalled();
    connection.markConnected();
    await nextTick();
    expect(registration.update).toHaveBeenCalledTimes(1);

    connection.scheduleRetry(1000);
    await nextTick();
    connection.markConnecting();
    await nextTick();
    connection.markConnected();
    await nextTick();
    expect(registration.update).toHaveBeenCalledTimes(2);
  });

  it('a failed check (offline, the server restarting) is left for the next one', async () => {
    const registration = fakeRegistration();
    registration.update.mockRejectedValue(new TypeError('Failed to fetch'));
    registered.options!.onRegisteredSW!('/sw.js', registration);
    useConnectionStore().markConnected();
    await nextTick();
    await Promise.resolve();
    expect(registration.update).toHaveBeenCalledTimes(1);
  });
});
