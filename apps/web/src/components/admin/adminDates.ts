import { currentLocale } from '../../i18n';

/** "3 Mar 2026", "2026年3月3日": a date in a list, in the reader's language. */
export function shortDate(iso: string): string {
  return new Date(iso).toLocaleDateString(currentLocale(), { dateStyle: 'medium' });
}

/** "3 Mar 2026, 14:05": a moment in a list, in the reader's language. */
export function shortDateTime(iso: string): string {
  return new Date(iso).toLocaleString(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}
