import { LIMITS, LOBBY_ROOM_ID, dmRoomId, type ConversationDto, type MessageDto, type MessagePage, type ReadMarkDto, type RoomReadsDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type Stores } from '../src/testing.js';
import { eventually, request, roundTrip, settle } from './support/client.js';
import { dmRequest, dmRoundTrip, recordDm } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { createChannel, ok, openTab, roomList, say, streamOf, type Tab } from './support/roomClients.js';
import { applyEntries } from './support/streamView.js';
import { useServer } from './support/server.js';

// Edits, replies, reactions, mentions, delivery and read receipts over real sockets, on the
// memory store and on MongoDB (FerretDB here).
const openStores: Stores[] = [];
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: [string, () => Promise<Stores>][] = [
  ['memory', async () => createMemoryStores()],
  ['mongodb', () => freshTestStores(import.meta.filename)],
];

type Settings = { editWindowMs?: number | null; reactionsPerMessageMax?: number };

describe.each(BACKENDS)('rich messages (%s store)', (_kind, openBackend) => {
  async function world(settings: Settings = {}, view: (stores: Stores) => Stores = (stores) => stores) {
    const stores = await openBackend();
    openStores.push(stores);
    let now = Date.now();
    const server = await harness.start({ stores: view(stores), now: () => new Date(now), config: { editWindowMs: null, ...settings } });
    const seeded = {
      alice: await server.seedUser(`alice${Math.random().toString(36).slice(2, 8)}`),
      bob: await server.seedUser(`bob${Math.random().toString(36).slice(2, 8)}`),
      carol: await server.seedUser(`carol${Math.random().toString(36).slice(2, 8)}`),
    };
    const tab = (name: keyof typeof seeded) => openTab(server.url, seeded[name], opened);
    return { server, stores, tab, seeded, advance: (ms: number) => (now += ms) };
  }

  /**
   * What each socket of `tab` hears as entries of `roomId` (public rooms on /lobby, private on
   * /dm) from now on: call it once broadcasts of earlier sends have arrived (`quiet`).
   */
  function hears(tab: Tab, roomId: string, onLobby: boolean): MessageDto[] {
    const heard: MessageDto[] = [];
    if (onLobby) tab.lobby.on('message:new', (m: MessageDto) => m.roomId === roomId && heard.push(m));
    else tab.dm.on('dm:message', (m: MessageDto) => m.roomId === roomId && heard.push(m));
    return heard;
  }

  /** Broadcasts made before this have reached the tab (each socket answers in order). */
  const quiet = (tab: Tab) => Promise.all([roundTrip(tab.lobby), dmRoundTrip(tab.dm)]);

  const lobbySend = (tab: Tab, body: string, extra: Record<string, unknown> = {}) =>
    ok(request<MessageDto>(tab.lobby, 'message:send', { clientId: `c${Math.random().toString(36).slice(2)}`, body, ...extra }));

  describe('edits', () => {
    it('the author edits: everyone hears one edit entry, history and sync give the new text, the old text is nowhere', async () => {
      const { stores, tab } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const original = await lobbySend(alice, 'the meeting is at 3pm');
      await quiet(bob);
      const atBob = hears(bob, LOBBY_ROOM_ID, true);

      const entry = await ok(request<MessageDto>(alice.lobby, 'message:edit', { id: original.id, body: 'the meeting is at 4pm' }));

      expect(entry).toMatchObject({
        seq: original.seq + 1,
        body: '',
        author: { id: alice.user.id },
        change: { type: 'edit', messageId: original.id, seq: original.seq, state: { body: 'the meeting is at 4pm', editedAt: expect.any(String) } },
      });
      await eventually(() => expect(atBob).toEqual([entry]));
      const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
      expect(history.messages.find((m) => m.id === original.id)).toMatchObject({ body: 'the meeting is at 4pm', editedAt: entry.change!.state.editedAt });
      const everywhere = JSON.stringify([
        history,
        await ok(request(bob.lobby, 'message:sync', { afterSeq: 0 })),
        await roomList(bob),
        await stores.messages.since(LOBBY_ROOM_ID, { afterSeq: 0, limit: 100 }),
      ]);
      expect(everywhere).not.toContain('3pm');
    });

    it('a second edit: every edit entry served later carries the newest text', async () => {
      const { tab } = await world();
      const alice = await tab('alice');
      const original = await lobbySend(alice, 'draft one');
      await ok(request(alice.lobby, 'message:edit', { id: original.id, body: 'draft two' }));
      await ok(request(alice.lobby, 'message:edit', { id: original.id, body: 'draft three' }));
      const sync = await ok(request<MessagePage>(alice.lobby, 'message:sync', { afterSeq: 0 }));
      expect(sync.messages.map((m) => m.change?.state.body ?? m.body)).toEqual(['draft three', 'draft three', 'draft three']);
      expect(JSON.stringify(sync)).not.toMatch(/draft (one|two)/);
    });

    it('the same text again is acked with null and stores and broadcasts nothing', async () => {
      const { tab } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const original = await lobbySend(alice, 'unchanged');
      await quiet(bob);
      const atBob = hears(bob, LOBBY_ROOM_ID, true);
      expect(await request(alice.lobby, 'message:edit', { id: original.id, body: '  unchanged ' })).toEqual({ ok: true, data: null });
      await settle(100);
      expect(atBob).toEqual([]);
      expect((await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 5 }))).messages).toHaveLength(1);
    });

    it('is refused to anyone but the author, for a recalled message, after the window, and with bad text; nothing changes', async () => {
      const { tab, advance } = await world({ editWindowMs: 60_000 });
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const kept = await lobbySend(alice, 'kept as it is');
      const recalled = await lobbySend(alice, 'to be recalled');
      await ok(request(alice.lobby, 'message:recall', { id: recalled.id }));
      const before = await ok(request<MessagePage>(bob.lobby, 'message:sync', { afterSeq: 0 }));

      expect(await request(bob.lobby, 'message:edit', { id: kept.id, body: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await request(alice.lobby, 'message:edit', { id: recalled.id, body: 'revived' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await request(alice.lobby, 'message:edit', { id: 'f'.repeat(24), body: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await request(alice.lobby, 'message:edit', { id: kept.id, body: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
      expect(await request(alice.lobby, 'message:edit', { id: kept.id, body: 'x'.repeat(4001) })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(await request(alice.lobby, 'message:edit', { id: kept.id, body: 'ok', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      advance(61_000);
      expect(await request(alice.lobby, 'message:edit', { id: kept.id, body: 'too late' })).toMatchObject({ ok: false, error: { code: 'edit_window_expired' } });

      expect(await ok(request<MessagePage>(bob.lobby, 'message:sync', { afterSeq: 0 }))).toEqual(before);
    });

    it('is refused when editing is switched off', async () => {
      const { tab } = await world({ editWindowMs: 0 });
      const alice = await tab('alice');
      const message = await lobbySend(alice, 'fixed');
      expect(await request(alice.lobby, 'message:edit', { id: message.id, body: 'changed' })).toMatchObject({ ok: false, error: { code: 'edit_window_expired' } });
    });

    it('a message in a private room the caller is not in is refused exactly like a missing one', async () => {
      const { tab } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const secret = await createChannel(alice, `secret${Date.now()}`, { isPrivate: true });
      const inside = await say(alice, secret, 'inside');
      const missing = await dmRequest(bob.dm, 'message:edit', { id: 'e'.repeat(24), body: 'x' });
      const foreign = await dmRequest(bob.dm, 'message:edit', { id: inside.id, body: 'x' });
      expect(foreign).toEqual(missing);
      expect(await dmRequest(bob.dm, 'reaction:add', { id: inside.id, emoji: '👍' })).toEqual(
        await dmRequest(bob.dm, 'reaction:add', { id: 'e'.repeat(24), emoji: '👍' }),
      );
      expect(await dmRequest(bob.dm, 'dm:send', { roomId: LOBBY_ROOM_ID, clientId: 'r1', body: 'reply', replyTo: inside.id })).toMatchObject({
        ok: false,
        error: { code: 'not_found', field: 'replyTo' },
      });
    });
  });

  describe('replies', () => {
    it('carry a quote of the original that follows its edits and its recall', async () => {
      const { tab } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const original = await lobbySend(alice, `a long question ${'🙂'.repeat(200)}`);
      const reply = await lobbySend(bob, 'an answer', { replyTo: original.id });
      expect(reply.replyTo).toMatchObject({ messageId: original.id, seq: original.seq, author: { id: alice.user.id } });
      // Cut on grapheme clusters: no half emoji.
      expect(reply.replyTo!.excerpt.endsWith('🙂…')).toBe(true);

      await ok(request(alice.lobby, 'message:edit', { id: original.id, body: 'a short question' }));
      const afterEdit = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
      expect(afterEdit.messages.find((m) => m.id === reply.id)!.replyTo).toMatchObject({ excerpt: 'a short question' });

      await ok(request(alice.lobby, 'message:recall', { id: original.id }));
      const afterRecall = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
      expect(afterRecall.messages.find((m) => m.id === reply.id)!.replyTo).toMatchObject({ excerpt: '', recalled: true });
      expect(JSON.stringify(afterRecall)).not.toContain('question');
    });

    it('to a message of another room, a recalled one or a room event is refused and stores nothing', async () => {
      const { tab } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const channel = await createChannel(alice, `c${Date.now()}`);
      const elsewhere = await say(alice, channel, 'in the channel');
      const recalled = await lobbySend(alice, 'gone');
      await ok(request(alice.lobby, 'message:recall', { id: recalled.id }));
      const event = (await streamOf(alice, channel))[0]!;
      for (const replyTo of [elsewhere.id, recalled.id, event.id, 'a'.repeat(24)]) {
        expect(await request(bob.lobby, 'message:send', { clientId: `r-${replyTo}`, body: 'reply', replyTo })).toMatchObject({
          ok: false,
          error: { code: 'not_found', field: 'replyTo' },
        });
      }
      expect(await request(bob.lobby, 'message:send', { clientId: 'bad', body: 'reply', replyTo: '../x' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'replyTo' } });
      const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
      expect(history.messages.filter((m) => m.author.id === bob.user.id)).toEqual([]);
    });
  });

  describe('reactions', () => {
    it('add, repeat, take back: entries carry the whole reaction state; repeats are null and silent', async () => {
      const { tab } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const message = await lobbySend(alice, 'ship it?');
      await quiet(alice);
      const atAlice = hears(alice, LOBBY_ROOM_ID, true);

      const bobs = await ok(request<MessageDto>(bob.lobby, 'reaction:add', { id: message.id, emoji: '👍' }));
      const alices = await ok(request<MessageDto>(alice.lobby, 'reaction:add', { id: message.id, emoji: '👍' }));
      expect(await request(bob.lobby, 'reaction:add', { id: message.id, emoji: '👍' })).toEqual({ ok: true, data: null });
      const party = await ok(request<MessageDto>(bob.lobby, 'reaction:add', { id: message.id, emoji: '🎉' }));

      expect(bobs.change).toMatchObject({ type: 'reaction', emoji: '👍', added: true, state: { reactions: [{ emoji: '👍', users: [{ id: bob.user.id }] }] } });
      expect(alices.change!.state.reactions).toEqual([{ emoji: '👍', users: [{ id: bob.user.id, name: bob.user.displayName }, { id: alice.user.id, name: alice.user.displayName }] }]);
      expect(party.change!.state.reactions!.map((r) => [r.emoji, r.users.length])).toEqual([['👍', 2], ['🎉', 1]]);
      await eventually(() => expect(atAlice).toEqual([bobs, alices, party]));

      const removed = await ok(request<MessageDto>(bob.lobby, 'reaction:remove', { id: message.id, emoji: '👍' }));
      expect(removed.change).toMatchObject({ added: false, state: { reactions: [{ emoji: '👍', users: [{ id: alice.user.id }] }, { emoji: '🎉' }] } });
      expect(await request(bob.lobby, 'reaction:remove', { id: message.id, emoji: '👍' })).toEqual({ ok: true, data: null });
      const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
      expect(history.messages.find((m) => m.id === message.id)!.reactions!.map((r) => r.emoji)).toEqual(['👍', '🎉']);
    });

    it('the same reaction from two sockets at once is stored once, with one entry', async () => {
      const { tab } = await world();
      const [alice, bobOne, bobTwo] = [await tab('alice'), await tab('bob'), await tab('bob')];
      const message = await lobbySend(alice, 'race me');
      for (let round = 0; round < 5; round += 1) {
        const [one, two] = await Promise.all([
          request<MessageDto | null>(bobOne.lobby, 'reaction:add', { id: message.id, emoji: '🚀' }),
          dmRequest<MessageDto | null>(bobTwo.dm, 'reaction:add', { id: message.id, emoji: '🚀' }),
        ]);
        expect([one, two].filter((a) => a.ok && a.data !== null)).toHaveLength(1);
        const [offOne, offTwo] = await Promise.all([
          request<MessageDto | null>(bobOne.lobby, 'reaction:remove', { id: message.id, emoji: '🚀' }),
          dmRequest<MessageDto | null>(bobTwo.dm, 'reaction:remove', { id: message.id, emoji: '🚀' }),
        ]);
        expect([offOne, offTwo].filter((a) => a.ok && a.data !== null)).toHaveLength(1);
      }
      const entries = (await ok(request<MessagePage>(alice.lobby, 'message:sync', { afterSeq: message.seq }))).messages;
      expect(entries.map((e) => e.change!.added)).toEqual([true, false, true, false, true, false, true, false, true, false]);
      const history = await ok(request<MessagePage>(alice.lobby, 'message:history', { limit: 1, beforeSeq: message.seq + 1 }));
      expect(history.messages[0]!.reactions).toBeUndefined();
    });

    it('refuses a new emoji past the per-message limit, anything but one emoji, and a recalled message', async () => {
      const { tab } = await world({ reactionsPerMessageMax: 2 });
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const message = await lobbySend(alice, 'react');
      await ok(request(bob.lobby, 'reaction:add', { id: message.id, emoji: '👍' }));
      await ok(request(bob.lobby, 'reaction:add', { id: message.id, emoji: '👎' }));
      expect(await request(alice.lobby, 'reaction:add', { id: message.id, emoji: '🎉' })).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
      // An emoji already there is not a new one.
      expect(await request(alice.lobby, 'reaction:add', { id: message.id, emoji: '👍' })).toMatchObject({ ok: true });
      for (const emoji of ['ab', ':tada:', '👍👍', '', '<img>', '1', 'x'.repeat(40), 42, { $gt: '' }]) {
        expect(await request(alice.lobby, 'reaction:add', { id: message.id, emoji }), String(emoji)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'emoji' } });
      }
      // Well-formed emoji of every shape pass the schema (and meet the limit).
      for (const emoji of ['👍🏽', '🇫🇷', '👩‍👩‍👧‍👦', '1️⃣', '❤️']) {
        expect(await request(alice.lobby, 'reaction:add', { id: message.id, emoji }), emoji).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
      }
      const recalled = await lobbySend(alice, 'soon gone');
      await ok(request(alice.lobby, 'message:recall', { id: recalled.id }));
      expect(await request(bob.lobby, 'reaction:add', { id: recalled.id, emoji: '👍' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });
  });

  describe('mentions', () => {
    it('are resolved by the server, counted per room for the mentioned user, and cleared by reading', async () => {
      const { tab, seeded } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const bobName = seeded.bob.user.username;
      const message = await lobbySend(alice, `@${bobName.toUpperCase()}. look, and mail ${bobName}@example.com, @nobody-here`);
      expect(message.mentions).toEqual([{ id: bob.user.id, username: bobName }]);

      const lobbyOf = async (t: Tab) => (await roomList(t)).find((r) => r.room.id === LOBBY_ROOM_ID)!;
      expect(await lobbyOf(bob)).toMatchObject({ unreadCount: 1, mentionCount: 1 });
      expect(await lobbyOf(alice)).toMatchObject({ mentionCount: 0 });

      // An edit that drops the mention drops it from the count; one that adds it back counts again.
      await ok(request(alice.lobby, 'message:edit', { id: message.id, body: 'look' }));
      expect(await lobbyOf(bob)).toMatchObject({ unreadCount: 1, mentionCount: 0 });
      await ok(request(alice.lobby, 'message:edit', { id: message.id, body: `look @${bobName}` }));
      expect(await lobbyOf(bob)).toMatchObject({ unreadCount: 1, mentionCount: 1 });

      const newest = (await lobbyOf(bob)).lastSeq;
      await ok(dmRequest(bob.dm, 'dm:read', { roomId: LOBBY_ROOM_ID, seq: newest }));
      expect(await lobbyOf(bob)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    });

    it('of someone outside a private channel is not recorded, and tells them nothing', async () => {
      const { tab, seeded } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const secret = await createChannel(alice, `hush${Date.now()}`, { isPrivate: true });
      const bobHears = recordDm(bob.dm, 'room:update');
      const message = await say(alice, secret, `@${seeded.bob.user.username} should not know`);
      expect(message.mentions).toBeUndefined();
      await dmRoundTrip(bob.dm);
      expect(bobHears).toEqual([]);
      expect((await roomList(bob)).map((r) => r.room.id)).not.toContain(secret);
    });

    it('a recalled mention stops counting', async () => {
      const { tab, seeded } = await world();
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const message = await lobbySend(alice, `hey @${seeded.bob.user.username}`);
      await ok(request(alice.lobby, 'message:recall', { id: message.id }));
      expect((await roomList(bob)).find((r) => r.room.id === LOBBY_ROOM_ID)).toMatchObject({ mentionCount: 0, unreadCount: 0 });
    });
  });

  it('edits and reactions are not unread, do not move a room up, and previews show the newest message', async () => {
    const { tab } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const channel = await createChannel(alice, `quiet${Date.now()}`);
    await ok(dmRequest(bob.dm, 'room:join', { roomId: channel }));
    const first = await say(alice, channel, 'first');
    const second = await say(alice, channel, 'second');
    const before = (await roomList(bob)).find((r) => r.room.id === channel)!;
    await ok(dmRequest(alice.dm, 'message:edit', { id: first.id, body: 'first, edited' }));
    await ok(dmRequest(alice.dm, 'reaction:add', { id: first.id, emoji: '👀' }));
    const after = (await roomList(bob)).find((r) => r.room.id === channel)!;
    expect(after.unreadCount).toBe(before.unreadCount);
    expect(after.lastSeq).toBe(before.lastSeq + 2);
    expect(after.lastMessage).toMatchObject({ id: second.id, body: 'second' });
    expect(after.lastActivityAt).toBe(before.lastActivityAt);
  });

  describe('delivered and seen', () => {
    it('a DM: the recipient\'s device reports delivery, the sender hears it; marks never move back', async () => {
      const { tab } = await world();
      const [alice, bob, carol] = [await tab('alice'), await tab('bob'), await tab('carol')];
      const roomId = dmRoomId(alice.user.id, bob.user.id);
      const first = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { to: bob.user.id, clientId: 'd1', body: 'one' }));
      const second = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { to: bob.user.id, clientId: 'd2', body: 'two' }));
      const aliceHears = recordDm(alice.dm, 'dm:delivered');

      expect(await ok(dmRequest<ReadMarkDto>(bob.dm, 'dm:delivered', { roomId, seq: second.seq }))).toEqual({ roomId, userId: bob.user.id, seq: second.seq });
      expect(await ok(dmRequest<ReadMarkDto>(bob.dm, 'dm:delivered', { roomId, seq: first.seq }))).toMatchObject({ seq: second.seq });
      // Clamped to the newest entry.
      expect(await ok(dmRequest<ReadMarkDto>(bob.dm, 'dm:delivered', { roomId, seq: 999 }))).toMatchObject({ seq: second.seq });
      await eventually(() => expect(aliceHears).toEqual([{ roomId, userId: bob.user.id, seq: second.seq }]));
      const opened = await ok(dmRequest<ConversationDto>(alice.dm, 'dm:open', { username: (await ok(dmRequest<{ users: { username: string }[] }>(alice.dm, 'user:search', { query: bob.user.username }))).users[0]!.username }));
      expect(opened).toMatchObject({ peerDeliveredSeq: second.seq, peerReadSeq: 0 });

      expect(await dmRequest(carol.dm, 'dm:delivered', { roomId, seq: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await dmRequest(bob.dm, 'dm:delivered', { roomId, seq: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    });

    it('a group: room:reads lists every member\'s mark and every member hears marks move', async () => {
      const { tab } = await world();
      const [alice, bob, carol] = [await tab('alice'), await tab('bob'), await tab('carol')];
      const group = await ok(dmRequest<{ room: { id: string } }>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }));
      const roomId = group.room.id;
      const message = await say(alice, roomId, 'seen?');
      const aliceHears = recordDm(alice.dm, 'dm:read');
      await ok(dmRequest(bob.dm, 'dm:read', { roomId, seq: message.seq }));
      await eventually(() => expect(aliceHears).toContainEqual({ roomId, userId: bob.user.id, seq: message.seq }));
      const reads = await ok(dmRequest<RoomReadsDto>(carol.dm, 'room:reads', { roomId }));
      expect(reads.marks).toContainEqual({ roomId, userId: bob.user.id, seq: message.seq });
      expect(reads.marks.map((m) => m.userId)).not.toContain(carol.user.id);

      // Public rooms' marks stay private; DMs carry theirs in the conversation.
      expect(await dmRequest(alice.dm, 'room:reads', { roomId: LOBBY_ROOM_ID })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await dmRequest(alice.dm, 'room:reads', { roomId: dmRoomId(alice.user.id, bob.user.id) })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // A member hears why; an outsider gets the answer for a room that does not exist.
      expect(await dmRequest(alice.dm, 'dm:delivered', { roomId, seq: 1 })).toEqual({ ok: false, error: { code: 'forbidden', message: 'Delivery is reported for one-to-one DMs only.' } });
      expect(await dmRequest(alice.dm, 'dm:delivered', { roomId: 'g:0123456789abcdef01234567', seq: 1 })).toEqual({ ok: false, error: { code: 'forbidden', message: 'You are not a member of this room.' } });
    });
  });

  describe('a failure between a change and its entry', () => {
    /** The stores, except that appending the next change entry fails once, as an outage between the two writes would. */
    function failingOnce(stores: Stores): Stores & { arm(): void } {
      let armed = false;
      const append: Stores['messages']['append'] = async (input) => {
        if (armed && input.change) {
          armed = false;
          throw new Error('the database went away');
        }
        return stores.messages.append(input);
      };
      const bound = <T extends object>(target: T, overrides: Record<string, unknown>): T =>
        new Proxy(target, {
          get(object, key) {
            if (typeof key === 'string' && key in overrides) return overrides[key];
            const value = Reflect.get(object, key) as unknown;
            return typeof value === 'function' ? value.bind(object) : value;
          },
        });
      const messages = bound(stores.messages, { append });
      return bound(stores, { messages, arm: () => (armed = true) }) as Stores & { arm(): void };
    }

    it('a retried edit or reaction stores the missing entry, and everyone hears it once', async () => {
      let failing!: ReturnType<typeof failingOnce>;
      const { tab } = await world({}, (stores) => (failing = failingOnce(stores)));
      const [alice, bob] = [await tab('alice'), await tab('bob')];
      const message = await lobbySend(alice, 'before');
      await quiet(bob);
      const atBob = hears(bob, LOBBY_ROOM_ID, true);

      failing.arm();
      expect(await request(alice.lobby, 'message:edit', { id: message.id, body: 'after' })).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(await request(alice.lobby, 'message:edit', { id: message.id, body: 'after' })).toEqual({ ok: true, data: null });
      failing.arm();
      expect(await request(bob.lobby, 'reaction:add', { id: message.id, emoji: '👍' })).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(await request(bob.lobby, 'reaction:add', { id: message.id, emoji: '👍' })).toEqual({ ok: true, data: null });
      // Repeats find the entries there now and store nothing more.
      expect(await request(alice.lobby, 'message:edit', { id: message.id, body: 'after' })).toEqual({ ok: true, data: null });
      expect(await request(bob.lobby, 'reaction:add', { id: message.id, emoji: '👍' })).toEqual({ ok: true, data: null });

      const entries = (await ok(request<MessagePage>(bob.lobby, 'message:sync', { afterSeq: message.seq }))).messages;
      expect(entries.map((e) => e.change?.type)).toEqual(['edit', 'reaction']);
      await eventually(() => expect(atBob.map((e) => e.seq)).toEqual(entries.map((e) => e.seq)));
      expect(applyEntries([message, ...atBob])).toEqual(applyEntries((await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }))).messages));
    });
  });

  it('a retried reply whose original was recalled meanwhile acks the stored reply, not an error', async () => {
    const { tab } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const original = await lobbySend(alice, 'question');
    const reply = await ok(request<MessageDto>(bob.lobby, 'message:send', { clientId: 'the-reply', body: 'answer', replyTo: original.id }));
    await ok(request(alice.lobby, 'message:recall', { id: original.id }));
    const retry = await ok(request<MessageDto>(bob.lobby, 'message:send', { clientId: 'the-reply', body: 'answer', replyTo: original.id }));
    expect(retry).toMatchObject({ id: reply.id, seq: reply.seq, replyTo: { messageId: original.id, recalled: true } });
    const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
    expect(history.messages.filter((m) => m.clientId === 'the-reply')).toHaveLength(1);
  });

  it('two new emoji at once on a message one short of the limit: exactly one is kept', async () => {
    const { tab } = await world({ reactionsPerMessageMax: 2 });
    const [alice, bob, carol] = [await tab('alice'), await tab('bob'), await tab('carol')];
    for (let round = 0; round < 4; round += 1) {
      const message = await lobbySend(alice, `round ${round}`);
      await ok(request(alice.lobby, 'reaction:add', { id: message.id, emoji: '👍' }));
      const results = await Promise.all([
        request(bob.lobby, 'reaction:add', { id: message.id, emoji: '🎉' }),
        request(carol.lobby, 'reaction:add', { id: message.id, emoji: '🚀' }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toMatchObject([{ error: { code: 'limit_reached' } }]);
      const held = (await ok(request<MessagePage>(alice.lobby, 'message:sync', { afterSeq: message.seq - 1 }))).messages;
      expect(held.find((m) => m.id === message.id)!.reactions).toHaveLength(2);
    }
  });

  it('an edit inside a finite window works', async () => {
    const { tab, advance } = await world({ editWindowMs: 60_000 });
    const alice = await tab('alice');
    const message = await lobbySend(alice, 'soon fixed');
    advance(59_000);
    expect(await request(alice.lobby, 'message:edit', { id: message.id, body: 'fixed' })).toMatchObject({ ok: true, data: { change: { state: { body: 'fixed' } } } });
  });

  it('mention counts in a channel and a group, and @name. with both names taken mentions the longer', async () => {
    const { tab, seeded, server } = await world();
    const [alice, bob, carol] = [await tab('alice'), await tab('bob'), await tab('carol')];
    const bobName = seeded.bob.user.username;
    const channel = await createChannel(alice, `mc${Date.now()}`);
    await ok(dmRequest(bob.dm, 'room:join', { roomId: channel }));
    const group = (await ok(dmRequest<{ room: { id: string } }>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }))).room.id;
    await say(alice, channel, `@${bobName} in the channel`);
    const inGroup = await say(alice, group, `and @${bobName} in the group`);
    await say(carol, group, 'no mention');
    const rooms = await roomList(bob);
    expect(rooms.find((r) => r.room.id === channel)).toMatchObject({ mentionCount: 1 });
    expect(rooms.find((r) => r.room.id === group)).toMatchObject({ mentionCount: 1, unreadCount: 2 });
    await ok(dmRequest(alice.dm, 'message:recall', { id: inGroup.id }));
    expect((await roomList(bob)).find((r) => r.room.id === group)).toMatchObject({ mentionCount: 0, unreadCount: 1 });

    const dotted = await server.seedUser(`${bobName}.`);
    const both = await lobbySend(alice, `hi @${bobName}.`);
    expect(both.mentions).toEqual([{ id: dotted.user.id, username: `${bobName}.` }]);
  });

  it('an edited text appears in no preview: conversation lists, conversation:update, room:update', async () => {
    const { tab } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const dm = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { to: bob.user.id, clientId: 'p1', body: 'secret plan A' }));
    const group = (await ok(dmRequest<{ room: { id: string } }>(alice.dm, 'group:open', { userIds: [bob.user.id, (await tab('carol')).user.id] }))).room.id;
    const inGroup = await say(alice, group, 'secret plan A too');
    await quiet(bob);
    const updates = recordDm(bob.dm, 'conversation:update');
    const roomUpdates = recordDm(bob.dm, 'room:update');
    await ok(dmRequest(alice.dm, 'message:edit', { id: dm.id, body: 'plan B' }));
    await ok(dmRequest(alice.dm, 'message:edit', { id: inGroup.id, body: 'plan B too' }));
    await eventually(() => expect(updates.at(-1)?.lastMessage).toMatchObject({ id: dm.id, body: 'plan B', editedAt: expect.any(String) }));
    await ok(dmRequest(bob.dm, 'dm:read', { roomId: group, seq: inGroup.seq + 1 }));
    await eventually(() => expect(roomUpdates.at(-1)?.lastMessage).toMatchObject({ id: inGroup.id, body: 'plan B too' }));
    const seen = JSON.stringify([updates, roomUpdates, await ok(dmRequest(bob.dm, 'dm:conversations', {})), await roomList(bob)]);
    expect(seen).not.toContain('plan A');
  });

  it('"seen by" counts only current members: a member who left drops out of room:reads', async () => {
    const { tab } = await world();
    const [alice, bob, carol] = [await tab('alice'), await tab('bob'), await tab('carol')];
    const group = (await ok(dmRequest<{ room: { id: string } }>(alice.dm, 'group:open', { userIds: [bob.user.id, carol.user.id] }))).room.id;
    const message = await say(alice, group, 'read me');
    await ok(dmRequest(bob.dm, 'dm:read', { roomId: group, seq: message.seq }));
    await ok(dmRequest(carol.dm, 'dm:read', { roomId: group, seq: message.seq }));
    await ok(dmRequest(carol.dm, 'room:leave', { roomId: group }));
    const reads = await ok(dmRequest<RoomReadsDto>(alice.dm, 'room:reads', { roomId: group }));
    // Alice's is there too: writing marked the group read for her.
    expect(reads.marks.map((m) => m.userId).sort()).toEqual([alice.user.id, bob.user.id].sort());
  });

  it('a thousand reactions after an unread mention do not push it out of the unread window', async () => {
    const { tab, stores, seeded } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const mention = await lobbySend(alice, `@${seeded.bob.user.username} look`);
    // Stored straight into the stream, as the message service records toggles, to keep this quick.
    for (let i = 0; i <= LIMITS.unreadCountWindow; i += 1) {
      await stores.messages.append({
        roomId: LOBBY_ROOM_ID,
        clientId: `reaction:bulk${i}`,
        author: { id: alice.user.id, name: 'alice' },
        body: '',
        createdAt: new Date(),
        change: { type: 'reaction', messageId: mention.id, seq: mention.seq, emoji: '👍', added: i % 2 === 0 },
      });
    }
    const lobby = (await roomList(bob)).find((r) => r.room.id === LOBBY_ROOM_ID)!;
    expect(lobby).toMatchObject({ lastSeq: mention.seq + LIMITS.unreadCountWindow + 1, unreadCount: 1, mentionCount: 1 });
    expect(lobby.lastMessage).toMatchObject({ id: mention.id });
  }, 120_000);

  it('a private channel past LIMITS.seenByMembersMax keeps read marks private: room:reads is empty and nobody else hears a mark', async () => {
    const { tab, server } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const big = await createChannel(alice, `big${Date.now()}`, { isPrivate: true });
    const others = await Promise.all(Array.from({ length: LIMITS.seenByMembersMax - 2 }, () => server.seedUser()));
    const invitees = [bob.user.id, ...others.map((o) => o.user.id)];
    for (let i = 0; i < invitees.length; i += LIMITS.inviteBatchMax) {
      await ok(dmRequest(alice.dm, 'room:invite', { roomId: big, userIds: invitees.slice(i, i + LIMITS.inviteBatchMax) }));
    }
    const message = await say(alice, big, 'at the limit');
    // Exactly at the limit, marks are shared.
    await ok(dmRequest(bob.dm, 'dm:read', { roomId: big, seq: message.seq }));
    expect((await ok(dmRequest<RoomReadsDto>(alice.dm, 'room:reads', { roomId: big }))).marks).toContainEqual({ roomId: big, userId: bob.user.id, seq: message.seq });
    // One more member, and they are not.
    const extra = await server.seedUser();
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: big, userIds: [extra.user.id] }));
    const ownMarks = recordDm(alice.dm, 'dm:read');
    const next = await say(alice, big, 'past the limit');
    // Alice's own mark moves as she writes (after the ack): once it has arrived, only Bob's is listened for.
    await eventually(() => expect(ownMarks).toContainEqual({ roomId: big, userId: alice.user.id, seq: next.seq }));
    await quiet(alice);
    const aliceHears = recordDm(alice.dm, 'dm:read');
    await ok(dmRequest(bob.dm, 'dm:read', { roomId: big, seq: next.seq }));
    await quiet(alice);
    expect(aliceHears).toEqual([]);
    expect(await ok(dmRequest<RoomReadsDto>(alice.dm, 'room:reads', { roomId: big }))).toEqual({ roomId: big, marks: [] });
  }, 60_000);

  it('a client applying every entry in order ends with what history shows', async () => {
    const { tab } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const one = await lobbySend(alice, 'one');
    const two = await lobbySend(bob, 'two', { replyTo: one.id });
    await ok(request(alice.lobby, 'message:edit', { id: one.id, body: 'one!' }));
    await ok(request(bob.lobby, 'reaction:add', { id: one.id, emoji: '👍' }));
    await ok(request(alice.lobby, 'reaction:add', { id: two.id, emoji: '❤️' }));
    await ok(request(bob.lobby, 'message:recall', { id: two.id }));
    const entries = (await ok(request<MessagePage>(alice.lobby, 'message:sync', { afterSeq: 0 }))).messages;
    const history = (await ok(request<MessagePage>(alice.lobby, 'message:history', { limit: 50 }))).messages;
    expect(applyEntries(entries)).toEqual(applyEntries(history));
    expect(applyEntries(entries).find((m) => m.id === one.id)).toMatchObject({ body: 'one!', reactions: [{ emoji: '👍' }] });
  });
});
