import { describe, expect, it } from 'vitest';
import { LIMITS, editSchema, excerpt, mentionCandidates, reactionSchema, sendMessageSchema, validate } from '../src/index.js';

describe('mention candidates', () => {
  it('finds @names with the username alphabet, lower-cased, first appearance first, without repeats', () => {
    expect(mentionCandidates('hi @Alice and @bob_2, also @ALICE')).toEqual(['alice', 'bob_2']);
  });

  it('tries a name with its trailing punctuation first, then without', () => {
    expect(mentionCandidates('thanks @bob. and @carol-, @dan...')).toEqual(['bob.', 'bob', 'carol-', 'carol', 'dan...', 'dan']);
  });

  it('is not fooled by e-mail addresses, @@, names glued to words, or too-short names', () => {
    expect(mentionCandidates('mail bob@example.com or x@@alice or a.@carol or @ab or @')).toEqual([]);
  });

  it('stops at twice the mention limit, however many names a body holds', () => {
    const body = Array.from({ length: 500 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionCandidates(body)).toHaveLength(LIMITS.mentionsPerMessageMax * 2);
  });
});

describe('reply excerpts', () => {
  it('keep short texts whole, with white space folded', () => {
    expect(excerpt('  two\nlines\t\there ', 120)).toBe('two lines here');
  });

  it('cut on grapheme clusters: a family emoji, a flag or an accented letter is never split', () => {
    const family = '👩‍👩‍👧‍👦';
    expect(excerpt(family.repeat(5), 3)).toBe(`${family.repeat(3)}…`);
    expect(excerpt('🇫🇷🇩🇪🇯🇵', 2)).toBe('🇫🇷🇩🇪…');
    expect(excerpt('e\u0301'.repeat(4), 2)).toBe('e\u0301e\u0301…');
  });
});

describe('edit and reaction payloads', () => {
  const id = 'a'.repeat(24);

  it('an edit is an id and a body checked like a send\'s', () => {
    expect(validate(editSchema, { id, body: '  fixed  ' })).toEqual({ ok: true, data: { id, body: 'fixed' } });
    for (const body of ['', '   ', 'x'.repeat(LIMITS.bodyMaxLength + 1), 'a\u0000b']) {
      expect(validate(editSchema, { id, body })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
    }
    expect(validate(editSchema, { id, body: 'x', roomId: 'lobby' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('a reaction is exactly one RGI emoji: modifiers, flags, keycaps and ZWJ sequences included; text and shortcodes refused', () => {
    for (const emoji of ['👍', '👍🏽', '🇫🇷', '1️⃣', '❤️', '👩‍👩‍👧‍👦', '🏳️‍🌈']) {
      expect(validate(reactionSchema, { id, emoji }), emoji).toMatchObject({ ok: true });
    }
    for (const emoji of ['', 'a', ':tada:', '👍👍', '👍 ', '<b>', '\u200d', 'x'.repeat(40)]) {
      expect(validate(reactionSchema, { id, emoji }), emoji).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'emoji' } });
    }
  });

  it('a reply names a message id', () => {
    expect(validate(sendMessageSchema, { clientId: 'c', body: 'yes', replyTo: id })).toMatchObject({ ok: true, data: { replyTo: id } });
    expect(validate(sendMessageSchema, { clientId: 'c', body: 'yes', replyTo: 'lobby' })).toMatchObject({ ok: false, error: { field: 'replyTo' } });
  });
});
