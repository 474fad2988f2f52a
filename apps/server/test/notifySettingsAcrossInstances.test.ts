import type { NotifySettingDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type Stores } from '../src/testing.js';
import { eventually } from './support/client.js';
import { dmRequest } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, heard, ok, openTab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Two instances in this process share one store (as replicas share one database) and a
// redis-server of this file's own: a setting made through A must reach the user's sockets on B.
const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'notify-across-instances-secret-0123456789abcdef' };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: Record<string, () => Promise<Stores>> = {
  memory: async () => createMemoryStores(),
  mongodb: () => freshTestStores(import.meta.filename),
};

describe.each(Object.keys(BACKENDS))('notification settings across instances (%s)', (backend) => {
  it('a setting made on instance A reaches the user\'s socket on B at once, and B reads it back', async () => {
    const stores = await BACKENDS[backend]!();
    openStores.push(stores);
    const a = await harness.start({ stores, config, redisUrl: redis.url });
    const b = await harness.start({ stores, config, redisUrl: redis.url });
    const alice = await a.seedUser('Alice');
    const bob = await a.seedUser('Bob');
    const [laptop, phone, bobOnB] = await Promise.all([openTab(a.url, alice, opened), openTab(b.url, alice, opened), openTab(b.url, bob, opened)]);
    const roomId = await createChannel(laptop, 'design');
    const onPhone = heard<NotifySettingDto>(phone.dm, 'notify:update');
    const onBob = heard<NotifySettingDto>(bobOnB.dm, 'notify:update');

    const stored = await ok(dmRequest<NotifySettingDto>(laptop.dm, 'notify:set', { roomId, level: 'none' }));
    expect(stored).toEqual({ roomId, level: 'none', mutedUntil: null });
    await eventually(() => expect(onPhone).toEqual([stored]));
    expect(await ok(dmRequest<{ settings: NotifySettingDto[] }>(phone.dm, 'notify:list', {}))).toEqual({ settings: [stored] });
    expect(onBob).toEqual([]);
  });
});
