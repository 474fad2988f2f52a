import { beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/ports.js';

/** Two stores on one database, as two server processes have them, and how to close both. */
export interface StoresPair {
  a: Stores;
  b: Stores;
  close(): Promise<void>;
}

/**
 * The behaviour every NotifySettingStore must have. Run once per implementation:
 * `describeNotifySettingStoreContract('memory', () => createMemoryStores())`. `makePair`, for a
 * store other processes can share, runs the races between two processes; without it, between two
 * calls of one store.
 */
export function describeNotifySettingStoreContract(name: string, makeStores: () => Promise<Stores> | Stores, makePair?: () => Promise<StoresPair>) {
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

    it('forgets a setting, both fields, so the room has its default again; counts one per room', async () => {
      await stores.notifySettings.update(alice, channel, { level: 'none', mutedUntil: until });
      await stores.notifySettings.update(alice, group, { mutedUntil: until });
      await stores.notifySettings.update(bob, channel, { level: 'all' });
      expect(await stores.notifySettings.countForUser(alice)).toBe(2);
      await stores.notifySettings.remove(alice, channel);
      await stores.notifySettings.remove(alice, 'lobby');
      expect(await stores.notifySettings.find(alice, channel)).toBeNull();
      expect(await stores.notifySettings.countForUser(alice)).toBe(1);
      expect(await stores.notifySettings.listForUser(alice)).toEqual([{ userId: alice, roomId: group, mutedUntil: until }]);
      expect(await stores.notifySettings.find(bob, channel)).toEqual({ userId: bob, roomId: channel, level: 'all', mutedUntil: null });
      // Set again after that: only what is named now.
      expect(await stores.notifySettings.update(alice, channel, { level: 'mentions' })).toEqual({ userId: alice, roomId: channel, level: 'mentions', mutedUntil: null });
    });

    describe(makePair ? 'from two processes on one database' : 'from one process', () => {
      let pair: StoresPair;
      beforeEach(async () => {
        pair = makePair ? await makePair() : { a: stores, b: stores, close: async () => {} };
        return () => pair.close();
      });
      // Many pairs at once, so that on a server that does not isolate updates (FerretDB) some race.
      const rooms = Array.from({ length: 60 }, (_, i) => `c:${(i + 1).toString(16).padStart(24, '0')}`);
      const byRoom = (list: { roomId: string }[]) => [...list].sort((x, y) => x.roomId.localeCompare(y.roomId));

      it('racing changes of different fields both take effect, on new settings and on stored ones', async () => {
        const race = () => Promise.all(rooms.flatMap((roomId) => [pair.a.notifySettings.update(alice, roomId, { level: 'none' }), pair.b.notifySettings.update(alice, roomId, { mutedUntil: until })]));
        await race();
        expect(byRoom(await pair.a.notifySettings.listForUser(alice))).toEqual(rooms.map((roomId) => ({ userId: alice, roomId, level: 'none', mutedUntil: until })));
        await Promise.all(rooms.map((roomId) => pair.a.notifySettings.update(alice, roomId, { level: 'all', mutedUntil: null })));
        await race();
        expect(byRoom(await pair.b.notifySettings.listForUser(alice))).toEqual(rooms.map((roomId) => ({ userId: alice, roomId, level: 'none', mutedUntil: until })));
      });

      it('racing first changes of the same field all succeed, and one of them is stored', async () => {
        const acks = await Promise.all(rooms.flatMap((roomId) => [pair.a.notifySettings.update(alice, roomId, { level: 'none' }), pair.b.notifySettings.update(alice, roomId, { level: 'all' })]));
        expect(acks).toHaveLength(rooms.length * 2);
        const stored = await pair.a.notifySettings.listForUser(alice);
        expect(stored).toHaveLength(rooms.length);
        for (const setting of stored) expect(['none', 'all']).toContain(setting.level);
      });
    });
  });
}
