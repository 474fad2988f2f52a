import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { dateFormat, formatDateTime, formatDuration, formatLimitDuration, formatSize, formatTime } from './format';

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

// The same rule as the server's messages (apps/server/test/limitText.test.ts asserts the same texts
// from describeBytes and describeDuration), so a limit reads the same in a refusal from either side.
describe('sizes and limits, as the server names them', () => {
  it('names a size in binary units with up to three significant digits, rounded down, so a limit named is one that passes', () => {
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(512)).toBe('512 bytes');
    expect(formatSize(1024)).toBe('1 kB');
    // An admin's 0.04 MB: the server says "Files may be at most 40.9 kB"; 41 kB would not pass.
    expect(formatSize(41_943)).toBe('40.9 kB');
    expect(formatSize(1500)).toBe('1.46 kB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatSize(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatSize(1023 * 1024 * 1024)).toBe('1,023 MB');
    expect(formatSize(10 * 1024 * 1024 * 1024)).toBe('10 GB');
  });

  it('rounds a refused file up, so it never reads as the limit it is over', () => {
    expect(formatSize(41_944, { rounding: 'up' })).toBe('41 kB');
    expect(formatSize(1501, { rounding: 'up' })).toBe('1.47 kB');
    expect(formatSize(2 * 1024 * 1024, { rounding: 'up' })).toBe('2 MB');
  });

  it('names a limit\'s length of time as the server does: milliseconds, seconds with a tenth, then the two largest units rounded down', () => {
    expect(formatLimitDuration(0)).toBe('0 seconds');
    expect(formatLimitDuration(500)).toBe('500 milliseconds');
    expect(formatLimitDuration(1500)).toBe('1.5 seconds');
    expect(formatLimitDuration(20_000)).toBe('20 seconds');
    expect(formatLimitDuration(90_500)).toBe('1 minute and 30 seconds');
    expect(formatLimitDuration(3_600_000 + 59_000)).toBe('1 hour');
    expect(formatLimitDuration(26 * 3_600_000)).toBe('1 day and 2 hours');
    expect(formatLimitDuration(7 * 86_400_000)).toBe('7 days');
  });

  it('in the language on screen', async () => {
    await loadLocale('zh-CN');
    expect(formatSize(512)).toBe('512字节');
    expect(formatSize(41_943)).toBe('40.9 kB');
    expect(formatLimitDuration(20_000)).toBe('20秒钟');
  });
});
