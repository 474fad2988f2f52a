import type { z } from 'zod';
import { fail, type AckError } from './errors.js';

/** The outcome of {@link validate}: the parsed value, or an `invalid_payload` error naming the field. */
export type Validated<T> = { ok: true; data: T } | { ok: false; error: AckError };

/**
 * Checks an untrusted value against a schema. Returns the parsed (normalised) value, or an
 * `invalid_payload` error whose `field` is the dotted path of the first issue.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const message = issue?.message ?? 'invalid payload';
  return fail('invalid_payload', field ? `${field}: ${message}` : message, { field });
}
