import { describe, expect, it } from 'vitest';
import { AVATAR_COLORS, avatarColor, initials } from './avatar';

describe('initials and avatar colours', () => {
  it('takes the first letters of two words, or two letters of one', () => {
    expect(initials('Maya Chen')).toBe('MC');
    expect(initials('priya natarajan iyer')).toBe('PN');
    expect(initials('jonas')).toBe('JO');
    expect(initials('jo_berg')).toBe('JB');
    expect(initials('  ')).toBe('?');
    expect(initials('Émile Zola')).toBe('ÉZ');
  });

  it('gives a name the same colour every time, within the palette', () => {
    expect(avatarColor('Maya Chen')).toBe(avatarColor('Maya Chen'));
    const colours = new Set(['Ann', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal', 'Ida', 'Jon'].map(avatarColor));
    expect(colours.size).toBeGreaterThan(3);
    for (const c of colours) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(AVATAR_COLORS);
    }
  });
});
