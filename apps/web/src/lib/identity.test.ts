import { describe, expect, it } from 'vitest';
import { collidingKeys, lookalikeKey } from './identity';

describe('look-alike display names', () => {
  it('read as the same name whatever invisible characters, width or case tell them apart', () => {
    const key = lookalikeKey('Alice Admin');
    for (const name of ['Alice Admin\u200B', 'alice  admin', '\uFF21lice Admin', 'Alice\u202E Admin', 'Alice\u00A0Admin']) expect(lookalikeKey(name)).toBe(key);
    expect(lookalikeKey('Alice Admln')).not.toBe(key);
  });

  it('read as the same name when letters of another alphabet are drawn alike (Greek, Cyrillic)', () => {
    const key = lookalikeKey('Bob Boss');
    expect(lookalikeKey('\u0392\u03BFb \u0392\u03BFss')).toBe(key);
    expect(lookalikeKey('\u0412\u043Eb \u0412\u043Ess')).toBe(key);
    expect(lookalikeKey('\u0410lic\u0435 Admin')).toBe(lookalikeKey('Alice Admin'));
    expect(lookalikeKey('Bib Boss')).not.toBe(key);
  });

  it('collide only when two different accounts hold them', () => {
    const colliding = collidingKeys([
      { id: 'a', displayName: 'Alice Admin' },
      { id: 'a', displayName: 'Alice Admin' },
      { id: 'b', displayName: 'Bob' },
      { id: 'm', displayName: 'Alice Admin\u200B' },
    ]);
    expect([...colliding]).toEqual([lookalikeKey('Alice Admin')]);
  });
});
