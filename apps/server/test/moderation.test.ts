import { LOBBY_ROOM_ID, dmRoomId, type ConversationDto, type ConversationPage, type MessageDto, type MessagePage } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type StartServerOptions, type Stores } from '../src/testing.js';
import { request, settle } from './support/client.js';
import { dmRequest } from './support/dmClient.js';
import { download, uploaded } from './support/files.js';
import { adminRequest, connectAdmin, drain, historyOf, lobbySend, moderationWorld, promote, removalsOf, removeMessage, reportMessage } from './support/moderationClients.js';
import { freshTestStores } from './support/mongo.js';
import { createChannel, heard, ok, openTab, roomList, say, streamOf } from './support/roomClients.js';
import { useServer } from './support/server.js';

const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const world = (names: string[], options: StartServerOptions = {}) => moderationWorld(harness, opened, names, options);
const history = historyOf;
const code = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

const storeKinds: [string, () => Promise<Stores>][] = [
  ['memory', async () => createMemoryStores()],
  ['mongodb', () => freshTestStores(import.meta.filename)],
];

describe.each(storeKinds)('an admin removes a message (%s store)', (_kind, makeStores) => {
  async function storedWorld(names: string[]) {
    const stores = await makeStores();
    openStores.push(stores);
    return world(names, { stores });
  }

  it('in the lobby: the ack is the removal entry, every member hears it, and history, sync, the preview and the files all show it gone', async () => {
    const { server, tab, person } = await storedWorld(['Ada', 'Bob', 'Mallory']);
    const [ada, bob, mallory] = [tab('Ada'), tab('Bob'), tab('Mallory')];
    const file = await uploaded(server.url, person('Mallory').cookie, { bytes: 'spam spam spam', name: 'offer.txt' });
    const spam = await lobbySend(mallory, 'buy cheap watches', [file.id]);
    await drain(bob, mallory);
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');
    const atMallory = heard<MessageDto>(mallory.lobby, 'message:new');

    const ack = await removeMessage(ada, spam.id);

    expect(ack).toMatchObject({
      ok: true,
      data: { roomId: LOBBY_ROOM_ID, seq: spam.seq + 1, body: '', author: { id: mallory.user.id }, recall: { messageId: spam.id, seq: spam.seq, byModerator: true } },
    });
    if (!ack.ok) throw new Error(ack.error.code);
    const entry = ack.data;
    await drain(bob, mallory);
    expect(atBob).toEqual([entry]);
    expect(atMallory).toEqual([entry]);

    const [removed] = (await history(bob)).filter((m) => m.id === spam.id);
    expect(removed).toMatchObject({ body: '', recalledAt: expect.any(String), removedByModerator: true });
    expect(removed?.attachments).toBeUndefined();
    const sync = await ok(dmRequest<MessagePage>(bob.dm, 'dm:sync', { roomId: LOBBY_ROOM_ID, afterSeq: spam.seq }));
    expect(sync.messages).toEqual([entry]);
    const lobbySummary = (await roomList(bob)).find((s) => s.room.id === LOBBY_ROOM_ID);
    expect(lobbySummary?.lastMessage).toMatchObject({ recall: { messageId: spam.id, byModerator: true } });
    expect((await download(server.url, person('Bob').cookie, file.id)).status).toBe(404);
    expect(JSON.stringify(await server.stores.messages.history(LOBBY_ROOM_ID, { limit: 10 }))).not.toContain('watches');

    const audit = await server.stores.audit.list({ limit: 10 });
    expect(audit).toMatchObject([
      { action: 'message.remove', actor: { id: ada.user.id }, target: { kind: 'message', id: spam.id, label: `Lobby #${spam.seq}` }, details: { author: 'Mallory' } },
    ]);
  });

  it('in a private channel and a DM the admin is not in: the members hear it, and the channel and the conversation preview show it removed', async () => {
    const { tab } = await storedWorld(['Ada', 'Bob', 'Mallory']);
    const [ada, bob, mallory] = [tab('Ada'), tab('Bob'), tab('Mallory')];
    const roomId = await createChannel(bob, 'backroom', { isPrivate: true });
    await ok(dmRequest(bob.dm, 'room:invite', { roomId, userIds: [mallory.user.id] }));
    const inChannel = await say(mallory, roomId, 'channel spam');
    const inDm = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: bob.user.id, clientId: 'dm-spam', body: 'dm spam' }));
    await drain(ada, bob, mallory);
    const atBob = heard<MessageDto>(bob.dm, 'dm:message');
    const atAda = heard<MessageDto>(ada.dm, 'dm:message');
    const conversationsAtBob = heard<ConversationDto>(bob.dm, 'conversation:update');

    const fromChannel = await ok(removeMessage(ada, inChannel.id));
    const fromDm = await ok(removeMessage(ada, inDm.id));

    expect(fromChannel).toMatchObject({ roomId, author: { id: mallory.user.id }, recall: { messageId: inChannel.id, byModerator: true } });
    expect(fromDm).toMatchObject({ roomId: dmRoomId(bob.user.id, mallory.user.id), recall: { messageId: inDm.id, byModerator: true } });
    await drain(ada, bob, mallory);
    await settle(200); // conversation updates are coalesced for up to 100 ms
    expect(atBob).toEqual([fromChannel, fromDm]);
    expect(atAda).toEqual([]);
    expect(removalsOf(await streamOf(bob, roomId), inChannel.id)).toEqual([fromChannel]);
    expect((await streamOf(bob, roomId)).find((m) => m.id === inChannel.id)).toMatchObject({ body: '', removedByModerator: true });
    expect((await roomList(bob)).find((s) => s.room.id === roomId)?.lastMessage).toEqual(fromChannel);
    expect(conversationsAtBob.at(-1)?.lastMessage).toEqual(fromDm);
    const conversations = await ok(dmRequest<ConversationPage>(bob.dm, 'dm:conversations', {}));
    expect(conversations.conversations.find((c) => c.roomId === fromDm.roomId)).toMatchObject({ lastMessage: fromDm, unreadCount: 0 });
  });

  it('is idempotent: a repeat, another admin, or the author recalling after it all get the one entry, and nothing is sent again', async () => {
    const { server, tab } = await storedWorld(['Ada', 'Bob', 'Mallory']);
    const [ada, bob, mallory] = [tab('Ada'), tab('Bob'), tab('Mallory')];
    await promote(server, bob.user);
    const spam = await lobbySend(mallory, 'again and again');
    await drain(bob);
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');

    const first = await ok(removeMessage(ada, spam.id));
    expect(await removeMessage(ada, spam.id)).toEqual({ ok: true, data: first });
    expect(await removeMessage(bob, spam.id)).toEqual({ ok: true, data: first });
    expect(await request(mallory.lobby, 'message:recall', { id: spam.id })).toEqual({ ok: true, data: first });

    await drain(bob);
    expect(atBob).toEqual([first]);
    expect(removalsOf(await history(bob), spam.id)).toEqual([first]);
    expect(await server.stores.audit.list({ limit: 10 })).toHaveLength(1);
  });

  it('racing the author\'s recall, leaves one entry, heard once', async () => {
    const { tab } = await storedWorld(['Ada', 'Bob', 'Mallory']);
    const [ada, bob, mallory] = [tab('Ada'), tab('Bob'), tab('Mallory')];
    const spam = await lobbySend(mallory, 'gone either way');
    await drain(bob);
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');

    const [removal, recall] = await Promise.all([removeMessage(ada, spam.id), request<MessageDto>(mallory.lobby, 'message:recall', { id: spam.id })]);

    expect(removal.ok && recall.ok).toBe(true);
    await drain(bob);
    const entries = removalsOf(await history(bob), spam.id);
    expect(entries).toHaveLength(1);
    expect(atBob).toEqual(entries);
    expect([removal.ok && removal.data.id, recall.ok && recall.data.id]).toEqual([entries[0]!.id, entries[0]!.id]);
  });
});

