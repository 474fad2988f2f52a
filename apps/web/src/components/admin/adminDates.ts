import { dateFormat } from '../../lib/format';

/** "3 Mar 2026", "2026年3月3日": a date in a list, in the reader's language. */
export function shortDate(iso: string): string {
  return dateFormat('shortDate', { dateStyle: 'medium' }).format(new Date(iso));
}

/** "3 Mar 2026, 14:05": a moment in a list, in the reader's language. */
export function shortDateTime(iso: string): string {
  return dateFormat('shortDateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * "Mar 3, 2026, 2:05:07 PM GMT+1", "2026年3月3日 GMT+1 14:05:07": when an audited action was
 * done, to the second and with the time zone, in the reader's language. An audit log is evidence:
 * a moment, not "3 weeks ago".
 */
export function auditDateTime(iso: string): string {
  return dateFormat('auditDateTime', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}
