import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import themeScript from '../../public/theme.js?raw';
import { applyTheme, readThemeChoice, resolveTheme, THEME_STORAGE_KEY, writeThemeChoice, type ThemeChoice } from './theme';

/** Stubs `matchMedia` so that the system reports a dark (or light) colour scheme. */
function stubSystemScheme(isDark: boolean): void {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query === '(prefers-color-scheme: dark)' && isDark,
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

function resetPage(): void {
  document.documentElement.removeAttribute('data-theme');
  document.head.innerHTML = '<meta name="color-scheme" content="light dark" />';
}

describe('theme choice', () => {
  beforeEach(() => {
    localStorage.clear();
    resetPage();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('"system" follows the system; "light" and "dark" do not', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('is "system" until one is stored, and is remembered once written', () => {
    expect(readThemeChoice(localStorage)).toBe('system');
    expect(writeThemeChoice(localStorage, 'dark')).toBe(true);
    expect(readThemeChoice(localStorage)).toBe('dark');
  });

  it('an unreadable or unknown stored value, or no storage at all, means "system"', () => {
    localStorage.setItem(THEME_STORAGE_KEY, '{not json');
    expect(readThemeChoice(localStorage)).toBe('system');
    localStorage.setItem(THEME_STORAGE_KEY, JSON.stringify('sepia'));
    expect(readThemeChoice(localStorage)).toBe('system');
    expect(readThemeChoice(null)).toBe('system');
    expect(writeThemeChoice(null, 'dark')).toBe(false);
  });

  it('applying a theme sets the attribute the stylesheet keys on, and the color-scheme meta tag', () => {
    applyTheme(document, 'dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(document.querySelector('meta[name="color-scheme"]')?.getAttribute('content')).toBe('dark');
  });

  // public/theme.js runs before the app, on its own: it must reach the same theme for every
  // stored choice and system setting, or the page would switch theme as the app starts.
  const cases: [ThemeChoice | null, boolean][] = [null, 'system', 'light', 'dark'].flatMap((choice) => [
    [choice as ThemeChoice | null, false],
    [choice as ThemeChoice | null, true],
  ]);
  it.each(cases)('public/theme.js agrees with the app for the stored choice %s on a system that prefers dark: %s', (choice, isDark) => {
    if (choice) writeThemeChoice(localStorage, choice);
    stubSystemScheme(isDark);
    new Function(themeScript)();
    const expected = resolveTheme(readThemeChoice(localStorage), isDark);
    expect(document.documentElement.getAttribute('data-theme')).toBe(expected);
    expect(document.querySelector('meta[name="color-scheme"]')?.getAttribute('content')).toBe(expected);
  });
});
