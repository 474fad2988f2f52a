import { readJson, writeJson } from './localStore';

/** What the reader picked in the user menu; "system" follows the device's light or dark setting. */
export type ThemeChoice = 'system' | 'light' | 'dark';
/** The theme on screen. */
export type Theme = 'light' | 'dark';

/** In menu order. */
export const THEME_CHOICES: readonly ThemeChoice[] = ['light', 'dark', 'system'];

/** public/theme.js reads the same key, before the app loads: change both together. */
export const THEME_STORAGE_KEY = 'confab:theme';
export const DARK_SCHEME_QUERY = '(prefers-color-scheme: dark)';

function isThemeChoice(value: unknown): value is ThemeChoice {
  return THEME_CHOICES.includes(value as ThemeChoice);
}

/** The stored choice; "system" when there is none or it is unreadable. */
export function readThemeChoice(storage: Storage | null): ThemeChoice {
  const stored = storage ? readJson(storage, THEME_STORAGE_KEY) : null;
  return isThemeChoice(stored) ? stored : 'system';
}

/** Remembers the choice; false when the browser refused it (it then lasts until the tab closes). */
export function writeThemeChoice(storage: Storage | null, choice: ThemeChoice): boolean {
  return storage ? writeJson(storage, THEME_STORAGE_KEY, choice) : false;
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/**
 * Puts `theme` on the page: main.css keys the dark tokens on `data-theme`, and the color-scheme
 * meta tag keeps the browser's own surfaces (the canvas before styles load) in step.
 */
export function applyTheme(doc: Document, theme: Theme): void {
  doc.documentElement.setAttribute('data-theme', theme);
  doc.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme);
}
