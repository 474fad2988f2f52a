import { describe, expect, it } from 'vitest';
import { keyboardInset } from './useKeyboardInset';

describe('the on-screen keyboard\'s cover', () => {
  it('is the layout viewport\'s bottom the visual viewport does not reach (iOS: the keyboard over the page, panned or not)', () => {
    expect(keyboardInset(844, { height: 508, offsetTop: 0 })).toBe(336);
    expect(keyboardInset(844, { height: 508, offsetTop: 120 })).toBe(216);
  });

  it('is nothing where the page was resized for the keyboard (Android with resizes-content) or there is none', () => {
    expect(keyboardInset(508, { height: 508, offsetTop: 0 })).toBe(0);
    expect(keyboardInset(844, { height: 844.4, offsetTop: 0 })).toBe(0);
  });
});
