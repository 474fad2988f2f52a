import type { AckError } from '@confab/shared';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The shape of a zod `safeParse` result, without depending on zod here. */
export type ParseResult = { success: true } | { success: false; error: { issues: readonly Issue[] } };

/** The shared schemas say "username must …"; a form shows it as a sentence. */
export function sentence(message: string): string {
  return message.charAt(0).toLocaleUpperCase() + message.slice(1);
}

/** The first message per top-level field of a failed parse. */
export function fieldErrors(result: ParseResult): Record<string, string> {
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= sentence(issue.message);
  }
  return errors;
}

/** Splits a server error into a field error (when it names one of the form's fields) or a form-level one. */
export function placeServerError(error: Omit<AckError, 'code'> & { code: string }, fields: readonly string[]): { field: string | null; message: string } {
  const field = error.field && fields.includes(error.field) ? error.field : null;
  const message = field && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return { field, message: sentence(message) };
}
