import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PermissionState } from '../lib/notifications';

function readPermission(): PermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Whether someone is looking at this tab, what the tab is called, and whether it may raise
 * system notifications. Visibility and focus are written by the notifier edge.
 */
export const useAttentionStore = defineStore('attention', () => {
  const isVisible = ref(typeof document === 'undefined' ? true : document.visibilityState === 'visible');
  const hasFocus = ref(typeof document === 'undefined' ? true : document.hasFocus());
  // A function is read again when what it reads changes (a title from the catalogue follows the language).
  const pageTitleSource = shallowRef<string | (() => string) | null>(null);
  /** Shown in the tab before "· Confab": the route's title, or the person a DM is with. */
  const pageTitle = computed(() => (typeof pageTitleSource.value === 'function' ? pageTitleSource.value() : pageTitleSource.value));
  const notificationPermission = ref<PermissionState>(readPermission());

  const isAttentive = computed(() => isVisible.value && hasFocus.value);

  function setVisible(value: boolean): void {
    isVisible.value = value;
    // Permission may have changed in the browser's site settings while the tab was away.
    notificationPermission.value = readPermission();
  }

  function setFocus(value: boolean): void {
    hasFocus.value = value;
  }

  /** A fixed title, or one worded when shown (`() => t('app.titles.account')`). */
  function setPageTitle(title: string | (() => string) | null): void {
    pageTitleSource.value = title;
  }

  /** Asks the browser for permission; only ever from a click, which browsers require. */
  async function enableNotifications(): Promise<PermissionState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    try {
      notificationPermission.value = await Notification.requestPermission();
    } catch {
      notificationPermission.value = readPermission();
    }
    return notificationPermission.value;
  }

  return { isVisible, hasFocus, pageTitle, notificationPermission, isAttentive, setVisible, setFocus, setPageTitle, enableNotifications };
});