describe('who may remove a message', () => {
  it('a channel owner removes any message in their channel, and is forbidden in a channel they only belong to and refused as if absent where they are not', async () => {
    const { tab } = await world(['Olive', 'Pat', 'Bob']);
    const [olive, pat, bob] = [tab('Olive'), tab('Pat'), tab('Bob')];
    const ownChannel = await createChannel(olive, 'olives');
    const patsChannel = await createChannel(pat, 'pats');
    const patsPrivate = await createChannel(pat, 'pats-private', { isPrivate: true });
    for (const roomId of [ownChannel, patsChannel]) await ok(dmRequest(bob.dm, 'room:join', { roomId }));
    await ok(dmRequest(olive.dm, 'room:join', { roomId: patsChannel }));
    const inOwn = await say(bob, ownChannel, 'off topic');
    const inPats = await say(bob, patsChannel, 'on topic');
    const inPrivate = await say(pat, patsPrivate, 'secret');
    const inLobby = await lobbySend(bob, 'hello lobby');
    await drain(olive, pat, bob);
    const atBob = heard<MessageDto>(bob.lobby, 'message:new');
    const atBobDm = heard<MessageDto>(bob.dm, 'dm:message');

    const removed = await ok(removeMessage(olive, inOwn.id));
    expect(removed).toMatchObject({ roomId: ownChannel, recall: { messageId: inOwn.id, byModerator: true } });
    expect(await removeMessage(olive, inPats.id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dmRequest(olive.dm, 'message:remove', { id: inPrivate.id })).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such message.' } });
    expect(await request(olive.lobby, 'message:remove', { id: inLobby.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await drain(olive, pat, bob);
    // A public channel's entries travel on /lobby.
    expect(atBob).toEqual([removed]);
    expect(atBobDm).toEqual([]);
    expect((await streamOf(bob, patsChannel)).find((m) => m.id === inPats.id)?.body).toBe('on topic');
    expect((await streamOf(pat, patsPrivate)).find((m) => m.id === inPrivate.id)?.body).toBe('secret');
    expect((await history(bob)).find((m) => m.id === inLobby.id)?.body).toBe('hello lobby');
  });

  it('a member is refused, whether it is their own message or not, and nothing changes; so is an admin demoted a moment ago', async () => {
    const { server, tab } = await world(['Ada', 'Bob', 'Mallory']);
    const [ada, bob, mallory] = [tab('Ada'), tab('Bob'), tab('Mallory')];
    const spam = await lobbySend(mallory, 'lobby message');
    const own = await lobbySend(bob, 'my own');
    const elsewhere = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: ada.user.id, clientId: 'private', body: 'between us' }));
    const event = (await streamOf(bob, await createChannel(bob, 'events'))).find((m) => m.event)!;
    const recalled = await lobbySend(mallory, 'recalled');
    const recallEntry = await ok(request<MessageDto>(mallory.lobby, 'message:recall', { id: recalled.id }));
    await drain(ada, bob, mallory);
    const before = { lobby: await history(ada), dm: await history(ada, elsewhere.roomId), audit: await server.stores.audit.list({ limit: 10 }) };
    const heardAnything = [heard(ada.lobby, 'message:new'), heard(mallory.lobby, 'message:new'), heard(mallory.dm, 'dm:message')];

    expect(code(await removeMessage(bob, spam.id))).toBe('forbidden');
    expect(code(await removeMessage(bob, own.id))).toBe('forbidden');
    expect(code(await removeMessage(bob, elsewhere.id))).toBe('not_found');
    expect(code(await removeMessage(bob, '0123456789abcdef01234567'))).toBe('not_found');
    expect(code(await removeMessage(ada, event.id))).toBe('not_found');
    expect(code(await removeMessage(ada, recallEntry.id))).toBe('not_found');
    expect(await removeMessage(bob, { $ne: null } as unknown as string)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'id' } });
    expect(await dmRequest(bob.dm, 'message:remove', { id: spam.id, as: ada.user.id })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    await server.stores.users.setRole(ada.user.id, 'member');
    expect(code(await removeMessage(ada, spam.id))).toBe('forbidden');

    await drain(ada, bob, mallory);
    expect(heardAnything.flat()).toEqual([]);
    expect({ lobby: await history(ada), dm: await history(ada, elsewhere.roomId), audit: await server.stores.audit.list({ limit: 10 }) }).toEqual(before);
  });

  it('resolves every open report of the removed message as removed', async () => {
    const { server, tab } = await world(['Ada', 'Bob', 'Carol', 'Mallory']);
    const [ada, bob, carol, mallory] = [tab('Ada'), tab('Bob'), tab('Carol'), tab('Mallory')];
    const spam = await lobbySend(mallory, 'report me');
    const other = await lobbySend(mallory, 'and me');
    for (const [who, id] of [[bob, spam.id], [carol, spam.id], [bob, other.id]] as const) expect(await reportMessage(who, id, 'spam')).toEqual({ ok: true, data: null });

    await ok(removeMessage(ada, spam.id));

    const reports = await server.stores.reports.list({ status: 'all', limit: 10 });
    expect(reports.filter((r) => r.messageId === spam.id).map((r) => [r.status, r.resolvedBy?.id])).toEqual([
      ['removed', ada.user.id],
      ['removed', ada.user.id],
    ]);
    expect(reports.find((r) => r.messageId === other.id)?.status).toBe('open');
  });
});

