import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { loadLocale } from '../i18n';
import { readLanguageChoice, resolveLanguage, writeLanguageChoice, LANGUAGE_STORAGE_KEY, type LanguageChoice } from '../lib/language';
import { localStore } from '../lib/localStore';

const browserLanguages = (): readonly string[] => (typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]);

/**
 * The interface language: the reader's choice (remembered in this browser) and the language it
 * gives, loaded and applied as it changes; on "system", it follows the browser's languages live.
 * `ready` settles once the first language is on screen (main.ts mounts the app after it, so a
 * Chinese reader never sees English first).
 */
export const useLanguageStore = defineStore('language', () => {
  const storage = localStore();
  const choice = ref<LanguageChoice>(readLanguageChoice(storage));
  const languages = ref(browserLanguages());
  const locale = computed(() => resolveLanguage(choice.value, languages.value));

  globalThis.addEventListener?.('languagechange', () => {
    languages.value = browserLanguages();
  });
  // Another tab changed the choice: this one follows, as it would after a reload.
  globalThis.addEventListener?.('storage', (event) => {
    if (event.key === LANGUAGE_STORAGE_KEY || event.key === null) choice.value = readLanguageChoice(storage);
  });
  // A catalogue that cannot be fetched (offline) leaves the language as it was; the next change tries again.
  let ready: Promise<void> = Promise.resolve();
  watch(locale, (next) => {
    ready = loadLocale(next).catch(() => undefined);
  }, { immediate: true });

  function choose(next: LanguageChoice): void {
    choice.value = next;
    writeLanguageChoice(storage, next);
  }

  return { choice, locale, choose, ready: () => ready };
});
