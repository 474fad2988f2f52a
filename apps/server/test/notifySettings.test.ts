import { LIMITS, MUTED_FOREVER, dmRoomId, type NotifySettingDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/store/memory/index.js';
import type { Stores } from '../src/store/ports.js';
import type { StartServerOptions } from '../src/testing.js';
import { settle } from './support/client.js';
import { dmRequest, dmRoundTrip } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { createChannel, ghostRoomId, heard, ok, openTab, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
const openStores: Stores[] = [];
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function world(names: string[], options: StartServerOptions = {}) {
  const server = await harness.start(options);
  const people = await Promise.all(names.map((name) => server.seedUser(name)));
  const tabs = await Promise.all(people.map((person) => openTab(server.url, person, opened)));
  const anotherTab = (i: number) => openTab(server.url, people[i]!, opened);
  return { server, people, tabs, anotherTab };
}

const list = (tab: Tab) => ok(dmRequest<{ settings: NotifySettingDto[] }>(tab.dm, 'notify:list', {})).then((d) => d.settings);
const set = (tab: Tab, payload: unknown) => dmRequest<NotifySettingDto>(tab.dm, 'notify:set', payload);
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('notify:set', () => {
  it('acks the stored setting, and every socket of the caller hears it, no one else', async () => {
    const { tabs, anotherTab } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const roomId = await createChannel(alice, 'design');
    const phone = await anotherTab(0);
    const [onPhone, onLaptop, onBob] = [heard<NotifySettingDto>(phone.dm, 'notify:update'), heard<NotifySettingDto>(alice.dm, 'notify:update'), heard<NotifySettingDto>(bob.dm, 'notify:update')];

    const until = inAnHour();
    expect(await set(alice, { roomId, level: 'all', mutedUntil: until })).toEqual({ ok: true, data: { roomId, level: 'all', mutedUntil: until } });
    await Promise.all([dmRoundTrip(phone.dm), dmRoundTrip(alice.dm), dmRoundTrip(bob.dm)]);
    await settle(50);
    expect(onPhone).toEqual([{ roomId, level: 'all', mutedUntil: until }]);
    expect(onLaptop).toEqual([{ roomId, level: 'all', mutedUntil: until }]);
    expect(onBob).toEqual([]);
    expect(await list(phone)).toEqual([{ roomId, level: 'all', mutedUntil: until }]);
    expect(await list(bob)).toEqual([]);
  });

  it('changes only the fields named; a mute alone keeps the room\'s default level (mentions for the lobby, all for a DM)', async () => {
    const { tabs, people } = await world(['Alice', 'Bob']);
    const [alice] = tabs as [Tab, Tab];
    const dm = dmRoomId(people[0]!.user.id, people[1]!.user.id);
    expect(await set(alice, { roomId: 'lobby', mutedUntil: MUTED_FOREVER })).toEqual({ ok: true, data: { roomId: 'lobby', level: 'mentions', mutedUntil: MUTED_FOREVER } });
    expect(await set(alice, { roomId: dm, mutedUntil: MUTED_FOREVER })).toEqual({ ok: true, data: { roomId: dm, level: 'all', mutedUntil: MUTED_FOREVER } });
    expect(await set(alice, { roomId: 'lobby', level: 'none' })).toEqual({ ok: true, data: { roomId: 'lobby', level: 'none', mutedUntil: MUTED_FOREVER } });
    expect(await set(alice, { roomId: 'lobby', mutedUntil: null })).toEqual({ ok: true, data: { roomId: 'lobby', level: 'none', mutedUntil: null } });
    expect((await list(alice)).sort((x, y) => x.roomId.localeCompare(y.roomId))).toEqual([
      { roomId: dm, level: 'all', mutedUntil: MUTED_FOREVER },
      { roomId: 'lobby', level: 'none', mutedUntil: null },
    ]);
  });

  it('refuses bad input and rooms the caller is not in, and changes nothing anyone can see', async () => {
    const { tabs, people, anotherTab } = await world(['Alice', 'Bob', 'Carol']);
    const [alice, bob] = tabs as [Tab, Tab, Tab];
    const secret = await createChannel(bob, 'secret', { isPrivate: true });
    const open = await createChannel(bob, 'open');
    await ok(set(alice, { roomId: 'lobby', level: 'all' }));
    const before = await list(alice);
    const phone = await anotherTab(0);
    const updates = heard(phone.dm, 'notify:update');

    const invalid: [unknown, string][] = [
      [{ roomId: 'lobby', level: 'loud' }, 'level'],
      [{ roomId: 'lobby', level: null }, 'level'],
      [{ roomId: 'lobby' }, 'level'],
      [{ roomId: 'lobby', mutedUntil: 'tomorrow' }, 'mutedUntil'],
      [{ roomId: 'lobby', mutedUntil: 1893456000000 }, 'mutedUntil'],
      [{ roomId: 'lobby', mutedUntil: '2030-01-01T00:00:00+02:00' }, 'mutedUntil'],
      [{ roomId: 'lobby', level: 'none', extra: true }, ''],
      [{ roomId: { $gt: '' }, level: 'none' }, 'roomId'],
      [{ roomId: 'c:nope', level: 'none' }, 'roomId'],
    ];
    for (const [payload, field] of invalid) {
      expect(await set(alice, payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field } });
    }
    // A DM with a user who does not exist: its id names the caller, but the room is no more real than a ghost channel.
    const ghostDm = dmRoomId(people[0]!.user.id, 'f'.repeat(24));
    const strangers = [secret, open, ghostRoomId('c'), ghostRoomId('g'), dmRoomId(people[1]!.user.id, people[2]!.user.id), ghostDm];
    for (const roomId of strangers) {
      expect(await set(alice, { roomId, level: 'none' }), roomId).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    await dmRoundTrip(phone.dm);
    await settle(50);
    expect(updates).toEqual([]);
    expect(await list(alice)).toEqual(before);
  });

  it('is rate-limited like other writes, and a limited change stores nothing', async () => {
    const { tabs } = await world(['Alice'], { config: { rateLimits: { settings: { points: 2, durationSeconds: 60 } } } });
    const [alice] = tabs as [Tab];
    await ok(set(alice, { roomId: 'lobby', level: 'all' }));
    await ok(set(alice, { roomId: 'lobby', level: 'mentions' }));
    expect(await set(alice, { roomId: 'lobby', level: 'none' })).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    expect(await list(alice)).toEqual([{ roomId: 'lobby', level: 'mentions', mutedUntil: null }]);
  });
});

describe('settings and membership', () => {
  it('a room left or removed from loses its setting: notify:list drops it, and after a rejoin the room has its default', async () => {
    const { tabs } = await world(['Alice', 'Bob']);
    const [alice, bob] = tabs as [Tab, Tab];
    const open = await createChannel(alice, 'open');
    const ops = await createChannel(alice, 'ops', { isPrivate: true });
    await ok(dmRequest(bob.dm, 'room:join', { roomId: open }));
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: ops, userIds: [bob.user.id] }));
    await ok(set(bob, { roomId: open, level: 'none', mutedUntil: MUTED_FOREVER }));
    await ok(set(bob, { roomId: ops, level: 'all' }));
    await ok(set(bob, { roomId: 'lobby', level: 'none' }));
    await ok(set(alice, { roomId: open, level: 'all' }));

    await ok(dmRequest(bob.dm, 'room:leave', { roomId: open }));
    await ok(dmRequest(alice.dm, 'room:remove', { roomId: ops, userId: bob.user.id }));
    expect(await list(bob)).toEqual([{ roomId: 'lobby', level: 'none', mutedUntil: null }]);
    // Only the one who left loses theirs.
    expect(await list(alice)).toEqual([{ roomId: open, level: 'all', mutedUntil: null }]);

    await ok(dmRequest(bob.dm, 'room:join', { roomId: open }));
    expect(await set(bob, { roomId: open, mutedUntil: null })).toEqual({ ok: true, data: { roomId: open, level: 'mentions', mutedUntil: null } });
  });

  it('a user keeps at most roomsPerUserMax + LIMITS.notifySettingsBeyondRoomsMax settings; past that only new rooms are refused, and leaving one frees a place', async () => {
    const stores = createMemoryStores();
    const { tabs, people } = await world(['Alice', 'Bob'], { stores, config: { roomsPerUserMax: 1 } });
    const [alice, bob] = tabs as [Tab, Tab];
    const me = people[0]!.user.id;
    const channel = await createChannel(alice, 'design');
    const max = 1 + LIMITS.notifySettingsBeyondRoomsMax;
    // Straight in the store: the lobby, the channel, and DMs up to the cap.
    await stores.notifySettings.update(me, 'lobby', { level: 'all' });
    await stores.notifySettings.update(me, channel, { level: 'all' });
    for (let i = 0; (await stores.notifySettings.countForUser(me)) < max; i += 1) {
      await stores.notifySettings.update(me, dmRoomId(me, (i + 1).toString(16).padStart(24, '0')), { level: 'none' });
    }
    const before = await list(alice);
    expect(before).toHaveLength(max);

    const withBob = dmRoomId(me, bob.user.id);
    expect(await set(alice, { roomId: withBob, level: 'none' })).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
    expect(await list(alice)).toEqual(before);
    // A room that has a setting already may change it.
    expect(await set(alice, { roomId: 'lobby', level: 'none' })).toMatchObject({ ok: true, data: { roomId: 'lobby', level: 'none' } });

    await ok(dmRequest(alice.dm, 'room:leave', { roomId: channel }));
    expect(await set(alice, { roomId: withBob, level: 'none' })).toEqual({ ok: true, data: { roomId: withBob, level: 'none', mutedUntil: null } });
    expect(await list(alice)).toHaveLength(max);
  });
});

describe('settings persist', () => {
  it.each(['memory', 'mongodb'])('on %s: a new connection, even to another server on the same database, reads back what was set', async (backend) => {
    const stores = backend === 'memory' ? undefined : await freshTestStores(import.meta.filename);
    if (stores) openStores.push(stores);
    const config = { sessionSecret: 'notify-settings-test-secret-0123456789abcdef' };
    const { server, people, tabs } = await world(['Alice'], stores ? { stores, config } : { config });
    const [alice] = tabs as [Tab];
    const until = inAnHour();
    await ok(set(alice, { roomId: 'lobby', level: 'none', mutedUntil: until }));
    alice.dm.disconnect();
    alice.lobby.disconnect();
    const again = await openTab(server.url, people[0]!, opened);
    expect(await list(again)).toEqual([{ roomId: 'lobby', level: 'none', mutedUntil: until }]);
    if (!stores) return;
    // Another server process on the same database: nothing was kept in the first one's memory.
    const restarted = await harness.start({ stores, config });
    const afterRestart = await openTab(restarted.url, people[0]!, opened);
    expect(await list(afterRestart)).toEqual([{ roomId: 'lobby', level: 'none', mutedUntil: until }]);
  });
});
