import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it('keeps paths on this site and refuses everything else', () => {
    expect(safeRedirect('/?from=link')).toBe('/?from=link');
    expect(safeRedirect(['/signup', '/x'])).toBe('/signup');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', undefined, 42]) {
      expect(safeRedirect(bad)).toBe('/');
    }
  });
});
