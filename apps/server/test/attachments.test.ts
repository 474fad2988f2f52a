import { LIMITS, LOBBY_ROOM_ID, dmRoomId as dmRoomOf, type AttachmentDto, type ConversationPage, type MessageDto, type MessagePage } from '@confab/shared';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { openPersistedMemoryStores } from '../src/store/memory/persistedMemoryStores.js';
import { createMemoryStores, type StartServerOptions, type Stores } from '../src/testing.js';
import { blobOf, missingFileId } from './support/attachmentUploads.js';
import { download, solidImage, uploaded } from './support/files.js';
import { eventually, request, roundTrip } from './support/client.js';
import { dmRequest, dmRoundTrip } from './support/dmClient.js';
import { freshTestStores } from './support/mongo.js';
import { createChannel, ok, openTab, roomList, streamOf, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Messages with files (issue #17, item 4) over real sockets and real HTTP (uploads through
// `POST /api/files`, downloads through `GET /api/files/:id`), on the memory store (files in a
// local folder) and on MongoDB (FerretDB here; files in GridFS).
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

const NOT_AN_UPLOAD = (index: number) => ({
  ok: false,
  error: { code: 'not_found', field: `attachments.${index}`, message: 'There is no such upload, or it is part of another message.' },
});

let sends = 0;
const clientId = () => `att-${(sends += 1)}-${Math.random().toString(36).slice(2, 8)}`;

describe.each(BACKENDS)('attachments (%s store)', (_kind, openBackend) => {
  async function world(config: StartServerOptions['config'] = {}) {
    const stores = await openBackend();
    openStores.push(stores);
    const server = await harness.start({ stores, config: { editWindowMs: null, ...config } });
    const seeded = {
      alice: await server.seedUser(`alice${Math.random().toString(36).slice(2, 8)}`),
      bob: await server.seedUser(`bob${Math.random().toString(36).slice(2, 8)}`),
      carol: await server.seedUser(`carol${Math.random().toString(36).slice(2, 8)}`),
    };
    const tab = (name: keyof typeof seeded) => openTab(server.url, seeded[name], opened);
    /** An upload over HTTP: a file of random bytes, or a PNG of this size. */
    const upload = async (owner: keyof typeof seeded = 'alice', options: { name?: string; image?: { width: number; height: number } } = {}) => {
      const bytes = options.image ? await solidImage(options.image.width, options.image.height, 'png') : randomBytes(100 + Math.floor(Math.random() * 100));
      return uploaded(server.url, seeded[owner].cookie, { bytes, name: options.name ?? (options.image ? 'picture.png' : 'notes.bin') });
    };
    /** What `who` gets for the file: the status, and the bytes when 200. */
    const fetchFile = async (who: keyof typeof seeded, id: string) => {
      const answer = await download(server.url, seeded[who].cookie, id);
      return answer.status === 200 ? answer.bytes : answer.status;
    };
    /** Every message of the room as stored, oldest first. */
    const stored = async (roomId = LOBBY_ROOM_ID) => (await stores.messages.since(roomId, { afterSeq: 0, limit: 1_000 })).messages;
    return { server, stores, tab, seeded, upload, fetchFile, stored };
  }

  /** What `tab` hears of `roomId` from now on: public rooms on /lobby, private ones on /dm. */
  function hears(tab: Tab, roomId: string, onLobby: boolean): MessageDto[] {
    const heard: MessageDto[] = [];
    if (onLobby) tab.lobby.on('message:new', (m: MessageDto) => m.roomId === roomId && heard.push(m));
    else tab.dm.on('dm:message', (m: MessageDto) => m.roomId === roomId && heard.push(m));
    return heard;
  }
  const quiet = (tab: Tab) => Promise.all([roundTrip(tab.lobby), dmRoundTrip(tab.dm)]);
  const lobbySend = (tab: Tab, payload: Record<string, unknown>) => request<MessageDto>(tab.lobby, 'message:send', { clientId: clientId(), ...payload });
  const ids = (files: AttachmentDto[]) => files.map((file) => file.id);

  it('a message with text and two files: the ack, what the others hear, history, sync and the room preview carry them in the order listed', async () => {
    const { stores, tab, upload, fetchFile } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const pdf = await upload('alice', { name: 'minutes.pdf' });
    const photo = await upload('alice', { name: 'whiteboard.png', image: { width: 1200, height: 800 } });
    // Only its uploader may fetch an upload no message has taken.
    expect(await fetchFile('bob', pdf.id)).toBe(404);
    await quiet(bob);
    const atBob = hears(bob, LOBBY_ROOM_ID, true);

    const sent = await ok(lobbySend(alice, { body: 'notes from today', attachments: [photo.id, pdf.id] }));

    expect(sent).toMatchObject({ body: 'notes from today', author: { id: alice.user.id } });
    expect(sent.attachments).toEqual([photo, pdf]);
    expect(photo).toMatchObject({ name: 'whiteboard.png', contentType: 'image/png', kind: 'image', width: 1200, height: 800, thumbnail: { width: expect.any(Number) } });
    await eventually(() => expect(atBob).toEqual([sent]));
    const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
    expect(history.messages.find((m) => m.id === sent.id)).toEqual(sent);
    const sync = await ok(request<MessagePage>(bob.dm, 'dm:sync', { roomId: LOBBY_ROOM_ID, afterSeq: sent.seq - 1 }));
    expect(sync.messages).toEqual([sent]);
    expect((await roomList(bob)).find((room) => room.room.id === LOBBY_ROOM_ID)!.lastMessage).toEqual(sent);
    for (const file of [photo, pdf]) {
      expect(await stores.files.claimOf(file.id)).toMatchObject({ authorId: alice.user.id, roomId: LOBBY_ROOM_ID, clientId: sent.clientId, messageId: sent.id });
    }
    // Now every member of the room may fetch it.
    expect(await fetchFile('bob', pdf.id)).toEqual(await fetchFile('alice', pdf.id));
    expect((await fetchFile('bob', pdf.id) as Buffer).length).toBe(pdf.size);
  });

  it('a message of files only has an empty body; no body and no files is refused', async () => {
    const { tab, upload, stored } = await world();
    const alice = await tab('alice');
    const file = await upload();
    const sent = await ok(lobbySend(alice, { attachments: [file.id] }));
    expect(sent).toMatchObject({ body: '', attachments: [file] });
    expect(await ok(lobbySend(alice, { body: '   ', attachments: [(await upload()).id] }))).toMatchObject({ body: '' });
    expect(await lobbySend(alice, { body: '' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
    expect(await lobbySend(alice, { body: '', attachments: [] })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
    expect((await stored()).filter((m) => m.author.id === alice.user.id)).toHaveLength(2);
  });

  it('a reply to a message of files only quotes their names and kinds, and quotes none once it is recalled', async () => {
    const { tab, upload } = await world();
    const alice = await tab('alice');
    const file = await upload('alice', { name: 'cat.png', image: { width: 40, height: 30 } });
    const original = await ok(lobbySend(alice, { attachments: [file.id] }));
    const reply = await ok(lobbySend(alice, { body: 'look', replyTo: original.id }));
    expect(reply.replyTo).toEqual({ messageId: original.id, seq: original.seq, author: original.author, excerpt: '', attachments: [{ name: 'cat.png', kind: 'image' }] });
    await ok(request(alice.lobby, 'message:recall', { id: original.id }));
    const page = await ok(request<MessagePage>(alice.lobby, 'message:history', { limit: 10 }));
    expect(page.messages.find((m) => m.id === reply.id)!.replyTo).toEqual({ messageId: original.id, seq: original.seq, author: original.author, excerpt: '', recalled: true });
  });

  it('too many files, one named twice or a malformed id is invalid_payload; nothing is stored or claimed', async () => {
    const { stores, tab, upload, stored } = await world();
    const alice = await tab('alice');
    const files = await Promise.all(Array.from({ length: LIMITS.attachmentsPerMessageMax + 1 }, () => upload()));
    const before = await stored();
    const refusals: [unknown, string][] = [
      [ids(files), 'attachments'],
      [[files[0]!.id, files[1]!.id, files[0]!.id], 'attachments'],
      [[files[0]!.id, files[0]!.id.toUpperCase()], 'attachments.1'],
      [[files[0]!.id, 'not-an-id'], 'attachments.1'],
      [[{ $ne: null }], 'attachments.0'],
      [[42], 'attachments.0'],
      [files[0]!.id, 'attachments'],
      [{ 0: files[0]!.id }, 'attachments'],
    ];
    for (const [attachments, field] of refusals) {
      expect(await lobbySend(alice, { body: 'with files', attachments }), JSON.stringify(attachments)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field } });
    }
    expect(await stored()).toEqual(before);
    for (const file of files) expect(await stores.files.claimOf(file.id)).toBeNull();
    // Ten is allowed.
    expect((await ok(lobbySend(alice, { body: 'ten', attachments: ids(files.slice(0, 10)) }))).attachments).toEqual(files.slice(0, 10));
  });

  it("someone else's upload, a missing id and a file already sent are refused alike at their index; nothing is stored, and the other files are free again", async () => {
    const { stores, tab, upload, stored } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const [first, second, bobs, used] = [await upload(), await upload(), await upload('bob'), await upload()];
    const earlier = await ok(lobbySend(alice, { body: 'already sent', attachments: [used.id] }));
    await quiet(bob);
    const atBob = hears(bob, LOBBY_ROOM_ID, true);
    const before = await stored();

    expect(await lobbySend(alice, { body: 'x', attachments: [first.id, bobs.id] })).toEqual(NOT_AN_UPLOAD(1));
    expect(await lobbySend(alice, { body: 'x', attachments: [first.id, second.id, missingFileId()] })).toEqual(NOT_AN_UPLOAD(2));
    expect(await lobbySend(alice, { body: 'x', attachments: [first.id, used.id, second.id] })).toEqual(NOT_AN_UPLOAD(1));
    expect(await dmRequest(alice.dm, 'dm:send', { to: bob.user.id, clientId: clientId(), body: 'x', attachments: [second.id, bobs.id] })).toEqual(NOT_AN_UPLOAD(1));

    await quiet(bob);
    expect(atBob).toEqual([]);
    expect(await stored()).toEqual(before);
    for (const file of [first, second, bobs]) expect(await stores.files.claimOf(file.id)).toBeNull();
    expect(await stores.files.claimOf(used.id)).toMatchObject({ messageId: earlier.id });
    expect((await ok(lobbySend(alice, { body: 'now', attachments: [first.id, second.id] }))).attachments).toEqual([first, second]);
    expect((await ok(lobbySend(bob, { body: 'mine', attachments: [bobs.id] }))).attachments).toEqual([bobs]);
  });

  it('a retried send (same clientId) acks the stored message again: one entry, one broadcast, the files still its own', async () => {
    const { stores, tab, upload, stored, seeded } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const files = [await upload(), await upload()];
    await quiet(bob);
    const atBob = hears(bob, LOBBY_ROOM_ID, true);
    const payload = { clientId: 'retried-send', body: 'once', attachments: ids(files) };

    const first = await ok(request<MessageDto>(alice.lobby, 'message:send', payload));
    const again = await ok(request<MessageDto>(alice.lobby, 'message:send', payload));
    const overDm = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { ...payload, roomId: LOBBY_ROOM_ID }));

    expect(again).toEqual(first);
    expect(overDm).toEqual(first);
    await quiet(bob);
    expect(atBob).toEqual([first]);
    expect((await stored()).filter((m) => m.clientId === 'retried-send')).toHaveLength(1);
    for (const file of files) expect(await stores.files.claimOf(file.id)).toMatchObject({ clientId: 'retried-send', messageId: first.id });

    // A first attempt that claimed its files and then failed (here: claims made by hand, one of
    // them for another room, as a reused clientId would leave): the retry takes them for its room.
    const [claimed, elsewhere] = [await upload(), await upload()];
    const at = new Date();
    await stores.files.claim({ fileId: claimed.id, authorId: seeded.alice.user.id, clientId: 'failed-once', roomId: LOBBY_ROOM_ID, at });
    await stores.files.claim({ fileId: elsewhere.id, authorId: seeded.alice.user.id, clientId: 'failed-once', roomId: 'c:'.padEnd(26, 'f'), at });
    const retried = await ok(request<MessageDto>(alice.lobby, 'message:send', { clientId: 'failed-once', body: 'second try', attachments: [claimed.id, elsewhere.id] }));
    expect(retried.attachments).toEqual([claimed, elsewhere]);
    for (const file of [claimed, elsewhere]) expect(await stores.files.claimOf(file.id)).toMatchObject({ roomId: LOBBY_ROOM_ID, messageId: retried.id });
    // The same clientId in another room is refused, and leaves the stored message's files as they are.
    const fresh = await upload();
    expect(await dmRequest(alice.dm, 'dm:send', { to: bob.user.id, clientId: 'failed-once', body: 'x', attachments: [claimed.id, fresh.id] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', field: 'clientId' },
    });
    expect(await stores.files.claimOf(claimed.id)).toMatchObject({ roomId: LOBBY_ROOM_ID, messageId: retried.id });
    expect(await stores.files.claimOf(fresh.id)).toBeNull();
  });

  it('a send stored whose answer was lost (the first attempt failed after the store took it, and gave its files back): the retry takes them again for the message', async () => {
    const { server, stores, tab, upload, fetchFile, seeded } = await world();
    const alice = await tab('alice');
    const file = await upload();
    // What that first attempt leaves: claimed, stored with the file, then released by the failure path.
    const at = new Date();
    const author = { id: seeded.alice.user.id, name: seeded.alice.user.displayName };
    await stores.files.claim({ fileId: file.id, authorId: author.id, clientId: 'lost-answer', roomId: LOBBY_ROOM_ID, at });
    const { message } = await stores.messages.append({ roomId: LOBBY_ROOM_ID, clientId: 'lost-answer', author, body: 'once', createdAt: at, attachments: [file] });
    await stores.files.releaseClaim(file.id, author.id, 'lost-answer');

    const retried = await ok(request<MessageDto>(alice.lobby, 'message:send', { clientId: 'lost-answer', body: 'once', attachments: [file.id] }));
    expect(retried).toMatchObject({ id: message.id, attachments: [file] });
    expect(await stores.files.claimOf(file.id)).toMatchObject({ clientId: 'lost-answer', roomId: LOBBY_ROOM_ID, messageId: message.id });
    expect(await fetchFile('bob', file.id)).toBeInstanceOf(Buffer);
    // A file of a stored message, so not the sweep's to remove.
    expect(await server.app.files.sweep(new Date(Date.now() + 2 * LIMITS.unattachedUploadTtlMs))).toBe(0);
    expect(await fetchFile('bob', file.id)).toBeInstanceOf(Buffer);
  });

  it('two attempts of one send at once, one of them refused by the rate limit: the message stored keeps its files', async () => {
    const { stores, tab, upload, fetchFile } = await world({ rateLimits: { messages: { points: 1, durationSeconds: 600 } } });
    const [alice] = [await tab('alice'), await tab('bob')];
    const files = [await upload(), await upload()];
    const payload = { roomId: LOBBY_ROOM_ID, clientId: 'sent-twice', body: 'twice at once', attachments: ids(files) };
    const answers = await Promise.all([request<MessageDto>(alice.lobby, 'message:send', payload), dmRequest<MessageDto>(alice.dm, 'dm:send', payload)]);
    expect(answers.map((a) => (a.ok ? 'ok' : a.error.code)).sort()).toEqual(['ok', 'rate_limited']);
    const sent = (answers.find((a) => a.ok) as { data: MessageDto }).data;
    for (const file of files) {
      expect(await stores.files.claimOf(file.id)).toMatchObject({ clientId: 'sent-twice', messageId: sent.id });
      expect(await fetchFile('bob', file.id)).toBeInstanceOf(Buffer);
    }
  });

  it('two sends racing for one upload: exactly one has it', async () => {
    const { stores, tab, upload, stored } = await world();
    const alice = await tab('alice');
    for (let round = 0; round < 5; round += 1) {
      const file = await upload();
      const results = await Promise.all([
        lobbySend(alice, { body: `lobby ${round}`, attachments: [file.id] }),
        dmRequest<MessageDto>(alice.dm, 'dm:send', { roomId: LOBBY_ROOM_ID, clientId: clientId(), body: `dm ${round}`, attachments: [file.id] }),
      ]);
      const winners = results.filter((r) => r.ok);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(results.filter((r) => !r.ok), `round ${round}`).toEqual([NOT_AN_UPLOAD(0)]);
      const winner = (winners[0] as { data: MessageDto }).data;
      expect((await stored()).filter((m) => m.attachments?.some((a) => a.id === file.id)).map((m) => m.id)).toEqual([winner.id]);
      expect(await stores.files.claimOf(file.id)).toMatchObject({ clientId: winner.clientId, messageId: winner.id });
    }
  });

  it('a send refused by the rate limit, a bad reply or a room the sender is not in claims nothing', async () => {
    const { stores, tab, upload, stored } = await world({ rateLimits: { messages: { points: 1, durationSeconds: 600 } } });
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const secret = await createChannel(bob, `secret${Date.now()}`, { isPrivate: true });
    const file = await upload();
    const attachments = [file.id];
    expect(await lobbySend(alice, { body: 'x', attachments, replyTo: 'a'.repeat(24) })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'replyTo' } });
    expect(await dmRequest(alice.dm, 'dm:send', { roomId: secret, clientId: clientId(), body: 'x', attachments })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await stores.files.claimOf(file.id)).toBeNull();
    const spent = await ok(lobbySend(alice, { body: 'the one message allowed' }));
    const before = await stored();
    expect(await lobbySend(alice, { body: 'x', attachments })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await dmRequest(alice.dm, 'dm:send', { to: bob.user.id, clientId: clientId(), body: 'x', attachments })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await stores.files.claimOf(file.id)).toBeNull();
    expect(await stored()).toEqual(before);
    expect(before.at(-1)!.id).toBe(spent.id);
  });

  it('a recall the store fails halfway through, retried, still removes the files', async () => {
    const { stores, tab, upload } = await world();
    const alice = await tab('alice');
    const [first, second] = [await upload('alice', { name: 'a.pdf' }), await upload('alice', { name: 'b.pdf' })];
    const sent = await ok(lobbySend(alice, { attachments: [first.id, second.id] }));
    // The store fails once, while the recall deletes the second file.
    const files = stores.files;
    const remove = files.delete.bind(files);
    let failures = 0;
    files.delete = async (id) => {
      if (id === second.id && failures++ === 0) throw new Error('the store failed');
      return remove(id);
    };
    expect(await request(alice.lobby, 'message:recall', { id: sent.id })).toMatchObject({ ok: false, error: { code: 'internal' } });
    await ok(request<MessageDto>(alice.lobby, 'message:recall', { id: sent.id }));
    for (const file of [first, second]) expect(await files.find(file.id)).toBeNull();
    expect(await files.usage(alice.user.id)).toBe(0);
  });

  it('a recall removes the files: the tombstone, history and sync carry none, and the bytes, record and claim are gone', async () => {
    const { stores, tab, upload, fetchFile } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const pdf = await upload('alice', { name: 'plan.pdf' });
    const photo = await upload('alice', { image: { width: 300, height: 200 } });
    const sent = await ok(lobbySend(alice, { body: 'oops, wrong room', attachments: [pdf.id, photo.id] }));
    expect(await blobOf(stores.files, photo.id, 'thumbnail')).not.toBeNull();
    expect(await fetchFile('bob', pdf.id)).toBeInstanceOf(Buffer);
    await quiet(bob);
    const atBob = hears(bob, LOBBY_ROOM_ID, true);

    const entry = await ok(request<MessageDto>(alice.lobby, 'message:recall', { id: sent.id }));

    expect(entry).toMatchObject({ body: '', recall: { messageId: sent.id, seq: sent.seq } });
    expect(entry).not.toHaveProperty('attachments');
    await eventually(() => expect(atBob).toEqual([entry]));
    const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
    const tombstone = history.messages.find((m) => m.id === sent.id)!;
    expect(tombstone).toMatchObject({ body: '', recalledAt: expect.any(String) });
    expect(tombstone).not.toHaveProperty('attachments');
    expect(JSON.stringify(await ok(request(bob.lobby, 'message:sync', { afterSeq: 0 })))).not.toContain(pdf.id);
    expect(await stores.messages.findById(sent.id)).not.toHaveProperty('attachments');
    for (const file of [pdf, photo]) {
      expect([await fetchFile('bob', file.id), await fetchFile('alice', file.id)]).toEqual([404, 404]);
      expect(await stores.files.find(file.id)).toBeNull();
      expect(await stores.files.claimOf(file.id)).toBeNull();
      expect(await blobOf(stores.files, file.id)).toBeNull();
    }
    expect(await blobOf(stores.files, photo.id, 'thumbnail')).toBeNull();
    // Again: the same entry, nothing new.
    expect(await ok(request<MessageDto>(alice.lobby, 'message:recall', { id: sent.id }))).toEqual(entry);
    await quiet(bob);
    expect(atBob).toEqual([entry]);
  });

  it('in a DM and in a private channel: the other member hears the files, the conversation preview shows them, a recall removes them', async () => {
    const { stores, tab, upload, fetchFile } = await world();
    const [alice, bob, carol] = [await tab('alice'), await tab('bob'), await tab('carol')];
    const channel = await createChannel(alice, `private${Date.now()}`, { isPrivate: true });
    await ok(dmRequest(alice.dm, 'room:invite', { roomId: channel, userIds: [bob.user.id] }));
    const [forDm, forChannel] = [await upload('alice', { name: 'contract.pdf' }), await upload('alice', { image: { width: 40, height: 30 } })];
    await quiet(bob);
    const dmRoomId = dmRoomOf(alice.user.id, bob.user.id);
    const [inDm, inChannel] = [hears(bob, dmRoomId, false), hears(bob, channel, false)];
    const atCarol = hears(carol, channel, false);

    const direct = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { to: bob.user.id, clientId: clientId(), body: 'sign here', attachments: [forDm.id] }));
    const posted = await ok(dmRequest<MessageDto>(alice.dm, 'dm:send', { roomId: channel, clientId: clientId(), attachments: [forChannel.id] }));

    expect(direct.attachments).toEqual([forDm]);
    expect(posted).toMatchObject({ body: '', attachments: [forChannel] });
    await eventually(() => expect([inDm, inChannel]).toEqual([[direct], [posted]]));
    const conversations = await ok(dmRequest<ConversationPage>(bob.dm, 'dm:conversations', {}));
    expect(conversations.conversations.find((c) => c.roomId === dmRoomId)!.lastMessage).toEqual(direct);
    expect((await streamOf(bob, channel)).at(-1)).toEqual(posted);
    expect(await stores.files.claimOf(forChannel.id)).toMatchObject({ roomId: channel, messageId: posted.id });
    for (const file of [forDm, forChannel]) expect([await fetchFile('bob', file.id) instanceof Buffer, await fetchFile('carol', file.id)]).toEqual([true, 404]);

    for (const message of [direct, posted]) await ok(dmRequest(alice.dm, 'message:recall', { id: message.id }));
    expect(JSON.stringify([await streamOf(bob, dmRoomId), await streamOf(bob, channel)])).not.toContain('attachments');
    for (const file of [forDm, forChannel]) {
      expect(await fetchFile('bob', file.id)).toBe(404);
      expect(await stores.files.find(file.id)).toBeNull();
      expect(await blobOf(stores.files, file.id)).toBeNull();
    }
    await quiet(carol);
    expect(atCarol).toEqual([]);
  });

  it('edits keep the files; a message of files only can be given text, never emptied', async () => {
    const { tab, upload } = await world();
    const [alice, bob] = [await tab('alice'), await tab('bob')];
    const file = await upload();
    const sent = await ok(lobbySend(alice, { attachments: [file.id] }));
    const edit = await ok(request<MessageDto>(alice.lobby, 'message:edit', { id: sent.id, body: 'the signed copy' }));
    expect(edit.change).toMatchObject({ type: 'edit', messageId: sent.id, state: { body: 'the signed copy' } });
    expect(await request(alice.lobby, 'message:edit', { id: sent.id, body: '' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
    const history = await ok(request<MessagePage>(bob.lobby, 'message:history', { limit: 10 }));
    expect(history.messages.find((m) => m.id === sent.id)).toMatchObject({ body: 'the signed copy', editedAt: expect.any(String), attachments: [file] });
  });
});

describe('the embedded store file', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'confab-attachments-file-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const logger = createLogger({ level: 'silent', pretty: false });
  const author = { id: 'a'.repeat(24), name: 'Alice' };
  const pdf: AttachmentDto = { id: '1'.repeat(24), name: 'plan.pdf', contentType: 'application/pdf', size: 10, kind: 'file' };
  const photo: AttachmentDto = { id: '2'.repeat(24), name: 'cat.png', contentType: 'image/png', size: 20, kind: 'image', width: 30, height: 40, thumbnail: { width: 15, height: 20 } };
  let count = 0;
  const freshFile = () => join(root, String((count += 1)), 'store.json');

  it('keeps messages with files as they were, and a recalled one without them', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    const append = (clientId: string, attachments: AttachmentDto[]) =>
      stores.messages.append({ roomId: LOBBY_ROOM_ID, clientId, author, body: '', createdAt: new Date(), attachments }).then((r) => r.message);
    const kept = await append('kept', [photo, pdf]);
    const recalled = await append('recalled', [pdf]);
    await stores.messages.erase(recalled.id, new Date());
    await stores.close();
    expect(readFileSync(file, 'utf8')).toContain('cat.png');

    const reopened = await openPersistedMemoryStores(file, { logger });
    expect(await reopened.messages.findById(kept.id)).toEqual({ ...kept, attachments: [photo, pdf] });
    expect(await reopened.messages.findById(recalled.id)).not.toHaveProperty('attachments');
    await reopened.close();
  });

  it('refuses a file whose attachment is malformed, naming it, and leaves the file as it is', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    await stores.messages.append({ roomId: LOBBY_ROOM_ID, clientId: 'c', author, body: '', createdAt: new Date(), attachments: [pdf] });
    await stores.close();
    const text = readFileSync(file, 'utf8').replace('"kind":"file"', '"kind":"script"');
    writeFileSync(file, text);
    await expect(openPersistedMemoryStores(file, { logger })).rejects.toThrow(/messages\.0\.attachments\.0\.kind/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
