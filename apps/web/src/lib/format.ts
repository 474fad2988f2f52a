import { describeBytes, describeDuration } from '@confab/shared';
import { currentLocale, t } from '../i18n';

// `toLocale*String` builds a new Intl formatter on every call, which costs about as much as the
// rest of a message row's render: a burst of entries (a ban's removals, hundreds of messages)
// re-rendered the list with thousands of them and froze the tab for seconds. One formatter per
// language and style, made on first use, formats the same text.
const formatters = new Map<string, Intl.DateTimeFormat>();
/** The reader's language's formatter for `options`, named `style` (one name per set of options). */
export function dateFormat(style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${currentLocale()}|${style}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(currentLocale(), options);
    formatters.set(key, format);
  }
  return format;
}
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** `14:05` or `2:05 PM`, as the reader's language writes times. */
export function formatTime(iso: string): string {
  return dateFormat('time', { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** The full date and time, for tooltips: "Tuesday, 1 December 2026 at 14:05", "2026年12月1日星期二 14:05". */
export function formatDateTime(iso: string): string {
  return dateFormat('dateTime', { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

/** A day as a separator in the message list shows it, without the year when it is this year's. */
export function formatDay(date: Date, now: Date = new Date()): string {
  const isThisYear = date.getFullYear() === now.getFullYear();
  return dateFormat(isThisYear ? 'day' : 'dayWithYear', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(isThisYear ? {} : { year: 'numeric' }),
  }).format(date);
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
  let format = relativeFormats.get(currentLocale());
  if (!format) {
    format = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' });
    relativeFormats.set(currentLocale(), format);
  }
  for (const [unit, ms] of RELATIVE_STEPS) {
    const n = Math.floor(elapsed / ms);
    if (n >= 1) return format.format(-n, unit);
  }
  return t('common.justNow');
}

const DURATION_UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
] as const;
const unitFormats = new Map<string, Intl.NumberFormat>();
function unitFormat(unit: string, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${currentLocale()}|${unit}|${maximumFractionDigits}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(currentLocale(), { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits });
    unitFormats.set(key, format);
  }
  return format;
}

/**
 * A length of time exactly, in the reader's language: "20 seconds", "1.5 seconds",
 * "1 minute, 30 seconds", "7 days" ("20秒钟", "1分钟30秒钟"). Every unit it holds is named,
 * down to the millisecond, so a setting reads as what is stored (never "0 minutes" for 20 s).
 */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  for (const [unit, size] of DURATION_UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(unitFormat(unit, 0).format(n));
  }
  if (rest > 0 || parts.length === 0) parts.push(unitFormat('second', 3).format(rest / 1000));
  return new Intl.ListFormat(currentLocale(), { style: 'long', type: 'unit' }).format(parts);
}

/**
 * A size as Confab says it to people, in the reader's language: the shared rule
 * (`describeBytes`, which the server's refusals use too), so that a limit reads the same
 * wherever it is named: `512 bytes`, `40.9 kB`, `1.46 kB`, `25 MB` (`512字节`). Rounded down, so
 * that a limit named is one a file of that size passes; `rounding: 'up'` for a file refused by a
 * limit, so that it never reads as the limit's size.
 */
export function formatSize(bytes: number, { rounding = 'down', locale = currentLocale() }: { rounding?: 'down' | 'up'; locale?: string } = {}): string {
  return describeBytes(bytes, { locale, rounding });
}

/**
 * A limit's length of time as Confab says it to people, in the reader's language: the shared
 * rule (`describeDuration`, as the server's refusals): `500 milliseconds`, `1.5 seconds`,
 * `1 minute and 30 seconds`, `7 days`. (A form field that must read back exactly uses formatDuration.)
 */
export function formatLimitDuration(ms: number): string {
  return describeDuration(ms, { locale: currentLocale() });
}
