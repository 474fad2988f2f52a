import { LOBBY_ROOM_ID, type ConversationDto, type MessageDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { eventually, type TestUser } from './support/client.js';
import { dmRequest } from './support/dmClient.js';
import { adminRequest, connectAdmin, drain, historyOf, lobbySend, promote, removeMessage } from './support/moderationClients.js';
import { freshTestStores } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, heard, ok, openTab, say, streamOf } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Two instances in this process share one store (as replicas share one database) and a
// redis-server of this file's own: a removal made on A must reach members whose sockets B holds.
const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'moderation-across-instances-secret-0123456789' };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: Record<string, () => Promise<Stores>> = {
  memory: async () => createMemoryStores(),
  mongo: () => freshTestStores(import.meta.filename),
};

/** Ada (an admin) is on A; `names` are seeded; `tab` opens a person's tab on either instance. */
async function twoInstances(openBackend: () => Promise<Stores>, names: string[]) {
  const stores = await openBackend();
  openStores.push(stores);
  const a = await harness.start({ stores, config, redisUrl: redis.url });
  const b = await harness.start({ stores, config, redisUrl: redis.url });
  const people = new Map<string, TestUser>();
  for (const name of ['Ada', ...names]) people.set(name, await a.seedUser(name));
  await promote(a, people.get('Ada')!.user);
  const tab = (server: RunningServer, name: string) => openTab(server.url, people.get(name)!, opened);
  return { a, b, tab, person: (name: string) => people.get(name)! };
}

for (const [backend, open] of Object.entries(BACKENDS)) {
  describe(`moderation across instances (${backend} store)`, () => {
    it("a removal on A reaches a member on B at once: lobby, private channel and DM, with the DM's preview", async () => {
      const { a, b, tab } = await twoInstances(open, ['Bob', 'Mallory']);
      const ada = await tab(a, 'Ada');
      const mallory = await tab(a, 'Mallory');
      const bob = await tab(b, 'Bob');
      const backroom = await createChannel(bob, 'backroom', { isPrivate: true });
      await ok(dmRequest(bob.dm, 'room:invite', { roomId: backroom, userIds: [mallory.user.id] }));
      const inLobby = await lobbySend(mallory, 'lobby spam');
      const inChannel = await say(mallory, backroom, 'channel spam');
      const inDm = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: bob.user.id, clientId: 'dm-spam', body: 'dm spam' }));
      await drain(bob);
      const atBobLobby = heard<MessageDto>(bob.lobby, 'message:new');
      const atBobDm = heard<MessageDto>(bob.dm, 'dm:message');
      const conversations = heard<ConversationDto>(bob.dm, 'conversation:update');

      const removed = [await ok(removeMessage(ada, inLobby.id)), await ok(removeMessage(ada, inChannel.id)), await ok(removeMessage(ada, inDm.id))];

      await eventually(() => expect([...atBobLobby, ...atBobDm]).toHaveLength(3));
      expect(atBobLobby).toEqual([removed[0]]);
      expect(atBobDm).toEqual([removed[1], removed[2]]);
      await eventually(() => expect(conversations.at(-1)?.lastMessage).toEqual(removed[2]));
      expect((await historyOf(bob)).find((m) => m.id === inLobby.id)).toMatchObject({ body: '', removedByModerator: true });
      expect((await streamOf(bob, backroom)).find((m) => m.id === inChannel.id)).toMatchObject({ body: '', removedByModerator: true });
    });

    it('a ban on A turns every message of the user into a tombstone live on B', async () => {
      const { a, b, tab, person } = await twoInstances(open, ['Bob', 'Mallory']);
      const mallory = await tab(a, 'Mallory');
      const bob = await tab(b, 'Bob');
      const spam = [await lobbySend(mallory, 'spam 1'), await lobbySend(mallory, 'spam 2')];
      const inDm = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: bob.user.id, clientId: 'dm-spam', body: 'dm spam' }));
      await drain(bob);
      const atBob = [heard<MessageDto>(bob.lobby, 'message:new'), heard<MessageDto>(bob.dm, 'dm:message')];
      const admin = await connectAdmin(a.url, person('Ada'));
      opened.push(admin);

      expect(await adminRequest(admin, 'admin:user:ban', { userId: mallory.user.id })).toMatchObject({ ok: true, data: { removedMessages: 3 } });

      await eventually(() => expect(atBob.flat()).toHaveLength(3));
      expect(atBob.flat().map((e) => e.recall?.messageId).sort()).toEqual([...spam, inDm].map((m) => m.id).sort());
      expect(atBob.flat().every((e) => e.recall?.byModerator === true)).toBe(true);
      expect((await historyOf(bob, LOBBY_ROOM_ID)).filter((m) => m.author.id === mallory.user.id && !m.recall).map((m) => m.body)).toEqual(['', '']);
    });
  });
}
