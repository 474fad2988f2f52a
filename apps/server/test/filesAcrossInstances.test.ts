import { randomBytes } from 'node:crypto';
import type { MessageDto } from '@confab/shared';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { eventually, settle, type TestUser } from './support/client.js';
import { dmRequest } from './support/dmClient.js';
import { download, solidImage, uploaded } from './support/files.js';
import { freshTestStores } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, ok, openTab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Two instances in this process share one store (as replicas share one database: files in
// GridFS on MongoDB, here FerretDB; or one local folder) and a redis-server of this file's own.
// A file uploaded and sent through one instance is served by the other, to members only.
const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'files-across-instances-secret-0123456789abcdef' };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: [string, () => Promise<Stores>][] = [
  ['memory and a local folder', async () => createMemoryStores()],
  ['MongoDB and GridFS', () => freshTestStores(import.meta.filename)],
];

describe.each(BACKENDS)('files across instances (%s)', (_kind, openBackend) => {
  async function twoInstances() {
    const stores = await openBackend();
    openStores.push(stores);
    const a = await harness.start({ stores, config, redisUrl: redis.url });
    const b = await harness.start({ stores, config, redisUrl: redis.url });
    const people = new Map<string, TestUser>();
    for (const name of ['alice', 'bob', 'carol']) people.set(name, await a.seedUser(`${name}${randomBytes(3).toString('hex')}`));
    const tab = (server: RunningServer, name: string) => openTab(server.url, people.get(name)!, opened);
    return { a, b, tab, person: (name: string) => people.get(name)! };
  }

  it('Alice uploads and sends through A; Bob, a member, downloads it byte-identical through B; Carol, not a member, gets 404 there', async () => {
    const { a, b, tab, person } = await twoInstances();
    const alice = await tab(a, 'alice');
    const bob = await tab(b, 'bob');
    const room = await createChannel(alice, `files${randomBytes(3).toString('hex')}`, { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: room, userIds: [bob.user.id] }));
    await settle(300);
    const heard: MessageDto[] = [];
    bob.dm.on('dm:message', (message: MessageDto) => message.roomId === room && message.attachments && heard.push(message));

    const photo = await solidImage(1600, 900, 'jpeg');
    const document = randomBytes(300_000);
    const image = await uploaded(a.url, person('alice').cookie, { bytes: photo, name: 'view.jpg' });
    const file = await uploaded(a.url, person('alice').cookie, { bytes: document, name: 'notes.bin' });
    const sent = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { roomId: room, clientId: `files-${randomBytes(4).toString('hex')}`, body: 'two files', attachments: [image.id, file.id] }));
    expect(sent.attachments).toEqual([image, file]);
    await eventually(() => expect(heard.map((message) => message.id)).toEqual([sent.id]));
    expect(heard[0]!.attachments).toEqual([image, file]);

    const gotFile = await download(b.url, person('bob').cookie, file.id);
    expect(gotFile.status).toBe(200);
    expect(gotFile.bytes.equals(document)).toBe(true);
    const gotImage = await download(b.url, person('bob').cookie, image.id);
    expect(gotImage.status).toBe(200);
    expect(gotImage.bytes.length).toBe(image.size);
    expect(gotImage.headers.get('etag')).toBe((await download(a.url, person('alice').cookie, image.id)).headers.get('etag'));
    const thumbnail = await download(b.url, person('bob').cookie, image.id, { thumbnail: true });
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: 'webp', width: 800, height: 450 });
    const part = await download(b.url, person('bob').cookie, file.id, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(document.subarray(1000, 2000))).toBe(true);

    for (const id of [file.id, image.id]) {
      const refused = await download(b.url, person('carol').cookie, id);
      expect(refused.status).toBe(404);
      expect(JSON.parse(refused.bytes.toString()).error.code).toBe('not_found');
    }
  });

  it('a file sent in a DM through B is served through A to the two of them only, and a recall through A removes it for both', async () => {
    const { a, b, tab, person } = await twoInstances();
    const bob = await tab(b, 'bob');
    const bytes = randomBytes(50_000);
    const file = await uploaded(b.url, person('bob').cookie, { bytes, name: 'for-alice.bin' });
    const sent = await ok(dmRequest<MessageDto>(bob.dm, 'dm:send', { to: person('alice').user.id, clientId: `dm-${randomBytes(4).toString('hex')}`, body: '', attachments: [file.id] }));
    for (const who of ['alice', 'bob']) {
      const got = await download(a.url, person(who).cookie, file.id);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
    }
    expect((await download(a.url, person('carol').cookie, file.id)).status).toBe(404);

    const bobOnA = await tab(a, 'bob');
    await ok(dmRequest(bobOnA.dm, 'message:recall', { id: sent.id }));
    for (const server of [a, b]) {
      for (const who of ['alice', 'bob']) expect((await download(server.url, person(who).cookie, file.id)).status).toBe(404);
    }
    await eventually(async () => expect(await a.stores.files.find(file.id)).toBeNull());
  });
});
