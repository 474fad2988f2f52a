import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  bodyLength,
  displayNameLength,
  isolateText,
  registerSchema,
  sendMessageSchema,
  textLength,
  validate,
} from '../src/index.js';
import { hasVisibleCharacter } from '../src/text.js';

const register = (displayName: string) => validate(registerSchema, { username: 'alice', password: 'longenough', displayName });

describe('the length rule: code points, for bodies and display names alike', () => {
  it('counts an astral emoji as one, like any other character', () => {
    expect(textLength('a👋é')).toBe(3);
    expect(textLength('👩🏽‍💻')).toBe(4); // woman, skin tone, ZWJ, laptop: four code points
  });

  it('counts what will be stored: the body after NFC and trimming, the name after NFKC and whitespace folding', () => {
    expect(bodyLength('  Cafe\u0301\r\n ')).toBe(4);
    expect(displayNameLength(' \uFF21\uFF4C  ice\n ')).toBe(6);
  });

  it('accepts a body of exactly the limit in astral emoji and refuses one more', () => {
    const emoji = '👋'.repeat(LIMITS.bodyMaxLength);
    expect(validate(sendMessageSchema, { clientId: 'a', body: emoji }).ok).toBe(true);
    expect(validate(sendMessageSchema, { clientId: 'a', body: `${emoji}👋` })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', field: 'body', message: `body: body must be at most ${LIMITS.bodyMaxLength} characters` },
    });
  });

  it('accepts a display name of exactly the limit in astral emoji and refuses one more', () => {
    const emoji = '😀'.repeat(LIMITS.displayNameMaxLength);
    expect(register(emoji)).toMatchObject({ ok: true, data: { displayName: emoji } });
    expect(register(`${emoji}😀`)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'displayName' } });
  });

  it('counts the body after normalisation: decomposed accents at the limit still fit', () => {
    const decomposed = 'e\u0301'.repeat(LIMITS.bodyMaxLength);
    expect(validate(sendMessageSchema, { clientId: 'a', body: decomposed }).ok).toBe(true);
  });
});

describe('display names', () => {
  it('are stored in NFKC with whitespace folded: fullwidth letters read as plain ones', () => {
    expect(register('\uFF21\uFF4C\uFF49\uFF43\uFF45\u3000\uFF21dmin')).toMatchObject({ ok: true, data: { displayName: 'Alice Admin' } });
    expect(register('Alice \n\t Admin')).toMatchObject({ ok: true, data: { displayName: 'Alice Admin' } });
  });

  it('refuse direction controls and invisible characters, naming the one the user typed', () => {
    for (const [name, found] of [['Alice\u202E', 'U+202E'], ['\u2067Alice', 'U+2067'], ['Al\u200Fice', 'U+200F'], ['Alice\u3164Admin', 'U+3164']] as const) {
      expect(register(name)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload', field: 'displayName', message: `displayName: display name must not contain invisible or text-direction characters (found ${found})` },
      });
    }
  });

  it('refuse invisible characters that would make look-alike names differ', () => {
    for (const name of ['Alice Admin\u200B', 'Alice\u2060Admin', 'Alice\u200DAdmin', 'Alice\u00ADAdmin', '\u3164', 'Alice\uFE0F', 'Al\u034Fice']) {
      expect(register(name)).toMatchObject({ ok: false, error: { field: 'displayName' } });
    }
  });

  it('keep the joiners and selectors that emoji and joining scripts need', () => {
    for (const name of ['Ada 👩🏽‍💻', '🏳️‍🌈 Pride', '👨‍👩‍👧 family', 'Scot 🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤️', 'می‌خواهم', 'क्‍ष']) {
      expect(register(name)).toMatchObject({ ok: true, data: { displayName: name.normalize('NFKC') } });
    }
  });

  it('are the only field refused for them: a body keeps its direction marks', () => {
    expect(validate(sendMessageSchema, { clientId: 'a', body: 'שלום \u200Fworld\u202E' }).ok).toBe(true);
  });
});

