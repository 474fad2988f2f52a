import { currentLocale, t } from '../i18n';

/** `14:05` or `2:05 PM`, as the reader's language writes times. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(currentLocale(), { hour: 'numeric', minute: '2-digit' });
}

/** The full date and time, for tooltips: "Tuesday, 1 December 2026 at 14:05", "2026年12月1日星期二 14:05". */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(currentLocale(), { dateStyle: 'full', timeStyle: 'short' });
}

/** A day as a separator in the message list shows it, without the year when it is this year's. */
export function formatDay(date: Date, now: Date = new Date()): string {
  return date.toLocaleDateString(currentLocale(), {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

const RELATIVE_STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/**
 * How long ago `then` was, in the reader's language: "just now" under a minute, then "5 minutes
 * ago", "yesterday", "3 weeks ago" ("刚刚", "5分钟前", "昨天"), rounded down to the largest unit.
 */
export function formatRelative(then: number, now: number): string {
  const elapsed = Math.max(0, now - then);
  const format = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' });
  for (const [unit, ms] of RELATIVE_STEPS) {
    const n = Math.floor(elapsed / ms);
    if (n >= 1) return format.format(-n, unit);
  }
  return t('common.justNow');
}
