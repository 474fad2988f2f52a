import { describe, expect, it } from 'vitest';
import { MAX_ORIGIN_LENGTH, isOriginAllowed, trimTrailingSlashes } from '../src/http/origin.js';

const LISTED = ['https://chat.example', 'http://localhost:5173'];

describe('the Origin check', () => {
  it('with an allowlist, compares origins as the URL parser serialises them', () => {
    for (const origin of ['https://chat.example', 'https://chat.example/', 'HTTPS://Chat.Example', 'https://chat.example:443', 'http://localhost:5173']) {
      expect(isOriginAllowed(origin, 'ignored', LISTED), origin).toBe(true);
    }
    for (const origin of ['https://chat.example.evil', 'http://chat.example', 'https://chat.example:8443', 'null', 'http://localhost:5174', '']) {
      expect(isOriginAllowed(origin, 'ignored', LISTED), origin).toBe(false);
    }
  });

  it('without one, allows only the origin whose host is the Host header', () => {
    expect(isOriginAllowed('https://chat.example', 'Chat.Example', [])).toBe(true);
    expect(isOriginAllowed('https://evil.example', 'chat.example', [])).toBe(false);
    expect(isOriginAllowed('https://chat.example', undefined, [])).toBe(false);
    expect(isOriginAllowed(undefined, undefined, LISTED)).toBe(true);
  });

  it(`refuses an Origin or Host longer than ${MAX_ORIGIN_LENGTH} characters unread, even one that would match`, () => {
    const padded = `https://chat.example${'/'.repeat(MAX_ORIGIN_LENGTH)}`;
    expect(isOriginAllowed(padded, 'chat.example', LISTED)).toBe(false);
    expect(isOriginAllowed(padded, 'chat.example', [])).toBe(false);
    const longHost = `${'a'.repeat(MAX_ORIGIN_LENGTH)}.example`;
    expect(isOriginAllowed(`https://${longHost}`, longHost, [])).toBe(false);
    expect(isOriginAllowed('https://chat.example///', 'chat.example', LISTED)).toBe(true);
  });

  it('trims trailing slashes, and only those', () => {
    expect(['https://a.example///', '///', 'a/b', ''].map(trimTrailingSlashes)).toEqual(['https://a.example', '', 'a/b', '']);
  });
});
