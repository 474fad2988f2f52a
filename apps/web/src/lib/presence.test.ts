import { describe, expect, it } from 'vitest';
import type { PresenceDto } from '@confab/shared';
import { connectedUsers, mergeSnapshot, mergeUpdate, presenceLabel } from './presence';

const SEEN = '2026-03-01T12:00:00.000Z';
const p = (userId: string, state: PresenceDto['state'], lastSeenAt: string | null = SEEN): PresenceDto => ({ userId, state, lastSeenAt });

describe('presence merging', () => {
  it('a snapshot lists who is connected: anyone held as connected but missing from it is now offline, offline entries are kept', () => {
    const held = { a: p('a', 'online'), b: p('b', 'away'), c: p('c', 'offline', '2026-02-01T00:00:00.000Z') };
    const next = mergeSnapshot(held, [p('b', 'online'), p('d', 'away')]);
    expect(next).toEqual({ a: p('a', 'offline'), b: p('b', 'online'), c: held.c, d: p('d', 'away') });
  });

  it('an update replaces one user, and an unchanged one leaves the map as it was', () => {
    const held = { a: p('a', 'online') };
    expect(mergeUpdate(held, p('a', 'online'))).toBe(held);
    expect(mergeUpdate(held, p('a', 'offline', '2026-03-01T12:05:00.000Z'))).toEqual({ a: p('a', 'offline', '2026-03-01T12:05:00.000Z') });
    expect(mergeUpdate(held, p('b', 'away'))).toEqual({ a: p('a', 'online'), b: p('b', 'away') });
  });

  it('the online list puts online before away, by name, and leaves offline people out', () => {
    const map = { a: p('a', 'away'), b: p('b', 'online'), c: p('c', 'offline'), d: p('d', 'online') };
    const list = connectedUsers(map, { a: 'Ann', b: 'Zoe', c: 'Cy', d: 'Bea' });
    expect(list.map((u) => [u.name, u.state])).toEqual([['Bea', 'online'], ['Zoe', 'online'], ['Ann', 'away']]);
  });

  it('the DM header says online, away, or when the peer was last seen', () => {
    const now = new Date('2026-03-01T12:05:30.000Z');
    expect(presenceLabel(p('a', 'online'), now)).toBe('online');
    expect(presenceLabel(p('a', 'away'), now)).toBe('away');
    expect(presenceLabel(p('a', 'offline'), now)).toBe('last seen 5 minutes ago');
    expect(presenceLabel(p('a', 'offline', '2026-03-01T12:05:10.000Z'), now)).toBe('last seen just now');
    expect(presenceLabel(p('a', 'offline', '2026-02-27T12:00:00.000Z'), now)).toBe('last seen 2 days ago');
    expect(presenceLabel(p('a', 'offline', null), now)).toBe('offline');
    expect(presenceLabel(undefined, now)).toBe('');
  });
});
