import { beforeEach, describe, expect, it } from 'vitest';
import { loadLastRoom, saveLastRoom } from './lastRoom';

describe('the last room', () => {
  beforeEach(() => localStorage.clear());

  it('is kept per user: another account never gets it', () => {
    saveLastRoom('u1', '/c/design');
    expect(loadLastRoom('u1')).toBe('/c/design');
    expect(loadLastRoom('u2')).toBeNull();
  });

  it('is only ever a room path of this app', () => {
    for (const path of ['//evil.example/c/x', 'https://evil.example', '/account', '/c/a/b', '/c/']) {
      saveLastRoom('u1', path);
      expect(loadLastRoom('u1'), path).toBeNull();
    }
    localStorage.setItem('confab:last-room', '{broken');
    expect(loadLastRoom('u1')).toBeNull();
  });
});
