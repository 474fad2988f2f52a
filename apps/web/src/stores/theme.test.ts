import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { THEME_STORAGE_KEY } from '../lib/theme';
import { useThemeStore } from './theme';

/** A system colour scheme the test can switch, firing `change` as a browser does. */
function stubSystemScheme(isDark: boolean) {
  const listeners = new Set<(event: { matches: boolean }) => void>();
  const list = {
    matches: isDark,
    addEventListener: (_: 'change', listener: (event: { matches: boolean }) => void) => listeners.add(listener),
    removeEventListener: () => undefined,
  };
  vi.stubGlobal('matchMedia', () => list);
  return (dark: boolean) => {
    list.matches = dark;
    for (const listener of listeners) listener({ matches: dark });
  };
}

const pageTheme = () => document.documentElement.getAttribute('data-theme');

describe('theme store', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.removeAttribute('data-theme');
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts on "system" and shows what the system prefers, following it when it changes', async () => {
    const setSystemDark = stubSystemScheme(true);
    const store = useThemeStore();
    expect(store.choice).toBe('system');
    expect(pageTheme()).toBe('dark');
    setSystemDark(false);
    await nextTick();
    expect(pageTheme()).toBe('light');
  });

  it('a choice applies at once, is remembered, and stops following the system', async () => {
    const setSystemDark = stubSystemScheme(true);
    const store = useThemeStore();
    store.choose('light');
    await nextTick();
    expect(pageTheme()).toBe('light');
    expect(JSON.parse(localStorage.getItem(THEME_STORAGE_KEY)!)).toBe('light');
    setSystemDark(false);
    setSystemDark(true);
    await nextTick();
    expect(pageTheme()).toBe('light');

    // A new page load (a new store) starts from the remembered choice.
    setActivePinia(createPinia());
    expect(useThemeStore().choice).toBe('light');
  });

  it('a choice made in another tab is followed here', async () => {
    stubSystemScheme(false);
    const store = useThemeStore();
    localStorage.setItem(THEME_STORAGE_KEY, JSON.stringify('dark'));
    window.dispatchEvent(new StorageEvent('storage', { key: THEME_STORAGE_KEY }));
    await nextTick();
    expect(store.choice).toBe('dark');
    expect(pageTheme()).toBe('dark');
  });
});
