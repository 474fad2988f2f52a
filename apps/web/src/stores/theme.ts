import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { localStore } from '../lib/localStore';
import { applyTheme, DARK_SCHEME_QUERY, readThemeChoice, resolveTheme, THEME_STORAGE_KEY, writeThemeChoice, type ThemeChoice } from '../lib/theme';

/**
 * The colour theme: the reader's choice (remembered in this browser) and the theme it gives,
 * applied to the page as it changes, following the system's setting live while on "system".
 * public/theme.js applied the same theme before the first paint; this store takes over from it.
 */
export const useThemeStore = defineStore('theme', () => {
  const storage = localStore();
  const choice = ref<ThemeChoice>(readThemeChoice(storage));
  const media = typeof matchMedia === 'function' ? matchMedia(DARK_SCHEME_QUERY) : null;
  const systemPrefersDark = ref(media?.matches ?? false);
  const theme = computed(() => resolveTheme(choice.value, systemPrefersDark.value));

  media?.addEventListener('change', (event) => {
    systemPrefersDark.value = event.matches;
  });
  // Another tab changed the choice: this one follows, as it would after a reload.
  globalThis.addEventListener?.('storage', (event) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) choice.value = readThemeChoice(storage);
  });
  watch(theme, (next) => applyTheme(document, next), { immediate: true });

  function choose(next: ThemeChoice): void {
    choice.value = next;
    writeThemeChoice(storage, next);
  }

  return { choice, theme, choose };
});
