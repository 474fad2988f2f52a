import { describe, expect, it } from 'vitest';
import { swipeDirection } from './swipe';

describe('a horizontal swipe', () => {
  it('is a long enough move that goes mostly sideways, named by where it goes', () => {
    expect(swipeDirection({ x: 5, y: 400 }, { x: 120, y: 420 })).toBe('right');
    expect(swipeDirection({ x: 300, y: 400 }, { x: 200, y: 380 })).toBe('left');
  });

  it('a short move (a tap, a wobble) or a mostly vertical one (a scroll) is none', () => {
    expect(swipeDirection({ x: 5, y: 400 }, { x: 40, y: 400 })).toBeNull();
    expect(swipeDirection({ x: 5, y: 400 }, { x: 100, y: 200 })).toBeNull();
  });
});
