import type { AckError } from '@confab/shared';
import { currentLocale, t, type MessageKey } from '../i18n';
import { errorText } from '../i18n/errors';
import { DEFAULT_LOCALE } from '../i18n/locales';
import type { app } from '../i18n/messages/en/app';

/** A zod issue, as much of it as a form reads (zod's own issue types fit it). */
interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly origin?: string;
  readonly format?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
}

/** The shape of a zod `safeParse` result, without depending on zod here. */
export type ParseResult = { success: true } | { success: false; error: { issues: readonly Issue[] } };

/** The shared schemas say "username must …"; a form shows it as a sentence. */
export function sentence(message: string): string {
  return message.charAt(0).toLocaleUpperCase() + message.slice(1);
}

/** One schema issue on the form's `field` as a sentence in the language on screen: the schema's own words in English, else the catalogue's. */
export function issueText(field: string, issue: Issue): string {
  return sentence(currentLocale() === DEFAULT_LOCALE ? issue.message : (translatedIssue(field, issue) ?? issue.message));
}

/** The first message per top-level field of a failed parse, in the language on screen. */
export function fieldErrors(result: ParseResult): Record<string, string> {
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issueText(field, issue);
  }
  return errors;
}

/**
 * Splits a server error into a field error (when it names one of the form's fields) or a form-level
 * one. In English, the server's message (without its "field: " prefix); in another language, the
 * error code's text (see `errorText`), which needs no field's name when it sits under the field.
 */
export function placeServerError(error: Omit<AckError, 'code'> & { code: string }, fields: readonly string[]): { field: string | null; message: string } {
  const field = error.field && fields.includes(error.field) ? error.field : null;
  if (currentLocale() !== DEFAULT_LOCALE) return { field, message: sentence(errorText(field && error.code === 'invalid_payload' ? { ...error, field: undefined } : error)) };
  const message = field && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return { field, message: sentence(message) };
}

type Field = keyof typeof app.fields;
const FIELDS: readonly string[] = ['username', 'password', 'displayName', 'currentPassword', 'newPassword', 'confirmPassword', 'name', 'topic', 'body'] satisfies Field[];
const isField = (name: string): name is Field => FIELDS.includes(name);

/**
 * The shared schemas' refine() rules carry no parameters, only an English message: the phrase after
 * the field's name tells them apart, and what follows it holds the rule's value. A rule missing here
 * keeps the schema's English message.
 */
const CUSTOM_RULES: readonly { phrase: string; key: MessageKey; values?: (rest: string) => Record<string, string | number> }[] = [
  { phrase: ' must be at most ', key: 'app.validation.tooLong', values: (rest) => ({ max: Number.parseInt(rest, 10) }) },
  { phrase: ' contains a control character', key: 'app.validation.controlCharacter' },
  { phrase: ' contains an invalid character', key: 'app.validation.invalidCharacter' },
  { phrase: ' must contain a visible character', key: 'app.validation.visibleCharacter' },
  { phrase: ' must not contain invisible or text-direction characters (found ', key: 'app.validation.hiddenCharacter', values: (rest) => ({ character: rest.replace(')', '') }) },
  { phrase: ' must not contain text-direction characters', key: 'app.validation.directionCharacter' },
  { phrase: ' must hold a letter or a digit', key: 'app.validation.letterOrDigit' },
  { phrase: ' is reserved', key: 'app.validation.reserved' },
];

/** The catalogue's message for a schema issue on a form's field, or null when it has none. */
function translatedIssue(fieldName: string, issue: Issue): string | null {
  if (!isField(fieldName)) return null;
  const field = t(`app.fields.${fieldName}`);
  const isText = issue.origin === undefined || issue.origin === 'string';
  switch (issue.code) {
    case 'too_small':
      if (!isText || issue.minimum === undefined) return null;
      return Number(issue.minimum) <= 1 ? t('app.validation.required', { field }) : t('app.validation.tooShort', { field, min: Number(issue.minimum) });
    case 'too_big':
      return isText && issue.maximum !== undefined ? t('app.validation.tooLong', { field, max: Number(issue.maximum) }) : null;
    case 'invalid_format':
      if (issue.format !== 'regex') return t('app.validation.invalid', { field });
      if (fieldName === 'username') return t('app.validation.usernameCharacters', { field });
      if (fieldName === 'name') return t('app.validation.channelNameCharacters', { field });
      return t('app.validation.invalid', { field });
    case 'invalid_type':
      return t('app.validation.invalid', { field });
    case 'custom':
      for (const rule of CUSTOM_RULES) {
        const at = issue.message.indexOf(rule.phrase);
        if (at >= 0) return t(rule.key, { field, ...rule.values?.(issue.message.slice(at + rule.phrase.length)) });
      }
      return null;
    default:
      return null;
  }
}
