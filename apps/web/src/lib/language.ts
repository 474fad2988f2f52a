import { isAppLocale, matchLocale, type AppLocale } from '../i18n/locales';
import { readJson, writeJson } from './localStore';

/** What the reader picked in the user menu; "system" follows the browser's languages. */
export type LanguageChoice = 'system' | AppLocale;

export const LANGUAGE_STORAGE_KEY = 'confab:language';

/** The stored choice; "system" when there is none or it is unreadable. */
export function readLanguageChoice(storage: Storage | null): LanguageChoice {
  const stored = storage ? readJson(storage, LANGUAGE_STORAGE_KEY) : null;
  return stored === 'system' || isAppLocale(stored) ? stored : 'system';
}

/** Remembers the choice; false when the browser refused it (it then lasts until the tab closes). */
export function writeLanguageChoice(storage: Storage | null, choice: LanguageChoice): boolean {
  return storage ? writeJson(storage, LANGUAGE_STORAGE_KEY, choice) : false;
}

/** The language a choice gives, `browserLanguages` being `navigator.languages`. */
export function resolveLanguage(choice: LanguageChoice, browserLanguages: readonly string[]): AppLocale {
  return choice === 'system' ? matchLocale(browserLanguages) : choice;
}
