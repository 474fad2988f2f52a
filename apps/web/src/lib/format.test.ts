import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { dateFormat, formatDateTime, formatTime } from './format';

afterEach(async () => {
  await loadLocale('en');
});

// A burst of entries re-renders the message list with thousands of times to format: a formatter
// made per call (what toLocaleTimeString does) froze the tab for seconds, so they are kept.
describe('date formatting', () => {
  it('keeps one formatter per language and style, and formats with it what toLocaleTimeString would', () => {
    const options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
    expect(dateFormat('time', options)).toBe(dateFormat('time', options));
    const at = '2026-12-01T14:05:00.000Z';
    expect(formatTime(at)).toBe(new Date(at).toLocaleTimeString('en', options));
  });

  it('follows a change of language, with a formatter of the new language', async () => {
    const at = '2026-12-01T14:05:00.000Z';
    const englishFormat = dateFormat('dateTime', { dateStyle: 'full', timeStyle: 'short' });
    const english = formatDateTime(at);
    await loadLocale('zh-CN');
    expect(dateFormat('dateTime', { dateStyle: 'full', timeStyle: 'short' })).not.toBe(englishFormat);
    const chinese = formatDateTime(at);
    expect(chinese).not.toBe(english);
    expect(chinese).toBe(new Date(at).toLocaleString('zh-CN', { dateStyle: 'full', timeStyle: 'short' }));
  });
});