describe('a ban removes everything the user wrote', () => {
  it('every message, in every room, files included, becomes a tombstone live and for a member who catches up later', async () => {
    const { server, tab, person } = await world(['Ada', 'Bob', 'Carol', 'Mallory']);
    const [bob, carol, mallory] = [tab('Bob'), tab('Carol'), tab('Mallory')];
    const general = await createChannel(bob, 'general');
    await ok(dmRequest(mallory.dm, 'room:join', { roomId: general }));
    const file = await uploaded(server.url, person('Mallory').cookie, { bytes: 'malware', name: 'invoice.exe' });
    const inLobby = [await lobbySend(mallory, 'spam 1', [file.id]), await lobbySend(mallory, 'spam 2'), await lobbySend(mallory, 'spam 3')];
    const inChannel = [await say(mallory, general, 'channel spam 1'), await say(mallory, general, 'channel spam 2')];
    const inDm = await ok(dmRequest<MessageDto>(mallory.dm, 'dm:send', { to: bob.user.id, clientId: 'dm-spam', body: 'dm spam' }));
    const kept = await lobbySend(bob, 'not spam');
    await drain(bob, carol);
    const carolHolds = (await history(carol)).at(-1)!.seq;
    carol.lobby.disconnect();
    carol.dm.disconnect();
    const atBobLobby = heard<MessageDto>(bob.lobby, 'message:new');
    const atBobDm = heard<MessageDto>(bob.dm, 'dm:message');
    const admin = await connectAdmin(server.url, person('Ada'));
    opened.push(admin);

    const ban = await adminRequest<{ removedMessages: number }>(admin, 'admin:user:ban', { userId: mallory.user.id });

    expect(ban).toMatchObject({ ok: true, data: { removedMessages: 6 } });
    await drain(bob);
    await settle(200);
    // The lobby's and the public channel's entries travel on /lobby, the DM's on /dm.
    const removals = (entries: MessageDto[]) => entries.map((e) => ({ roomId: e.roomId, ...e.recall })).sort((a, b) => a.messageId!.localeCompare(b.messageId!));
    const expected = (messages: MessageDto[]) => removals(messages.map((m) => ({ ...m, recall: { messageId: m.id, seq: m.seq, byModerator: true } })));
    expect(removals(atBobLobby)).toEqual(expected([...inLobby, ...inChannel]));
    expect(removals(atBobDm)).toEqual(expected([inDm]));
    for (const m of [...inLobby, ...inChannel, inDm]) expect((await server.stores.messages.findById(m.id))?.body).toBe('');
    expect((await server.stores.messages.findById(kept.id))?.body).toBe('not spam');
    expect((await download(server.url, person('Bob').cookie, file.id)).status).toBe(404);

    const carolBack = await openTab(server.url, person('Carol'), opened);
    const caughtUp = await ok(dmRequest<MessagePage>(carolBack.dm, 'dm:sync', { roomId: LOBBY_ROOM_ID, afterSeq: carolHolds }));
    expect(removals(caughtUp.messages)).toEqual(expected(inLobby));
    expect((await history(carolBack)).filter((m) => m.author.id === mallory.user.id && !m.recall).map((m) => [m.body, m.removedByModerator])).toEqual([
      ['', true],
      ['', true],
      ['', true],
    ]);

    // Banning again finds nothing left to remove, and sends nothing.
    expect(await adminRequest(admin, 'admin:user:ban', { userId: mallory.user.id })).toMatchObject({ ok: true, data: { removedMessages: 0 } });
    await drain(bob);
    expect(atBobLobby).toHaveLength(5);
  });

  // The store fails once, on the third removal, either before it stored anything (its entry's
  // append) or between its two writes (the erase, after the entry), as a database outage would.
  for (const failing of ['append', 'erase'] as const) {
    it(`that failed halfway (at an ${failing}) is finished by banning again: the rest is removed, every message once`, async () => {
      const stores = createMemoryStores();
      openStores.push(stores);
      let removals = 0;
      const failOnce = (method: 'append' | 'erase', isRemoval: (args: unknown[]) => boolean) => async (...args: unknown[]) => {
        if (method === failing && isRemoval(args) && ++removals === 3) throw new Error('the database went away');
        return (stores.messages[method] as (...a: unknown[]) => Promise<unknown>).apply(stores.messages, args);
      };
      const overrides: Record<string, unknown> = {
        append: failOnce('append', (args) => (args[0] as { recall?: unknown }).recall !== undefined),
        erase: failOnce('erase', () => true),
      };
      // Its other methods bound to the store itself, whose private fields they use.
      const messages = new Proxy(stores.messages, {
        get: (target, name) => {
          if (typeof name === 'string' && name in overrides) return overrides[name];
          const value = Reflect.get(target, name) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const { server, tab, person } = await world(['Ada', 'Bob', 'Mallory'], { stores: { ...stores, messages } });
      const [bob, mallory] = [tab('Bob'), tab('Mallory')];
      const spam: MessageDto[] = [];
      for (let i = 0; i < 7; i += 1) spam.push(await lobbySend(mallory, `spam ${i}`));
      await drain(bob);
      const atBob = heard<MessageDto>(bob.lobby, 'message:new');
      const admin = await connectAdmin(server.url, person('Ada'));
      opened.push(admin);
      const erased = async () => (await Promise.all(spam.map((m) => stores.messages.findById(m.id)))).filter((m) => m?.recalledAt).length;

      expect(await adminRequest(admin, 'admin:user:ban', { userId: mallory.user.id })).toMatchObject({ ok: false, error: { code: 'internal' } });
      await settle(200);
      const erasedFirst = await erased();
      expect(erasedFirst).toBeGreaterThan(0);
      expect(erasedFirst).toBeLessThan(spam.length);
      const retry = await ok(adminRequest<{ removedMessages: number }>(admin, 'admin:user:ban', { userId: mallory.user.id }));

      expect(retry.removedMessages).toBe(spam.length - erasedFirst);
      expect(await erased()).toBe(spam.length);
      await drain(bob);
      const entries = (await history(bob)).filter((m) => m.recall);
      expect(entries.map((e) => e.recall!.messageId).sort()).toEqual(spam.map((m) => m.id).sort());
      expect((await history(bob)).filter((m) => m.author.id === mallory.user.id && !m.recall).every((m) => m.body === '' && m.removedByModerator)).toBe(true);
      // Each entry heard at most once; one stored before a failure that lost its broadcast is
      // learnt by catching up (it is in the stream above).
      expect(new Set(atBob.map((e) => e.id)).size).toBe(atBob.length);
      expect(atBob.length).toBeGreaterThanOrEqual(spam.length - (failing === 'erase' ? 1 : 0));
      expect(entries).toEqual(expect.arrayContaining(atBob));
    });
  }
});

describe("a deactivated author's messages", () => {
  it('are marked in history, sync, reply quotes and new entries while the account is deactivated, and unmarked once reactivated', async () => {
    const { server, tab, person } = await world(['Ada', 'Bob', 'Mallory']);
    const [bob, mallory] = [tab('Bob'), tab('Mallory')];
    const said = await lobbySend(mallory, 'I was here');
    const reply = await ok(request<MessageDto>(bob.lobby, 'message:send', { clientId: 'reply', body: 'so was I', replyTo: said.id }));
    const admin = await connectAdmin(server.url, person('Ada'));
    opened.push(admin);
    const authorOf = async (id: string) => (await history(bob)).find((m) => m.id === id);

    await ok(adminRequest(admin, 'admin:user:deactivate', { userId: mallory.user.id }));

    expect((await authorOf(said.id))?.author).toEqual({ id: mallory.user.id, name: 'Mallory', deactivated: true });
    expect((await authorOf(reply.id))?.replyTo?.author).toEqual({ id: mallory.user.id, name: 'Mallory', deactivated: true });
    expect((await authorOf(reply.id))?.author).toEqual({ id: bob.user.id, name: 'Bob' });
    const sync = await ok(dmRequest<MessagePage>(bob.dm, 'dm:sync', { roomId: LOBBY_ROOM_ID, afterSeq: 0 }));
    expect(sync.messages.find((m) => m.id === said.id)?.author.deactivated).toBe(true);
    const removal = await ok(removeMessage(tab('Ada'), said.id));
    expect(removal.author).toEqual({ id: mallory.user.id, name: 'Mallory', deactivated: true });

    await ok(adminRequest(admin, 'admin:user:reactivate', { userId: mallory.user.id }));
    expect((await authorOf(said.id))?.author).toEqual({ id: mallory.user.id, name: 'Mallory' });
  });
});
