import { beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/ports.js';

/**
 * The behaviour every NotifySettingStore must have. Run once per implementation:
 * `describeNotifySettingStoreContract('memory', () => createMemoryStores())`.
 */
export function describeNotifySettingStoreContract(name: string, makeStores: () => Promise<Stores> | Stores) {
  describe(`${name} notification setting store contract`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await makeStores();
      return () => stores.close();
    });

    const [alice, bob] = ['a1'.padStart(24, '0'), 'b2'.padStart(24, '0')];
    const channel = `c:${'1'.repeat(24)}`;
    const group = `g:${'2'.repeat(24)}`;
    const until = new Date('2026-03-01T13:00:00.000Z');

    it('has nothing for a user who never chose', async () => {
      expect(await stores.notifySettings.find(alice, channel)).toBeNull();
      expect(await stores.notifySettings.listForUser(alice)).toEqual([]);
    });

    it('creates a setting with the fields given, and changes only the fields named after that', async () => {
      expect(await stores.notifySettings.update(alice, channel, { level: 'none' })).toEqual({ userId: alice, roomId: channel, level: 'none', mutedUntil: null });
      expect(await stores.notifySettings.update(alice, channel, { mutedUntil: until })).toEqual({ userId: alice, roomId: channel, level: 'none', mutedUntil: until });
      expect(await stores.notifySettings.update(alice, channel, { level: 'all' })).toEqual({ userId: alice, roomId: channel, level: 'all', mutedUntil: until });
      expect(await stores.notifySettings.update(alice, channel, { mutedUntil: null })).toEqual({ userId: alice, roomId: channel, level: 'all', mutedUntil: null });
      expect(await stores.notifySettings.find(alice, channel)).toEqual({ userId: alice, roomId: channel, level: 'all', mutedUntil: null });
    });

    it('a mute alone leaves the level unset (the room keeps its default)', async () => {
      const stored = await stores.notifySettings.update(bob, group, { mutedUntil: until });
      expect(stored).toEqual({ userId: bob, roomId: group, mutedUntil: until });
      expect(await stores.notifySettings.find(bob, group)).toEqual(stored);
    });

    it('keeps each user\'s settings apart, one per room', async () => {
      await stores.notifySettings.update(alice, channel, { level: 'none' });
      await stores.notifySettings.update(alice, group, { level: 'mentions' });
      await stores.notifySettings.update(bob, channel, { level: 'all' });
      await stores.notifySettings.update(alice, channel, { level: 'mentions' });
      const byRoom = (list: { roomId: string }[]) => [...list].sort((x, y) => x.roomId.localeCompare(y.roomId));
      expect(byRoom(await stores.notifySettings.listForUser(alice))).toEqual([
        { userId: alice, roomId: channel, level: 'mentions', mutedUntil: null },
        { userId: alice, roomId: group, level: 'mentions', mutedUntil: null },
      ]);
      expect(await stores.notifySettings.listForUser(bob)).toEqual([{ userId: bob, roomId: channel, level: 'all', mutedUntil: null }]);
    });

    it('two racing changes of different fields both take effect', async () => {
      await Promise.all([stores.notifySettings.update(alice, channel, { level: 'none' }), stores.notifySettings.update(alice, channel, { mutedUntil: until })]);
      expect(await stores.notifySettings.find(alice, channel)).toEqual({ userId: alice, roomId: channel, level: 'none', mutedUntil: until });
    });
  });
}
