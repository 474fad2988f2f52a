import { z } from 'zod';

// C0 and C1 control characters except tab, line feed and carriage return.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// With the `u` flag a paired surrogate reads as one astral code point, so this matches lone halves only.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A user-written text field: refuses control characters and lone surrogates, then normalises to
 * Unicode NFC, folds CRLF to LF, trims, and checks the length of what will be stored.
 */
export function userText(maxLength: number, what: string) {
  return z
    .string({ error: `${what} must be a string` })
    .refine((s) => !CONTROL_CHARACTERS.test(s), { error: `${what} contains a control character` })
    .refine((s) => !LONE_SURROGATE.test(s), { error: `${what} contains an invalid character` })
    .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, { error: `${what} must not be empty` })
        // zod's max() counts code points; limits are in UTF-16 code units, as clients and MongoDB count them.
        .refine((s) => s.length <= maxLength, { error: `${what} must be at most ${maxLength} characters` }),
    );
}
