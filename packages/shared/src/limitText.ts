/**
 * Sizes and durations as Confab says them to people ("Files may be at most 40.9 kB"): the
 * server's refusals and `pnpm confab status` in English, the web app in the reader's language,
 * one rule for both so that a limit reads the same wherever it is named, and no limit below one
 * unit reads "0 MB" or "0 minutes". Built on `Intl.NumberFormat` (`style: 'unit'`) and
 * `Intl.ListFormat`, so the words and plurals are the runtime's, in any locale.
 */

/** How to say a size or a duration: in which language (a BCP 47 tag, default `en`), rounded which way. */
export interface LimitTextOptions {
  locale?: string;
  /**
   * `down` (the default): a limit named "at most 40.9 kB" is one a file of that size passes.
   * `up`: for a file refused by a limit, so that it never reads as the limit's own size.
   */
  rounding?: 'down' | 'up';
}

const BYTE_UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;
const TIME_UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
] as const;

const numberFormats = new Map<string, Intl.NumberFormat>();
function unitFormat(locale: string, unit: string, display: 'long' | 'short', fractionDigits: number, rounding: 'down' | 'up'): Intl.NumberFormat {
  const key = `${locale}|${unit}|${display}|${fractionDigits}|${rounding}`;
  let format = numberFormats.get(key);
  if (!format) {
    const roundingMode = rounding === 'down' ? 'floor' : 'ceil';
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: display, maximumFractionDigits: fractionDigits, roundingMode });
    numberFormats.set(key, format);
  }
  return format;
}

const listFormats = new Map<string, Intl.ListFormat>();
function listFormat(locale: string): Intl.ListFormat {
  let format = listFormats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
    listFormats.set(locale, format);
  }
  return format;
}

/**
 * A byte count in the largest unit that keeps it at 1 or more: `512 bytes`, `40.9 kB`,
 * `1.46 kB`, `25 MB` (`512字节` in Chinese). Binary multiples (1 kB = 1024 bytes, as
 * `UPLOAD_MAX_MB` counts a MB); three significant digits at most, never fewer than the unit needs.
 */
export function describeBytes(bytes: number, { locale = 'en', rounding = 'down' }: LimitTextOptions = {}): string {
  if (bytes < 1024) return unitFormat(locale, 'byte', 'long', 0, rounding).format(bytes);
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unitFormat(locale, BYTE_UNITS[unit]!, 'short', value < 10 ? 2 : value < 100 ? 1 : 0, rounding).format(value);
}

/**
 * A duration (milliseconds) in words: `500 milliseconds`, `20 seconds`, `1.5 seconds`,
 * `1 minute`, `1 minute and 30 seconds`, `7 days`. From a minute on, the two largest units, each
 * rounded down to whole ones: precise enough for a limit, short enough to read. Always rounded down.
 */
export function describeDuration(ms: number, { locale = 'en' }: Pick<LimitTextOptions, 'locale'> = {}): string {
  if (ms > 0 && ms < 1000) return unitFormat(locale, 'millisecond', 'long', 0, 'down').format(ms);
  if (ms < 60_000) return unitFormat(locale, 'second', 'long', 1, 'down').format(ms / 1000);
  const first = TIME_UNITS.findIndex(([, size]) => ms >= size);
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of TIME_UNITS.slice(first, first + 2)) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(unitFormat(locale, unit, 'long', 0, 'down').format(n));
  }
  return listFormat(locale).format(parts);
}
