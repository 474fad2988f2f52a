import { currentLocale, hasMessage, tDynamic, t } from './index';
import { DEFAULT_LOCALE } from './locales';

/** Codes the client makes itself (services/request.ts), with a message already in the reader's language. */
const CLIENT_CODES = new Set(['disconnected', 'timeout']);

/** An error as acks, HTTP answers and the client's own failures carry it. */
export interface ShownError {
  readonly code: string;
  readonly message?: string;
  readonly field?: string;
  readonly retryAfterMs?: number;
}

/**
 * What to tell the user about `error`. In English, the server's own message (it names the limit
 * or the field at fault); in another language, the catalogue's text for the error code
 * (`errors.<code>`), since the server speaks only English. An unknown code falls back to the
 * server's message, then to a generic line. The client's own codes (`disconnected`, `timeout`)
 * carry a message made with the catalogue already.
 */
export function errorText(error: ShownError): string {
  if (error.message && (currentLocale() === DEFAULT_LOCALE || CLIENT_CODES.has(error.code))) return error.message;
  if (error.code === 'rate_limited' && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
    return t('errors.rate_limited_after', { seconds: Math.ceil(error.retryAfterMs / 1000) });
  }
  if (error.code === 'invalid_payload' && error.field) return t('errors.invalid_payload_field', { field: error.field });
  const key = `errors.${error.code}`;
  if (hasMessage(key)) return tDynamic(key);
  return error.message || t('errors.unknown');
}