describe('text with nothing visible', () => {
  const send = (body: string) => validate(sendMessageSchema, { clientId: 'a', body });
  const NOTHING_VISIBLE = { ok: false, error: { code: 'invalid_payload', field: 'body', message: 'body: body must contain a visible character' } };
  const invisibleOnly: [string, string][] = [
    ['zero-width spaces', '\u200B\u200B'],
    ['a zero-width non-joiner and joiner', '\u200C\u200D'],
    ['a word joiner', '\u2060'],
    ['a Hangul filler', '\u3164'],
    ['the halfwidth Hangul filler and a choseong filler', '\uFFA0\u115F'],
    ['a braille blank', '\u2800\u2800'],
    ['a byte-order mark inside zero-width spaces', '\u200B\uFEFF\u200B'],
    ['a combining grapheme joiner', '\u034F'],
    ['a variation selector and a tag character', '\uFE0F\u{E0061}'],
    ['invisible characters between spaces and line breaks', ' \u200B\r\n\u200D\t\u3000'],
    ['direction marks only', '\u200F\u202E\u2066'],
  ];

  it.each(invisibleOnly)('refuses a body of %s as having no visible character', (_name, body) => {
    expect(send(body)).toEqual(NOTHING_VISIBLE);
  });

  it('refuses a body of the full length in zero-width spaces for what it lacks, and accepts it with one letter', () => {
    expect(send('\u200B'.repeat(LIMITS.bodyMaxLength))).toEqual(NOTHING_VISIBLE);
    expect(send(`${'\u200B'.repeat(LIMITS.bodyMaxLength - 1)}a`).ok).toBe(true);
  });

  it('keeps emoji, CJK, right-to-left text, joining scripts and visible text around joiners', () => {
    const bodies = ['👩🏽\u200D💻', '❤️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '漢字かな', 'שלום', 'می\u200Cخواهم', 'hi\u200B', '\u200Bhi\u200D', '⠀⠁⠀', '\u0301', '\uE000', '\u0378'];
    for (const body of bodies) expect(send(body), JSON.stringify(body)).toEqual({ ok: true, data: { roomId: 'lobby', clientId: 'a', body: body.normalize('NFC') } });
  });

  it('still calls an empty or whitespace-only body empty, not invisible', () => {
    expect(send(' \n\uFEFF ')).toMatchObject({ ok: false, error: { message: 'body: body must not be empty (unless the message carries attachments)' } });
  });

  it('refuses display names of only invisible characters or blanks, naming the first', () => {
    for (const [name, found] of [['\u200B', 'U+200B'], ['\u2060\u200D', 'U+2060'], ['\u3164\u3164', 'U+3164'], ['\u2800', 'U+2800'], ['Alice\u2800Admin', 'U+2800']] as const) {
      expect(register(name), JSON.stringify(name)).toEqual({
        ok: false,
        error: { code: 'invalid_payload', field: 'displayName', message: `displayName: display name must not contain invisible or text-direction characters (found ${found})` },
      });
    }
  });

  it('reports a visible character in what the schemas check: nothing but blanks and invisibles is none', () => {
    expect(hasVisibleCharacter('\u200B\u2800 \u3164\uFEFF')).toBe(false);
    expect(hasVisibleCharacter('\u200B.')).toBe(true);
    expect(hasVisibleCharacter('\u0301')).toBe(true);
  });
});

describe('isolating a name inside plain text', () => {
  it('wraps it in FSI…PDI after removing its own direction controls', () => {
    expect(isolateText('evil\u202E\u2069')).toBe('\u2068evil\u2069');
  });

  it('wraps right-to-left text, and leaves left-to-right text as it was', () => {
    expect(isolateText('שלום 2')).toBe('\u2068שלום 2\u2069');
    expect(isolateText('Alice Archer')).toBe('Alice Archer');
  });
});
