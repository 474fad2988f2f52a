import { dmRoomId, type MessageDto, type MessagePage, type ReadMarkDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { eventually, settle, type TestUser } from './support/client.js';
import { dmRequest, dmRoundTrip, recordDm } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { useRedisServer } from './support/redisServer.js';
import { createChannel, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';
import { applyEntries } from './support/streamView.js';

// Two instances in this process share one store (as replicas share one database) and a
// redis-server of this file's own. Edits, reactions and recalls made while Bob is offline must
// reach him, in order, when he comes back on either instance, and leave him with exactly what a
// member who stayed online sees.
const openStores: Stores[] = [];
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'rich-messages-across-instances-0123456789abcdef', editWindowMs: null };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: [string, () => Promise<Stores>][] = [
  ['memory', async () => createMemoryStores()],
  ['mongodb', () => freshTestStores(import.meta.filename)],
];

describe.each(BACKENDS)('rich messages across instances (%s store)', (_kind, openBackend) => {
  async function twoInstances(names: string[]) {
    const stores = await openBackend();
    openStores.push(stores);
    const a = await harness.start({ stores, config, redisUrl: redis.url });
    const b = await harness.start({ stores, config, redisUrl: redis.url });
    const people = new Map<string, TestUser>();
    for (const name of names) people.set(name, await a.seedUser(`${name}${Math.random().toString(36).slice(2, 7)}`));
    const tab = (server: RunningServer, name: string) => openTab(server.url, people.get(name)!, opened);
    return { a, b, tab, person: (name: string) => people.get(name)! };
  }

  /** Every entry of `roomId` that reaches `tab` live on /dm (a private channel's traffic). */
  function live(tab: Tab, roomId: string): MessageDto[] {
    const heard: MessageDto[] = [];
    tab.dm.on('dm:message', (m: MessageDto) => m.roomId === roomId && heard.push(m));
    return heard;
  }

  it('an edit, a reaction and a recall made while Bob is offline reach him in order, and his view equals one that stayed online', async () => {
    const { a, b, tab, person } = await twoInstances(['alice', 'bob', 'carol']);
    const alice = await tab(a, 'alice');
    const carol = await tab(b, 'carol');
    let bob = await tab(b, 'bob');
    const room = await createChannel(alice, `team${Date.now()}`, { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: room, userIds: [bob.user.id, carol.user.id] }));
    await settle(300);
    const carolHeard = live(carol, room);
    const question = await say(alice, room, 'ship on Monday?');
    const aside = await say(alice, room, 'an aside I regret');
    // Carol answers, not Bob: writing would mark the room read for Bob, and the mention edited in below must be news to him.
    const answer = await ok(dmRequest<MessageDto>(carol.dm, 'dm:send', { roomId: room, clientId: 'answer', body: 'yes', replyTo: question.id }));
    // Bob holds everything so far, then goes offline.
    const bobHeld = await streamOf(bob, room);
    bob.dm.disconnect();
    bob.lobby.disconnect();

    await ok(dmRequest(alice.dm, 'message:edit', { id: question.id, body: 'ship on Tuesday?' }));
    await ok(dmRequest(carol.dm, 'reaction:add', { id: question.id, emoji: '👍' }));
    await ok(dmRequest(alice.dm, 'message:recall', { id: aside.id }));
    await ok(dmRequest(alice.dm, 'reaction:add', { id: answer.id, emoji: '🎉' }));
    await ok(dmRequest(alice.dm, 'message:edit', { id: question.id, body: `ship on Wednesday, @${person('bob').user.username}?` }));
    await eventually(() => expect(carolHeard.at(-1)?.change?.state.body).toContain('Wednesday'), 5_000);

    // Bob comes back through the other instance.
    bob = await tab(a, 'bob');
    const missed: MessageDto[] = [];
    for (let after = bobHeld.at(-1)!.seq; ; ) {
      const page = await ok(dmRequest<MessagePage>(bob.dm, 'dm:sync', { roomId: room, afterSeq: after }));
      missed.push(...page.messages);
      if (!page.hasMore) break;
      after = page.messages.at(-1)!.seq;
    }
    expect(missed.map((m) => m.seq)).toEqual(missed.map((_, i) => bobHeld.at(-1)!.seq + 1 + i));
    expect(missed.map((m) => m.change?.type ?? (m.recall ? 'recall' : 'message'))).toEqual(['edit', 'reaction', 'recall', 'reaction', 'edit']);
    // Nothing he receives carries a text the room no longer has.
    expect(JSON.stringify(missed)).not.toMatch(/Monday|Tuesday|regret/);

    const carolHeld = applyEntries([...(await streamOf(carol, room)).filter((m) => m.seq <= answer.seq), ...carolHeard.filter((m) => m.seq > answer.seq)]);
    const bobView = applyEntries([...bobHeld, ...missed]);
    expect(bobView).toEqual(carolHeld);
    expect(bobView.find((m) => m.id === question.id)).toMatchObject({ body: expect.stringContaining('Wednesday'), reactions: [{ emoji: '👍' }] });
    expect(bobView.find((m) => m.id === answer.id)).toMatchObject({ replyTo: { excerpt: expect.stringContaining('Wednesday') }, reactions: [{ emoji: '🎉' }] });
    expect(bobView.find((m) => m.id === aside.id)).toMatchObject({ body: '', recalledAt: expect.any(String) });
    // The mention added by the last edit counts for him.
    expect((await roomList(bob)).find((r) => r.room.id === room)).toMatchObject({ mentionCount: 1 });
  });

  it('a DM delivery reported on one instance reaches the sender on the other', async () => {
    const { a, b, tab } = await twoInstances(['alice', 'bob']);
    const alice = await tab(a, 'alice');
    const bob = await tab(b, 'bob');
    const roomId = dmRoomId(alice.user.id, bob.user.id);
    const sent = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { to: bob.user.id, clientId: 'to-bob', body: 'hello' }));
    await dmRoundTrip(alice.dm);
    const aliceHears = recordDm(alice.dm, 'dm:delivered');
    await ok(dmRequest<ReadMarkDto>(bob.dm, 'dm:delivered', { roomId, seq: sent.seq }));
    await eventually(() => expect(aliceHears).toEqual([{ roomId, userId: bob.user.id, seq: sent.seq }]), 5_000);
    const listed = await ok(dmRequest<{ conversations: { roomId: string; peerDeliveredSeq: number }[] }>(alice.dm, 'dm:conversations', {}));
    expect(listed.conversations.find((c) => c.roomId === roomId)).toMatchObject({ peerDeliveredSeq: sent.seq });
  });
});
