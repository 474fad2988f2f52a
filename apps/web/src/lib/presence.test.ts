import { afterEach, describe, expect, it } from 'vitest';
import type { PresenceDto } from '@confab/shared';
import { loadLocale } from '../i18n';
import { mergeSnapshot, mergeUpdate, mergeUpdates, type PresenceMap } from './presence';
import { connectedUsers, presenceLabel } from './presenceDisplay';

const SEEN = '2026-03-01T12:00:00.000Z';
const p = (userId: string, state: PresenceDto['state'], lastSeenAt: string | null = SEEN, rev = 1): PresenceDto => ({ userId, state, lastSeenAt, rev });

describe('presence merging', () => {
  it('a snapshot lists who is connected: anyone held with an older revision but missing from it is now offline, offline entries are kept', () => {
    const held = { a: p('a', 'online', SEEN, 3), b: p('b', 'away', SEEN, 4), c: p('c', 'offline', '2026-02-01T00:00:00.000Z', 2) };
    const next = mergeSnapshot(held, [p('b', 'online', SEEN, 6), p('d', 'away', SEEN, 7)], 10);
    expect(next).toEqual({ a: p('a', 'offline', SEEN, 10), b: p('b', 'online', SEEN, 6), c: held.c, d: p('d', 'away', SEEN, 7) });
  });

  it('a snapshot keeps what overtook it: an update with a revision above the snapshot\'s', () => {
    const held = { a: p('a', 'online', SEEN, 12), b: p('b', 'offline', SEEN, 11) };
    expect(mergeSnapshot(held, [p('b', 'online', SEEN, 9)], 10)).toEqual(held);
  });

  it('an update replaces one user, and an unchanged one leaves the map as it was', () => {
    const held = { a: p('a', 'online') };
    expect(mergeUpdate(held, p('a', 'online'), 0)).toBe(held);
    expect(mergeUpdate(held, p('a', 'offline', '2026-03-01T12:05:00.000Z', 2), 0)).toEqual({ a: p('a', 'offline', '2026-03-01T12:05:00.000Z', 2) });
    expect(mergeUpdate(held, p('b', 'away', SEEN, 2), 0)).toEqual({ a: p('a', 'online'), b: p('b', 'away', SEEN, 2) });
  });

  it('updates applied out of order end at the newest: the stale one is ignored', () => {
    // Alice went offline (rev 5) and came back (rev 6); the two arrive the other way round.
    let map: PresenceMap = { a: p('a', 'online', SEEN, 4) };
    map = mergeUpdate(map, p('a', 'online', SEEN, 6), 0);
    map = mergeUpdate(map, p('a', 'offline', SEEN, 5), 0);
    expect(map.a).toEqual(p('a', 'online', SEEN, 6));
    // Older than the last snapshot: stale too, for a user the snapshot did not list.
    expect(mergeUpdate(map, p('z', 'online', SEEN, 9), 10)).toBe(map);
    // The same revision again (a re-announcement) changes nothing; with a different state it is refused.
    expect(mergeUpdate(map, p('a', 'online', SEEN, 6), 0)).toBe(map);
    expect(mergeUpdate(map, p('a', 'away', SEEN, 6), 0)).toBe(map);
  });

  it('a presence:get answer at the snapshot\'s revision refreshes an offline user\'s last-seen time', () => {
    const map = mergeSnapshot({ a: p('a', 'online', SEEN, 3) }, [], 10);
    expect(mergeUpdate(map, p('a', 'offline', '2026-03-01T12:09:00.000Z', 10), 10).a).toEqual(p('a', 'offline', '2026-03-01T12:09:00.000Z', 10));
  });

  it('a batch applies each entry by the same rules: stale ones are dropped, one at the held revision never changes the state', () => {
    const held: PresenceMap = { a: p('a', 'online', SEEN, 12), b: p('b', 'offline', SEEN, 11) };
    const later = '2026-03-01T12:09:00.000Z';
    const next = mergeUpdates(
      held,
      [
        p('a', 'offline', SEEN, 11), // below the held revision
        p('z', 'online', SEEN, 9), // below the snapshot's
        p('a', 'away', SEEN, 12), // the held revision with another state
        p('b', 'offline', later, 11), // the held revision repeated: refreshes the last-seen time
      ],
      10,
    );
    expect(next).toEqual({ a: held.a, b: p('b', 'offline', later, 11) });
    // Nothing new in the batch: the map stays as it was, and the held one is never changed in place.
    expect(mergeUpdates(held, [p('a', 'online', SEEN, 12), p('a', 'offline', SEEN, 4)], 0)).toBe(held);
    expect(held).toEqual({ a: p('a', 'online', SEEN, 12), b: p('b', 'offline', SEEN, 11) });
  });

  it('a batch applies every user it lists, and of two entries for one user the newest revision wins, in either order', () => {
    const held: PresenceMap = { a: p('a', 'online', SEEN, 4) };
    const everyone = mergeUpdates(held, [p('a', 'away', SEEN, 11), p('b', 'online', SEEN, 12), p('c', 'offline', SEEN, 13)], 10);
    expect(everyone).toEqual({ a: p('a', 'away', SEEN, 11), b: p('b', 'online', SEEN, 12), c: p('c', 'offline', SEEN, 13) });
    const offline = p('a', 'offline', SEEN, 5);
    const online = p('a', 'online', SEEN, 6);
    expect(mergeUpdates(held, [online, offline], 0).a).toEqual(online);
    expect(mergeUpdates(held, [offline, online], 0).a).toEqual(online);
    expect(held.a).toEqual(p('a', 'online', SEEN, 4));
  });

  it('the online list puts online before away, by name, and leaves offline people out', () => {
    const map = { a: p('a', 'away'), b: p('b', 'online'), c: p('c', 'offline'), d: p('d', 'online') };
    const list = connectedUsers(map, { a: 'Ann', b: 'Zoe', c: 'Cy', d: 'Bea' });
    expect(list.map((u) => [u.name, u.state])).toEqual([['Bea', 'online'], ['Zoe', 'online'], ['Ann', 'away']]);
    expect(connectedUsers(map, { a: 'Ann', b: 'Zoe', c: 'Cy', d: 'Bea' }, false).map((u) => [u.name, u.state])).toEqual([
      ['Bea', 'unknown'],
      ['Zoe', 'unknown'],
      ['Ann', 'unknown'],
    ]);
  });

  it('the DM header says online, away, or when the peer was last seen', () => {
    const now = new Date('2026-03-01T12:05:30.000Z');
    expect(presenceLabel(p('a', 'online'), now)).toBe('online');
    expect(presenceLabel(p('a', 'away'), now)).toBe('away');
    expect(presenceLabel(p('a', 'offline'), now)).toBe('last seen 5 minutes ago');
    expect(presenceLabel(p('a', 'offline', '2026-03-01T12:05:10.000Z'), now)).toBe('last seen just now');
    expect(presenceLabel(p('a', 'offline', '2026-02-27T12:00:00.000Z'), now)).toBe('last seen 2 days ago');
    expect(presenceLabel(p('a', 'offline', '2026-02-28T12:00:00.000Z'), now)).toBe('last seen yesterday');
    expect(presenceLabel(p('a', 'offline', null), now)).toBe('offline');
    expect(presenceLabel(undefined, now)).toBe('');
    expect(presenceLabel(p('a', 'online'), now, false)).toBe('');
  });

  describe('in Chinese', () => {
    afterEach(() => loadLocale('en'));

    it('the DM header says 在线, 离开, or how long ago the peer was online', async () => {
      await loadLocale('zh-CN');
      const now = new Date('2026-03-01T12:05:30.000Z');
      expect(presenceLabel(p('a', 'online'), now)).toBe('在线');
      expect(presenceLabel(p('a', 'away'), now)).toBe('离开');
      expect(presenceLabel(p('a', 'offline'), now)).toBe('5分钟前在线');
      expect(presenceLabel(p('a', 'offline', '2026-03-01T12:05:10.000Z'), now)).toBe('刚刚在线');
      expect(presenceLabel(p('a', 'offline', '2026-02-27T12:00:00.000Z'), now)).toBe('前天在线');
      expect(presenceLabel(p('a', 'offline', null), now)).toBe('离线');
    });

    it('sorts the online list by name as Chinese orders names (by pinyin), not by code point', async () => {
      await loadLocale('zh-CN');
      const map = { a: p('a', 'online'), b: p('b', 'online'), c: p('c', 'online') };
      // 张 (zhāng) > 李 (lǐ) > 阿 (ā) by pinyin; by code point 张 (U+5F20) comes before 李 (U+674E).
      expect(connectedUsers(map, { a: '张伟', b: '李娜', c: '阿明' }).map((u) => u.name)).toEqual(['阿明', '李娜', '张伟']);
    });
  });
});
