import { currentLocale, english, hasMessage, t, tDynamic, type MessageKey, type MessageValues } from './index';
import { DEFAULT_LOCALE } from './locales';

/** The client's own wording of an error it made itself: a catalogue key, worded when shown. */
export interface ClientWording {
  readonly key: MessageKey;
  readonly values?: MessageValues;
}

/** An error as acks, HTTP answers and the client's own failures carry it. */
export interface ShownError {
  readonly code: string;
  readonly message?: string;
  readonly field?: string;
  readonly retryAfterMs?: number;
  readonly wording?: ClientWording;
}

/**
 * An error the client makes itself (offline, a timeout, an answer it cannot read), shaped like the
 * server's: `message` in English as the protocol has it (it may be kept, in the outbox), and the
 * catalogue key that {@link errorText} words in the language on screen when it is shown.
 */
export function clientError<C extends string>(code: C, key: MessageKey, values?: MessageValues): { code: C; message: string; wording: ClientWording } {
  return { code, message: english(key, values), wording: values ? { key, values } : { key } };
}

/**
 * What to tell the user about `error`, in the language on screen. The client's own errors: their
 * catalogue key. The server's: in English, its own message (it names the limit or the field at
 * fault); in another language, the catalogue's text for the error code (`errors.<code>`), since the
 * server speaks only English. An unknown code falls back to the server's message, then to a
 * generic line.
 */
export function errorText(error: ShownError): string {
  if (error.wording && hasMessage(error.wording.key)) return t(error.wording.key, error.wording.values);
  if (currentLocale() === DEFAULT_LOCALE && error.message) return error.message;
  if (error.code === 'rate_limited' && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
    return t('errors.rate_limited_after', { seconds: Math.ceil(error.retryAfterMs / 1000) });
  }
  if (error.code === 'invalid_payload' && error.field) return t('errors.invalid_payload_field', { field: fieldName(error.field) });
  // The password change names the field: it is the current password that is wrong, not a username.
  if (error.code === 'invalid_credentials' && error.field === 'currentPassword') return t('errors.wrong_current_password');
  const key = `errors.${error.code}`;
  if (hasMessage(key)) return tDynamic(key);
  return error.message || t('errors.unknown');
}

/** A payload field as a form labels it, when the catalogue has it; else its name as the server gave it. */
function fieldName(field: string): string {
  const key = `app.fields.${field}`;
  return hasMessage(key) ? tDynamic(key) : field;
}
