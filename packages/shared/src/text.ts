import { z } from 'zod';

// C0 and C1 control characters except tab, line feed and carriage return.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// With the `u` flag a paired surrogate reads as one astral code point, so this matches lone halves only.
const LONE_SURROGATE = /\p{Cs}/u;
/** Explicit direction marks, embeddings, overrides and isolates (LRM, RLM, ALM, LRE…PDF, LRI…PDI). */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/**
 * Characters that draw nothing or only steer other characters: format (Cf), default-ignorable
 * (which holds the Hangul fillers such as U+3164), and U+2800 BRAILLE PATTERN BLANK, a blank
 * that is neither white space nor ignorable.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
/**
 * A character that shows: anything but white space, controls, lone surrogates and
 * {@link INVISIBLE}. Combining marks show (over a dotted circle when alone), and so do unassigned
 * code points, which may be emoji newer than this runtime's Unicode tables.
 */
const VISIBLE = /[^\s\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u2800]/u;
/**
 * The invisible characters a visible sequence needs, removed before the check above: a ZWJ or
 * ZWNJ between two letters or marks of a joining script (Arabic, Indic…, not Latin, Greek or
 * Cyrillic, where they would only hide), a ZWJ or variation selector inside an emoji sequence,
 * and the tag characters of a flag like 🏴󠁧󠁢󠁳󠁣󠁴󠁿.
 */
const NEEDED_INVISIBLES = [
  /(?<=(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}])[\p{L}\p{M}])[\u200C\u200D](?=[\p{L}\p{M}])/gu,
  /(?<=\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D(?=\p{Extended_Pictographic})/gu,
  /(?<=\p{Emoji})[\uFE0E\uFE0F]/gu,
  /(?<=\u{1F3F4})[\u{E0020}-\u{E007E}]+\u{E007F}/gu,
];

/**
 * How long a text is, as every limit in the protocol counts it: in Unicode code points, so an
 * astral character such as 👋 counts as one, like `é` or `a` (a ZWJ emoji sequence counts each
 * of its code points). Count what will be stored: see {@link bodyLength} and {@link displayNameLength}.
 */
export function textLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** A message body as it is stored: NFC, CRLF and CR folded to LF, trimmed. */
export function normalizeBody(body: string): string {
  return body.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/**
 * A display name as it is stored: NFKC (so fullwidth `Ａｌｉｃｅ` and ligatures read as their
 * plain forms), every run of whitespace (line breaks included) folded to one space, trimmed.
 */
export function normalizeDisplayName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** The length the server checks a draft body against: {@link textLength} of {@link normalizeBody}. */
export function bodyLength(body: string): number {
  return textLength(normalizeBody(body));
}

/** The length the server checks a display name against: {@link textLength} of {@link normalizeDisplayName}. */
export function displayNameLength(name: string): number {
  return textLength(normalizeDisplayName(name));
}

/**
 * The first character that a display name may not hold, as `U+202E`, or null: direction controls
 * (they can flip the text around a name) and invisible characters (they make two names that look
 * alike differ), except those a visible emoji or script sequence needs.
 */
export function forbiddenNameCharacter(name: string): string | null {
  const bare = NEEDED_INVISIBLES.reduce((s, needed) => s.replace(needed, ''), name);
  const found = BIDI_CONTROL.exec(bare) ?? INVISIBLE.exec(bare);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

// Right-to-left scripts' blocks (Hebrew to Arabic Extended, their presentation forms, and the
// astral RTL blocks): only text holding one of these, or a direction control, can reorder its neighbours.
const RIGHT_TO_LEFT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/**
 * A user-provided string made safe to embed in plain text (a window title, a system
 * notification), where no markup can isolate it: its own direction controls removed, and, if it
 * holds right-to-left text or had controls, wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL
 * ISOLATE, so that it cannot reorder the text around it. Left-to-right text comes back as it was.
 */
export function isolateText(text: string): string {
  const bare = text.replace(BIDI_CONTROLS, '');
  return bare === text && !RIGHT_TO_LEFT.test(text) ? text : `\u2068${bare}\u2069`;
}

function checked(what: string) {
  return z
    .string({ error: `${what} must be a string` })
    .refine((s) => !CONTROL_CHARACTERS.test(s), { error: `${what} contains a control character` })
    .refine((s) => !LONE_SURROGATE.test(s), { error: `${what} contains an invalid character` });
}

/**
 * Whether `text` holds at least one character that shows: a text of only white space, zero-width
 * characters (U+200B, U+200C, U+200D, U+2060, U+FEFF…), fillers (U+3164) or blanks (U+2800) reads
 * as nothing. A combining mark alone counts as visible.
 */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

function bounded(maxLength: number, what: string, minLength = 1) {
  return z
    .string()
    .min(minLength, { error: `${what} must not be empty` })
    .refine((s) => s.length === 0 || hasVisibleCharacter(s), { error: `${what} must contain a visible character` })
    .refine((s) => textLength(s) <= maxLength, { error: `${what} must be at most ${maxLength} characters` });
}

/**
 * A user-written text field (a message body): refuses control characters and lone surrogates,
 * stores {@link normalizeBody}, refuses a text with no visible character (see
 * {@link hasVisibleCharacter}), and checks its {@link textLength} against `maxLength`. With
 * `mayBeEmpty`, a text that is empty after trimming is accepted as `''`.
 */
export function userText(maxLength: number, what: string, options: { mayBeEmpty?: boolean } = {}) {
  return checked(what).transform(normalizeBody).pipe(bounded(maxLength, what, options.mayBeEmpty ? 0 : 1));
}

/**
 * A display name: refuses control characters and lone surrogates, stores
 * {@link normalizeDisplayName}, refuses what {@link forbiddenNameCharacter} finds and a name with
 * no visible character, and checks its {@link textLength} against `maxLength`.
 */
export function userName(maxLength: number, what: string) {
  const refuseForbidden = (s: string, ctx: z.RefinementCtx) => {
    const found = forbiddenNameCharacter(s);
    if (found) ctx.addIssue({ code: 'custom', message: `${what} must not contain invisible or text-direction characters (found ${found})` });
  };
  // Checked as typed first, so the error names the character the user wrote (NFKC turns some
  // invisible characters into others, U+3164 into U+1160), and again after normalisation.
  return checked(what)
    .superRefine(refuseForbidden)
    .transform(normalizeDisplayName)
    .pipe(bounded(maxLength, what).superRefine(refuseForbidden));
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The start of `text` with at most `maxGraphemes` grapheme clusters (so an emoji, a flag or an
 * accented letter is never cut in two), line breaks and runs of spaces folded to one space, and
 * `…` appended when anything was cut. Used for reply quotes (`ReplyQuoteDto.excerpt`).
 */
export function excerpt(text: string, maxGraphemes: number): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  let kept = '';
  let count = 0;
  for (const { segment } of graphemeSegmenter.segment(folded)) {
    if (count === maxGraphemes) return `${kept.trimEnd()}…`;
    kept += segment;
    count += 1;
  }
  return kept;
}
