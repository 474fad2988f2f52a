import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { dateFormat, formatDateTime, formatDuration, formatTime } from './format';

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

describe('durations', () => {
  it('names every unit a length of time holds, so a limit under a minute never reads as 0', () => {
    expect(formatDuration(20_000)).toBe('20 seconds');
    expect(formatDuration(1500)).toBe('1.5 seconds');
    expect(formatDuration(250)).toBe('0.25 seconds');
    expect(formatDuration(0)).toBe('0 seconds');
    expect(formatDuration(60_000)).toBe('1 minute');
    expect(formatDuration(90_500)).toBe('1 minute, 30.5 seconds');
    expect(formatDuration(7 * 86_400_000)).toBe('7 days');
    expect(formatDuration(86_400_000 + 3_600_000)).toBe('1 day, 1 hour');
  });

  it('in the language on screen', async () => {
    await loadLocale('zh-CN');
    expect(formatDuration(90_000)).toBe('1分钟30秒钟');
    expect(formatDuration(20_000)).toBe('20秒钟');
  });
});
