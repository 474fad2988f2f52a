import { describe, expect, it } from 'vitest';
import { currentLocale, loadLocale } from './index';

// A file of its own: the Chinese catalogue must not have been loaded by another test yet.
describe('switching language', () => {
  it('a quick change back wins over a catalogue still loading', async () => {
    const toChinese = loadLocale('zh-CN');
    await loadLocale('en');
    await toChinese;
    expect(currentLocale()).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    await loadLocale('zh-CN');
    expect(currentLocale()).toBe('zh-CN');
  });
});
