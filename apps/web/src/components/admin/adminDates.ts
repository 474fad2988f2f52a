import { dateFormat } from '../../lib/format';

/** "3 Mar 2026", "2026年3月3日": a date in a list, in the reader's language. */
export function shortDate(iso: string): string {
  return dateFormat('shortDate', { dateStyle: 'medium' }).format(new Date(iso));
}

/** "3 Mar 2026, 14:05": a moment in a list, in the reader's language. */
export function shortDateTime(iso: string): string {
  return dateFormat('shortDateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
