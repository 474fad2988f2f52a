// Sizes and durations as Confab names them to people ("Files may be at most 40.9 kB"), in
// English like every server message: the server's refusals and `pnpm confab status` use these,
// and the web app's formatSize and formatLimitDuration (apps/web/src/lib/format.ts) follow the
// same rule in the reader's language, so that a limit reads the same wherever it is named. One
// place, so that no message rounds a limit below one unit to "0 MB" or "0 minutes".

const BYTE_UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

const formats = new Map<string, Intl.NumberFormat>();
function unitFormat(unit: string, display: 'long' | 'short', fractionDigits: number): Intl.NumberFormat {
  const key = `${unit}|${display}|${fractionDigits}`;
  let format = formats.get(key);
  if (!format) {
    // Rounded down: a limit named "at most 40.9 kB" is one a file of that size passes.
    format = new Intl.NumberFormat('en', { style: 'unit', unit, unitDisplay: display, maximumFractionDigits: fractionDigits, roundingMode: 'floor' });
    formats.set(key, format);
  }
  return format;
}

/**
 * A byte count in the largest unit that keeps it at 1 or more: `512 bytes`, `40.9 kB`, `1.5 MB`,
 * `25 MB`. Binary multiples (1 MB = 1,048,576 bytes), as `UPLOAD_MAX_MB` counts and the web app
 * shows file sizes; three significant digits at most, never fewer than the unit needs.
 */
export function describeBytes(bytes: number): string {
  if (bytes < 1024) return unitFormat('byte', 'long', 0).format(bytes);
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unitFormat(BYTE_UNITS[unit]!, 'short', value < 10 ? 2 : value < 100 ? 1 : 0).format(value);
}

const TIME_UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
] as const;
const twoParts = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/**
 * A duration in words: `500 milliseconds`, `20 seconds`, `1.5 seconds`, `1 minute`,
 * `1 minute and 30 seconds`, `7 days`. From a minute on, the two largest units (rounded down to
 * whole ones): precise enough for a limit, short enough to read.
 */
export function describeDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return unitFormat('millisecond', 'long', 0).format(ms);
  if (ms < 60_000) return unitFormat('second', 'long', 1).format(ms / 1000);
  const first = TIME_UNITS.findIndex(([, size]) => ms >= size);
  const parts: string[] = [];
  let rest = ms;
  // The largest unit that fits and the one after it, each as whole ones.
  for (const [unit, size] of TIME_UNITS.slice(first, first + 2)) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(unitFormat(unit, 'long', 0).format(n));
  }
  return twoParts.format(parts);
}
