// The attack suite of docs/security.md, against real servers: two instances sharing one memory
// store and one redis-server, real socket.io-client sockets, no mocks. Mallory attacks; Alice and
// Bob are the victims and witnesses. Every case checks the exact refusal, then (expectNoEffect)
// that nothing was stored or broadcast and that Alice and Bob can still chat across instances.
// Covered: forged and expired sessions, other pairs' DM rooms, other users' uploads named in a
// send, impersonation, recall abuse, operator objects and wrong types, malformed text and
// oversized frames, floods across instances, password guessing, sign-out with sockets on both
// instances, refusals that must change nothing (conversation order, unread counts, read marks,
// presence, rate-limit points), many sockets on one Engine.IO connection, and protocol abuse.
import { LIMITS, dmRoomId, type MessageDto } from '@confab/shared';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import {
  NOT_A_PARTICIPANT,
  SECRET,
  ask,
  connect,
  createWorld,
  disconnection,
  invalid,
  malloryOffline,
  openSocket,
  outcome,
  pollingSession,
  refusal,
  refusedOnOpenConnection,
  succeeded,
  sync,
  visibleState,
  type VisibleState,
  type World,
} from './support/attack.js';
import { SECOND_SOCKET_REFUSAL } from '../src/realtime/oneSocketPerNamespace.js';
import { missingFileId } from './support/attachmentUploads.js';
import { uploaded } from './support/files.js';
import { eventually, postJson, sessionCookieFrom, type TestUser } from './support/client.js';
import { useRedisServer } from './support/redisServer.js';
import { useServer } from './support/server.js';

const harness = useServer();
const redis = useRedisServer();
const world = (config: Parameters<typeof createWorld>[2] = {}) => createWorld(harness, redis, config);

const PASSWORD = 'correct horse battery';
const tokenOf = (cookie: string) => cookie.slice('confab_session='.length);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('handshakes without a valid session', () => {
  const cookies: [string, (w: World) => Promise<string | undefined>][] = [
    ['no cookie', async () => undefined],
    [
      'an expired session',
      async (w) => {
        // Signed in 61 s ago with a 60 s lifetime; Alice's and Bob's sessions stay good.
        w.clock.offsetMs = -61_000;
        const res = await postJson(w.a.url, '/api/auth/login', { username: w.mallory.user.username, password: PASSWORD });
        w.clock.offsetMs = 0;
        return sessionCookieFrom(res.headers);
      },
    ],
    [
      'a flipped character in the signature',
      async (w) => {
        const [header, payload, signature] = tokenOf(w.mallory.cookie).split('.') as [string, string, string];
        const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
        return `confab_session=${header}.${payload}.${flipped}`;
      },
    ],
    [
      "a payload naming Alice under Mallory's signature",
      async (w) => {
        const token = tokenOf(w.mallory.cookie);
        const [header, , signature] = token.split('.');
        return `confab_session=${header}.${b64({ ...claimsOf(token), sub: w.alice.user.id })}.${signature}`;
      },
    ],
    [
      'a token naming Alice signed with another secret',
      async (w) => {
        const { sid } = claimsOf(tokenOf(w.mallory.cookie));
        const token = await new SignJWT({ sid })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(w.alice.user.id)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(`not-${SECRET}`));
        return `confab_session=${token}`;
      },
    ],
    [
      'an unsigned (alg: none) token naming Alice',
      async (w) => `confab_session=${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claimsOf(tokenOf(w.mallory.cookie)), sub: w.alice.user.id })}.`,
    ],
  ];

  it.each(cookies)('with %s: unauthorized on /lobby and /dm, and the refused socket cannot slip an event in', async (_name, cookieFor) => {
    const w = await world({ config: { sessionTtlMs: 60_000 } });
    const cookie = await cookieFor(w);
    const sneaks = [
      [w.a.url, '/lobby', ['message:send', { clientId: 'sneak', body: 'let me in' }]],
      [w.b.url, '/dm', ['dm:send', { to: w.bob.user.id, clientId: 'sneak', body: 'let me in' }]],
    ] as const;
    for (const [url, nsp, event] of sneaks) {
      const attempt = await refusedOnOpenConnection(url, nsp, cookie ? { cookie } : {});
      expect(attempt.error.data, nsp).toEqual({ code: 'unauthorized', message: 'Sign in first.' });
      // The server answers a packet for a namespace the connection is not in by closing it.
      expect(await attempt.sneak([...event]), nsp).toBe('transport close');
    }
    await w.expectNoEffect();
  });
});

describe("another pair's DM room", () => {
  const readMarks = async (w: World) =>
    Promise.all([w.alice, w.bob, w.mallory].map((u) => w.stores.conversations.readSeq(w.pairRoom, u.user.id)));
  const attempts: [string, '/dm' | '/lobby', string, (w: World) => unknown, unknown][] = [
    ['reads its history', '/dm', 'dm:history', (w) => ({ roomId: w.pairRoom }), NOT_A_PARTICIPANT],
    ['catches up on it', '/dm', 'dm:sync', (w) => ({ roomId: w.pairRoom, afterSeq: 0 }), NOT_A_PARTICIPANT],
    ['marks it read', '/dm', 'dm:read', (w) => ({ roomId: w.pairRoom, seq: 1 }), NOT_A_PARTICIPANT],
    ['types into it', '/dm', 'typing:start', (w) => ({ roomId: w.pairRoom }), NOT_A_PARTICIPANT],
    ['stops typing in it', '/dm', 'typing:stop', (w) => ({ roomId: w.pairRoom }), NOT_A_PARTICIPANT],
    ["reads Alice's notes to self", '/dm', 'dm:history', (w) => ({ roomId: dmRoomId(w.alice.user.id, w.alice.user.id) }), NOT_A_PARTICIPANT],
    ['reads a room of users that do not exist (same answer)', '/dm', 'dm:sync', () => ({ roomId: dmRoomId('0'.repeat(24), 'f'.repeat(24)), afterSeq: 0 }), NOT_A_PARTICIPANT],
    ['recalls a message in it', '/dm', 'message:recall', (w) => ({ id: w.pairMessages[0]!.id }), { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ['recalls it through /lobby', '/lobby', 'message:recall', (w) => ({ id: w.pairMessages[0]!.id }), { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ['edits a message in it', '/dm', 'message:edit', (w) => ({ id: w.pairMessages[0]!.id, body: 'changed' }), { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ['edits it through /lobby', '/lobby', 'message:edit', (w) => ({ id: w.pairMessages[0]!.id, body: 'changed' }), { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ['reacts to a message in it', '/dm', 'reaction:add', (w) => ({ id: w.pairMessages[0]!.id, emoji: '👍' }), { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ['takes back a reaction in it through /lobby', '/lobby', 'reaction:remove', (w) => ({ id: w.pairMessages[0]!.id, emoji: '👍' }), { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ['replies to a message in it from the lobby', '/lobby', 'message:send', (w) => ({ clientId: 'sneak-reply', body: 'hi', replyTo: w.pairMessages[0]!.id }), { ok: false, error: { code: 'not_found', field: 'replyTo', message: 'The message you reply to does not exist in this room or was recalled.' } }],
    ['marks it delivered', '/dm', 'dm:delivered', (w) => ({ roomId: w.pairRoom, seq: 1 }), NOT_A_PARTICIPANT],
    ['reads its read marks', '/dm', 'room:reads', (w) => ({ roomId: w.pairRoom }), NOT_A_PARTICIPANT],
    ['names it with the ids reversed', '/dm', 'dm:sync', (w) => ({ roomId: `dm:${[w.alice.user.id, w.bob.user.id].sort().reverse().join(':')}`, afterSeq: 0 }), invalid('roomId')],
    ['names it in upper case', '/dm', 'dm:read', (w) => ({ roomId: w.pairRoom.toUpperCase(), seq: 1 }), invalid('roomId')],
  ];

  it.each(attempts)('an outsider who %s is refused and changes nothing', async (_name, nsp, event, payload, expected) => {
    const w = await world();
    const before = await readMarks(w);
    expect(await ask(nsp === '/dm' ? w.malloryDm : w.malloryLobby, event, payload(w))).toEqual(expected);
    expect(await readMarks(w)).toEqual(before);
    await w.expectNoEffect();
  });
});

describe("another pair's private channel", () => {
  const NO_SUCH_CHANNEL = 'c:0123456789abcdef01234567';
  const operations: [string, '/dm' | '/lobby', string, (roomId: string, w: World) => unknown][] = [
    ['reads its history', '/dm', 'dm:history', (roomId) => ({ roomId })],
    ['reads its history through /lobby', '/lobby', 'message:history', (roomId) => ({ roomId })],
    ['catches up on it', '/dm', 'dm:sync', (roomId) => ({ roomId, afterSeq: 0 })],
    ['catches up on it through /lobby', '/lobby', 'message:sync', (roomId) => ({ roomId, afterSeq: 0 })],
    ['sends into it', '/dm', 'dm:send', (roomId) => ({ roomId, clientId: 'sneak-private', body: 'let me in' })],
    ['sends into it through /lobby', '/lobby', 'message:send', (roomId) => ({ roomId, clientId: 'sneak-private-lobby', body: 'let me in' })],
    ['marks it read', '/dm', 'dm:read', (roomId) => ({ roomId, seq: 1 })],
    ['types into it', '/dm', 'typing:start', (roomId) => ({ roomId })],
    ['types into it through /lobby', '/lobby', 'typing:start', (roomId) => ({ roomId })],
    ['joins it', '/dm', 'room:join', (roomId) => ({ roomId })],
    ['leaves it', '/dm', 'room:leave', (roomId) => ({ roomId })],
    ['invites herself', '/dm', 'room:invite', (roomId, w) => ({ roomId, userIds: [w.mallory.user.id] })],
    ['removes Bob', '/dm', 'room:remove', (roomId, w) => ({ roomId, userId: w.bob.user.id })],
    ['renames it', '/dm', 'channel:edit', (roomId) => ({ roomId, name: 'mallorys' })],
    ['sets its topic', '/dm', 'channel:edit', (roomId) => ({ roomId, topic: 'owned' })],
    ['lists its members', '/dm', 'room:members', (roomId) => ({ roomId })],
    ['reads its read marks', '/dm', 'room:reads', (roomId) => ({ roomId })],
    ['marks it delivered', '/dm', 'dm:delivered', (roomId) => ({ roomId, seq: 1 })],
  ];

  it.each(operations)('an outsider who %s is refused exactly as for a channel that does not exist, and changes nothing', async (_name, nsp, event, payload) => {
    const w = await world();
    const socket = nsp === '/dm' ? w.malloryDm : w.malloryLobby;
    expect(await ask(socket, event, payload(w.privateRoom, w))).toEqual(NOT_A_PARTICIPANT);
    expect(await ask(socket, event, payload(NO_SUCH_CHANNEL, w))).toEqual(NOT_A_PARTICIPANT);
    await w.expectNoEffect();
  });

  it('an outsider cannot recall, edit or react to a message in it, on either namespace, and it never shows in her browse or list', async () => {
    const w = await world();
    const message = w.privateMessages.find((m) => !m.event)!;
    for (const socket of [w.malloryDm, w.malloryLobby]) {
      expect(await ask(socket, 'message:recall', { id: message.id })).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such message.' } });
      expect(await ask(socket, 'message:edit', { id: message.id, body: 'mine now' })).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such message.' } });
      expect(await ask(socket, 'reaction:add', { id: message.id, emoji: '😈' })).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such message.' } });
    }
    const listed = succeeded(await ask<{ rooms: { room: { id: string } }[] }>(w.malloryDm, 'room:list', {})).rooms.map((r) => r.room.id);
    expect(listed).not.toContain(w.privateRoom);
    expect(JSON.stringify(succeeded(await ask(w.malloryDm, 'channel:browse', { query: 'alice' })))).not.toContain(w.privateRoom);
    await w.expectNoEffect();
  });
});

describe("someone else's uploads", () => {
  it("an outsider naming Alice's upload gets exactly the answer for an id no upload has, and nothing changes", async () => {
    const w = await world();
    const upload = (who: TestUser, name: string) => uploaded(w.a.url, who.cookie, { bytes: randomBytes(256), name });
    const [unsent, inPrivate, mallorys] = [await upload(w.alice, 'draft.pdf'), await upload(w.alice, 'plans.pdf'), await upload(w.mallory, 'bait.bin')];
    const shown = succeeded(await ask<MessageDto>(w.aliceDm, 'dm:send', { roomId: w.privateRoom, clientId: 'private-file', body: 'the plans', attachments: [inPrivate.id] }));
    w.privateMessages.push(shown);
    await w.rebaseline();
    w.heard.length = 0; // what Alice's send broadcast
    const claimsBefore = await Promise.all([unsent, inPrivate, mallorys].map((file) => w.stores.files.claimOf(file.id)));

    const sends: [Socket, string, Record<string, unknown>][] = [
      [w.malloryLobby, 'message:send', { body: 'mine now' }],
      [w.malloryDm, 'dm:send', { to: w.mallory.user.id, body: 'mine now' }],
      [w.malloryDm, 'dm:send', { to: w.alice.user.id, body: 'mine now' }],
    ];
    let attempts = 0;
    for (const [socket, event, payload] of sends) {
      const answer = (fileIds: string[]) => ask(socket, event, { ...payload, clientId: `steal-${(attempts += 1)}`, attachments: fileIds });
      const missing = await answer([mallorys.id, missingFileId()]);
      expect(missing).toEqual({ ok: false, error: { code: 'not_found', field: 'attachments.1', message: expect.any(String) } });
      expect(await answer([mallorys.id, unsent.id])).toEqual(missing);
      expect(await answer([mallorys.id, inPrivate.id])).toEqual(missing);
    }

    expect(await Promise.all([unsent, inPrivate, mallorys].map((file) => w.stores.files.claimOf(file.id)))).toEqual(claimsBefore);
    expect(claimsBefore[2]).toBeNull();
    await w.expectNoEffect();
  });
});

describe('naming another user as the author', () => {
  it.each(['author', 'authorId', 'from', 'userId', 'sender'])('an extra %s key is invalid_payload in message:send and dm:send', async (key) => {
    const w = await world();
    const alice = key === 'author' ? { id: w.alice.user.id, name: 'Alice' } : w.alice.user.id;
    const lobby = await ask(w.malloryLobby, 'message:send', { clientId: 'spoof', body: 'I am Alice', [key]: alice });
    const dm = await ask(w.malloryDm, 'dm:send', { to: w.bob.user.id, clientId: 'spoof-dm', body: 'I am Alice', [key]: alice });
    for (const res of [lobby, dm]) expect(res).toEqual({ ok: false, error: { code: 'invalid_payload', field: '', message: `Unrecognized key: "${key}"` } });
    await w.expectNoEffect();
  });

  it("a normal send is stored and delivered with the socket's own user as author", async () => {
    const w = await world();
    const mallory = { id: w.mallory.user.id, name: 'Mallory' };
    const inLobby = succeeded(await ask<MessageDto>(w.malloryLobby, 'message:send', { clientId: 'mine', body: 'from Mallory' }));
    const inDm = succeeded(await ask<MessageDto>(w.malloryDm, 'dm:send', { to: w.alice.user.id, clientId: 'mine-dm', body: 'hi Alice' }));
    expect([inLobby.author, inDm.author]).toEqual([mallory, mallory]);
    expect((await sync(w.bobLobby)).at(-1)).toEqual(inLobby);
    expect(await sync(w.aliceDm, dmRoomId(w.alice.user.id, w.mallory.user.id))).toEqual([inDm]);
    expect((await w.stores.messages.findById(inDm.id))?.author).toEqual(mallory);
  });
});

describe('edit', () => {
  it("of someone else's message is forbidden, in the lobby and in a DM, and the body stays", async () => {
    const w = await world();
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'Only the author can edit a message.' } };
    expect(await ask(w.malloryLobby, 'message:edit', { id: w.lobbyMessages[0]!.id, body: 'defaced' })).toEqual(forbidden);
    expect(await ask(w.bobDm, 'message:edit', { id: w.pairMessages[0]!.id, body: 'defaced' })).toEqual(forbidden);
    expect((await w.stores.messages.findById(w.pairMessages[0]!.id))?.body).toBe('secret for Bob');
    await w.expectNoEffect();
  });

  it('of a room event entry or a recall entry is not_found', async () => {
    const w = await world();
    const event = w.privateMessages.find((m) => m.event)!;
    expect(await ask(w.aliceDm, 'message:edit', { id: event.id, body: 'rewritten history' })).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such message.' } });
    expect(await ask(w.aliceDm, 'reaction:add', { id: event.id, emoji: '👍' })).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such message.' } });
    await w.expectNoEffect();
  });
});

describe('recall', () => {
  it("of someone else's message is forbidden, in the lobby and in a DM, and the body stays", async () => {
    const w = await world();
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'Only the author can recall a message.' } };
    expect(await ask(w.malloryLobby, 'message:recall', { id: w.lobbyMessages[0]!.id })).toEqual(forbidden);
    expect(await ask(w.bobDm, 'message:recall', { id: w.pairMessages[0]!.id })).toEqual(forbidden);
    expect((await w.stores.messages.findById(w.pairMessages[0]!.id))?.body).toBe('secret for Bob');
    await w.expectNoEffect();
  });

  it('after the window is recall_window_expired, and the body stays', async () => {
    const w = await world({ config: { recallWindowMs: 60_000 } });
    w.clock.offsetMs = 60_001;
    for (const [socket, id] of [[w.aliceLobby, w.lobbyMessages[0]!.id], [w.aliceDm, w.pairMessages[0]!.id]] as const) {
      expect(await ask(socket, 'message:recall', { id })).toEqual({
        ok: false,
        error: { code: 'recall_window_expired', message: 'Messages can only be recalled within 1 minute of sending.' },
      });
    }
    expect((await w.stores.messages.findById(w.lobbyMessages[0]!.id))?.body).toBe('hello lobby');
    await w.expectNoEffect();
  });
});

describe('operator objects and arrays where a string or id belongs', () => {
  const cases: ['/lobby' | '/dm', string, string, string, (w: World) => unknown][] = [
    ['/lobby', 'message:send', 'body', '{ $gt }', () => ({ clientId: 'op', body: { $gt: '' } })],
    ['/lobby', 'message:send', 'clientId', '{ $ne }', () => ({ clientId: { $ne: null }, body: 'hi' })],
    ['/lobby', 'message:send', 'clientId', 'an array', () => ({ clientId: ['op'], body: 'hi' })],
    ['/lobby', 'message:history', 'beforeSeq', '{ $gt }', () => ({ beforeSeq: { $gt: 0 } })],
    ['/lobby', 'message:sync', 'afterSeq', '{ $gt }', () => ({ afterSeq: { $gt: 0 } })],
    ['/lobby', 'message:sync', 'afterSeq', 'an array', () => ({ afterSeq: [0] })],
    ['/lobby', 'message:recall', 'id', '{ $ne }', () => ({ id: { $ne: null } })],
    ['/lobby', 'message:recall', 'id', 'an array', (w) => ({ id: [w.lobbyMessages[0]!.id] })],
    ['/dm', 'dm:send', 'to', '{ $ne }', () => ({ to: { $ne: null }, clientId: 'op', body: 'hi' })],
    ['/dm', 'dm:send', 'to', 'an array', (w) => ({ to: [w.bob.user.id], clientId: 'op', body: 'hi' })],
    ['/dm', 'dm:send', 'body', '{ $gt }', (w) => ({ to: w.bob.user.id, clientId: 'op', body: { $gt: '' } })],
    ['/dm', 'dm:history', 'roomId', '{ $gt }', () => ({ roomId: { $gt: '' } })],
    ['/dm', 'dm:history', 'beforeSeq', '{ $gt }', (w) => ({ roomId: w.pairRoom, beforeSeq: { $gt: 0 } })],
    ['/dm', 'dm:sync', 'roomId', 'an array', (w) => ({ roomId: [w.pairRoom], afterSeq: 0 })],
    ['/dm', 'dm:sync', 'afterSeq', '{ $gt }', (w) => ({ roomId: w.pairRoom, afterSeq: { $gt: 0 } })],
    ['/dm', 'dm:read', 'roomId', '{ $ne }', () => ({ roomId: { $ne: null }, seq: 1 })],
    ['/dm', 'typing:start', 'roomId', '{ $regex }', () => ({ roomId: { $regex: '.*' } })],
    ['/dm', 'message:recall', 'id', '{ $in }', (w) => ({ id: { $in: [w.pairMessages[0]!.id] } })],
    ['/dm', 'message:edit', 'id', '{ $ne }', () => ({ id: { $ne: null }, body: 'x' })],
    ['/lobby', 'message:edit', 'body', '{ $gt }', (w) => ({ id: w.lobbyMessages[0]!.id, body: { $gt: '' } })],
    ['/lobby', 'reaction:add', 'emoji', '{ $ne }', (w) => ({ id: w.lobbyMessages[0]!.id, emoji: { $ne: null } })],
    ['/dm', 'reaction:remove', 'id', 'an array', (w) => ({ id: [w.pairMessages[0]!.id], emoji: '👍' })],
    ['/lobby', 'message:send', 'replyTo', '{ $gt }', () => ({ clientId: 'op', body: 'hi', replyTo: { $gt: '' } })],
    ['/dm', 'dm:delivered', 'roomId', '{ $ne }', () => ({ roomId: { $ne: null }, seq: 1 })],
    ['/dm', 'dm:delivered', 'seq', '{ $gt }', (w) => ({ roomId: w.pairRoom, seq: { $gt: 0 } })],
    ['/dm', 'room:reads', 'roomId', 'an array', (w) => ({ roomId: [w.privateRoom] })],
    ['/dm', 'dm:open', 'username', '{ $gt }', () => ({ username: { $gt: '' } })],
    ['/dm', 'dm:open', 'username', 'an array', (w) => ({ username: [w.alice.user.username] })],
    ['/dm', 'user:search', 'query', '{ $regex }', () => ({ query: { $regex: '.*' } })],
    ['/dm', 'user:search', 'query', 'an array', () => ({ query: [''] })],
  ];

  it.each(cases)('%s %s: %s as %s is invalid_payload', async (nsp, event, field, _shape, payload) => {
    const w = await world();
    expect(await ask(nsp === '/dm' ? w.malloryDm : w.malloryLobby, event, payload(w))).toEqual(invalid(field));
    await w.expectNoEffect();
  });

  it.each<[string, (name: string) => unknown, string]>([
    ['{ username: { $gt: "" } }', () => ({ username: { $gt: '' }, password: PASSWORD }), 'username'],
    ['{ username: { $ne: null }, password: { $ne: null } }', () => ({ username: { $ne: null }, password: { $ne: null } }), 'username'],
    ['{ username: [name] }', (name) => ({ username: [name], password: PASSWORD }), 'username'],
    ['{ password: { $ne: null } }', (name) => ({ username: name, password: { $ne: null } }), 'password'],
    ['{ password: [password] }', (name) => ({ username: name, password: [PASSWORD] }), 'password'],
  ])('HTTP sign-in with %s is a 400 and signs nobody in', async (_name, body, field) => {
    const w = await world();
    const res = await postJson(w.b.url, '/api/auth/login', body(w.alice.user.username));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_payload', field, message: expect.any(String) } });
    expect(res.headers.getSetCookie()).toEqual([]);
    await w.expectNoEffect();
  });
});

describe('malformed messages', () => {
  const rows: [string, Record<string, unknown>, string][] = [
    ['a body that is an object', { body: { text: 'hi' } }, 'body'],
    ['a body that is an array', { body: ['hi'] }, 'body'],
    ['a body that is a number', { body: 42 }, 'body'],
    ['a null body', { body: null }, 'body'],
    ['an extra key', { isAdmin: true }, ''],
    ['an own __proto__ key', JSON.parse('{"__proto__":{"isAdmin":true}}') as Record<string, unknown>, ''],
    ['a constructor key', JSON.parse('{"constructor":{"prototype":{"isAdmin":true}}}') as Record<string, unknown>, ''],
    ['an empty body', { body: '' }, 'body'],
    ['a whitespace-only body', { body: ' \r\n\t\u00a0\u3000\ufeff ' }, 'body'],
    ['a body one over the limit', { body: 'x'.repeat(LIMITS.bodyMaxLength + 1) }, 'body'],
    ['a NUL', { body: 'nul\u0000here' }, 'body'],
    ['a BEL', { body: 'ding\u0007' }, 'body'],
    ['a C1 control (CSI)', { body: '\u009b31mred' }, 'body'],
    ['a lone surrogate', { body: 'half \ud800 a pair' }, 'body'],
  ];

  it.each(rows)('with %s is invalid_payload in message:send and dm:send', async (_name, overrides, field) => {
    const w = await world();
    const lobby = await ask(w.malloryLobby, 'message:send', { clientId: 'bad', body: 'text', ...overrides });
    const dm = await ask(w.malloryDm, 'dm:send', { to: w.bob.user.id, clientId: 'bad-dm', body: 'text', ...overrides });
    expect([lobby, dm]).toEqual([invalid(field), invalid(field)]);
    await w.expectNoEffect();
  });

  it('in a frame over maxHttpBufferSize closes that connection only; nothing is stored', async () => {
    const w = await world();
    const gone = disconnection(w.malloryLobby);
    const send = w.malloryLobby.timeout(2_000).emitWithAck('message:send', { clientId: 'huge', body: 'x'.repeat(LIMITS.maxFrameBytes) });
    await expect(send).rejects.toThrow();
    expect(await gone).toBe('transport close');
    // Her /dm socket has its own connection, which stays up.
    expect(w.malloryDm.connected).toBe(true);
    expect(await ask(w.malloryDm, 'dm:conversations', {})).toMatchObject({ ok: true });
    await w.expectNoEffect({ changed: malloryOffline });
  });
});

describe('floods and guessing, across both instances', () => {
  it('50 sends at once, half on each instance, store exactly the 10 allowed; the rest are rate_limited', async () => {
    const w = await world({ config: { rateLimits: { messages: { points: 5, durationSeconds: 60, burstPoints: 5, burstDurationSeconds: 60 } } } });
    const onB = await connect(w.b.url, '/lobby', w.mallory);
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ask<MessageDto>(i % 2 ? onB : w.malloryLobby, 'message:send', { clientId: `flood-${i}`, body: `flood ${i}` })),
    );
    // The 10 allowed are legitimate; what follows must change nothing more.
    await w.rebaseline();
    const stored = acks.flatMap((a) => (a.ok ? [a.data] : [])).sort((x, y) => x.seq - y.seq);
    const limited = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(stored).toHaveLength(10);
    expect(limited).toHaveLength(40);
    for (const error of limited) {
      expect(error).toEqual({ code: 'rate_limited', message: expect.any(String), retryAfterMs: expect.any(Number) });
      expect(error.retryAfterMs).toBeGreaterThan(0);
    }
    // The limit is per user and shared by every event that sends: her DMs are refused too.
    expect(outcome(await ask(w.malloryDm, 'dm:send', { to: w.bob.user.id, clientId: 'flood-dm', body: 'and a DM' }))).toBe('rate_limited');

    const lobbyNews = () => w.heard.filter((e) => e.startsWith('message:new ')).map((e) => (JSON.parse(e.slice(12)) as MessageDto).id);
    await eventually(() => expect(lobbyNews().sort()).toEqual(stored.map((m) => m.id).sort()));
    w.heard.length = 0;
    w.lobbyMessages.push(...stored);
    await w.expectNoEffect();
  });

  it('wrong passwords alternating between instances end in 429 with Retry-After, even for the right one; others still sign in', async () => {
    const w = await world({ config: { rateLimits: { signInPerUsername: { points: 3, durationSeconds: 60, blockSeconds: 120 } } } });
    const login = (url: string, username: string, password: string) => postJson(url, '/api/auth/login', { username, password });
    const name = w.alice.user.username;
    const guesses = [await login(w.a.url, name, 'guess one'), await login(w.b.url, name.toUpperCase(), 'guess two'), await login(w.a.url, name, 'guess three')];
    expect(guesses.map((r) => [r.status, r.body.error.code])).toEqual(Array(3).fill([401, 'invalid_credentials']));

    for (const url of [w.b.url, w.a.url]) {
      const blocked = await login(url, name, PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toEqual({ code: 'rate_limited', message: expect.any(String), retryAfterMs: expect.any(Number) });
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.headers.getSetCookie()).toEqual([]);
    }
    const bob = await login(w.b.url, w.bob.user.username, PASSWORD);
    expect(bob.status).toBe(200);
    expect(bob.headers.getSetCookie()).toHaveLength(1);
    await w.expectNoEffect();
  });
});

describe('signing out', () => {
  it("disconnects every socket of the session on both instances, and the old cookie is refused everywhere", async () => {
    const w = await world();
    const sockets = [w.malloryLobby, w.malloryDm, await connect(w.b.url, '/lobby', w.mallory), await connect(w.b.url, '/dm', w.mallory)];
    const reasons = Promise.all(sockets.map((s) => disconnection(s, 3_000)));

    const res = await fetch(`${w.b.url}/api/auth/logout`, { method: 'POST', headers: { cookie: w.mallory.cookie } });

    expect(res.status).toBe(204);
    expect(await reasons).toEqual(Array(4).fill('io server disconnect'));
    for (const [url, nsp] of [[w.a.url, '/lobby'], [w.b.url, '/lobby'], [w.a.url, '/dm'], [w.b.url, '/dm']] as const) {
      expect((await refusal(openSocket(url, nsp, { cookie: w.mallory.cookie }))).data?.code, `${url}${nsp}`).toBe('unauthorized');
    }
    for (const url of [w.a.url, w.b.url]) expect((await fetch(`${url}/api/auth/me`, { headers: { cookie: w.mallory.cookie } })).status).toBe(401);
    await w.expectNoEffect({ changed: malloryOffline });
  });
});

describe('protocol abuse', () => {
  it('unknown events get no answer at all and leave the socket up', async () => {
    const w = await world();
    for (const [socket, event, payload] of [
      [w.malloryLobby, 'message:delete', { id: w.lobbyMessages[0]!.id }],
      [w.malloryLobby, 'admin:wipe', {}],
      [w.malloryDm, 'dm:delete', { roomId: w.pairRoom }],
    ] as const) {
      await expect(socket.timeout(300).emitWithAck(event, payload), event).rejects.toThrow('operation has timed out');
      expect(socket.connected).toBe(true);
    }
    expect(await ask(w.malloryLobby, 'message:sync', { afterSeq: 0 })).toMatchObject({ ok: true });
    await w.expectNoEffect();
  });

  it('an event without an ack callback, or whose last argument is not one, is dropped unanswered', async () => {
    const w = await world();
    w.malloryLobby.emit('message:send', { clientId: 'no-ack', body: 'fire and forget' });
    w.malloryLobby.emit('message:send', { clientId: 'not-fn', body: 'fire and forget' }, 'notAFunction');
    w.malloryDm.emit('dm:send', { to: w.bob.user.id, clientId: 'no-ack-dm', body: 'fire and forget' });
    // Later round trips on the same connections are handled after the dropped events.
    expect(await sync(w.malloryLobby)).toEqual(w.lobbyMessages);
    expect(await ask(w.malloryDm, 'dm:conversations', {})).toEqual({ ok: true, data: { conversations: [] } });
    await w.expectNoEffect();
  });

  it('an extra argument before the ack is invalid_payload', async () => {
    const w = await world();
    expect(await ask(w.malloryLobby, 'message:send', { clientId: 'extra', body: 'hi' }, 'notAFunction')).toEqual({
      ok: false,
      error: { code: 'invalid_payload', field: '', message: 'Send exactly one payload object and an ack callback.' },
    });
    await w.expectNoEffect();
  });

  it('an undefined namespace is refused as "Invalid namespace", even with a valid session', async () => {
    const w = await world();
    const err = await refusal(openSocket(w.a.url, '/nowhere', { cookie: w.mallory.cookie }));
    expect(err.message).toBe('Invalid namespace');
    expect(err.data).toBeUndefined();
    await w.expectNoEffect();
  });
});

describe('a refused operation changes nothing', () => {
  const reusedClientId = { ok: false, error: { code: 'invalid_payload', field: 'clientId', message: 'This clientId was already used for another message; send with a new clientId.' } };

  it("dm:send reusing the clientId of the sender's lobby message is invalid_payload, and the conversation does not move up", async () => {
    const w = await world();
    // Alice and Bob each write a note to self, so their conversation is second in both lists.
    for (const [socket, user] of [[w.aliceDm, w.alice], [w.bobDm, w.bob]] as const) {
      succeeded(await ask(socket, 'dm:send', { to: user.user.id, clientId: 'note', body: 'note to self' }));
    }
    // Each note reaches its writer's /dm socket as a message and a conversation update.
    await eventually(() => expect(w.heard).toHaveLength(4));
    w.heard.length = 0;
    await w.rebaseline();
    const lists = (await visibleState(w)).lists;
    expect([lists.alice, lists.bob].map((list) => list!.conversations.at(-1)?.roomId)).toEqual([w.pairRoom, w.pairRoom]);

    // 'seed-lobby' is the clientId of Alice's lobby message.
    expect(await ask(w.aliceDm, 'dm:send', { to: w.bob.user.id, clientId: 'seed-lobby', body: 'same key, other room' })).toEqual(reusedClientId);
    await w.expectNoEffect();
  });

  it('dm:send reusing a lobby clientId records no conversation with its addressee', async () => {
    const w = await world();
    w.lobbyMessages.push(succeeded(await ask<MessageDto>(w.malloryLobby, 'message:send', { clientId: 'mine', body: 'hello all' })));
    await eventually(() => expect(w.heard).toHaveLength(1));
    w.heard.length = 0;
    await w.rebaseline();

    expect(await ask(w.malloryDm, 'dm:send', { to: w.alice.user.id, clientId: 'mine', body: 'hi Alice' })).toEqual(reusedClientId);
    await w.expectNoEffect();
  });

  it('refused sends and recalls spend no rate-limit point: a send after more refusals than the limit goes through', async () => {
    // Alice's seed and fence take all 3 of her points; Mallory's refusals must take none of hers.
    const w = await world({ config: { rateLimits: { messages: { points: 3, durationSeconds: 60 } } } });
    const refusals: [Socket, string, unknown, unknown][] = [
      [w.malloryDm, 'dm:send', { to: '0'.repeat(24), clientId: 'nobody', body: 'hi' }, { ok: false, error: { code: 'forbidden', message: 'You cannot message this user.' } }],
      [w.malloryLobby, 'message:recall', { id: w.lobbyMessages[0]!.id }, { ok: false, error: { code: 'forbidden', message: 'Only the author can recall a message.' } }],
      [w.malloryDm, 'message:recall', { id: w.pairMessages[0]!.id }, { ok: false, error: { code: 'not_found', message: 'There is no such message.' } }],
    ];
    for (let round = 0; round < 2; round += 1) {
      for (const [socket, event, payload, expected] of refusals) expect(await ask(socket, event, payload), event).toEqual(expected);
    }
    await w.expectNoEffect();
    expect(outcome(await ask(w.malloryLobby, 'message:send', { clientId: 'allowed', body: 'my first message' }))).toBe('ok');
  });
});

describe('many sockets on one Engine.IO connection', () => {
  /** Counts calls of `object[method]` from now on: here, the session lookups of the handshake guard. */
  function countCalls<T extends object>(object: T, method: keyof T & string): () => number {
    const original = (object[method] as (...args: unknown[]) => unknown).bind(object);
    let calls = 0;
    Object.assign(object, { [method]: (...args: unknown[]) => ((calls += 1), original(...args)) });
    return () => calls;
  }
  const presenceMoved = (name: string) => (before: VisibleState) => ({
    ...before,
    presence: { ...before.presence, [name]: { ...before.presence[name]!, lastSeenAt: expect.any(String), rev: expect.any(Number) } },
  });
  const answersIn = (nsp: string) => (packets: string[]) => packets.filter((p) => p.startsWith(`40${nsp},`) || p.startsWith(`44${nsp},`));
  const refusalOf = { message: SECOND_SOCKET_REFUSAL.message, data: SECOND_SOCKET_REFUSAL };
  /** How many sockets the server holds in `nsp` on the connection of the socket an accept packet (`40/nsp,{"sid":…}`) names. */
  const socketsBeside = (server: World['a'], nsp: string, accept: string) => {
    const sockets = [...server.app.io.of(nsp).sockets.values()];
    const { sid } = JSON.parse(accept.slice(`40${nsp},`.length)) as { sid: string };
    const mine = sockets.find((s) => s.id === sid);
    return mine ? sockets.filter((s) => s.conn === mine.conn).length : 0;
  };

  it.each(['/lobby', '/dm'] as const)(
    '80 CONNECTs to %s in one polling POST make one socket; the others are refused before any session lookup, and broadcasts arrive once',
    async (nsp) => {
      const w = await world();
      const sessionLookups = countCalls(w.stores.sessions, 'findActive');
      const raw = await pollingSession(w.a.url, { cookie: w.mallory.cookie });
      const answers = answersIn(nsp);

      await raw.send(Array(80).fill(`40${nsp},`));
      await raw.receive((packets) => answers(packets).length >= 80);
      const [accepted, refused] = [answers(raw.received).filter((p) => p.startsWith('40')), answers(raw.received).filter((p) => p.startsWith('44'))];
      expect(accepted).toHaveLength(1);
      expect(refused.map((p) => JSON.parse(p.slice(`44${nsp},`.length)))).toEqual(Array(79).fill(refusalOf));
      // The handshake's, and the check after the socket joined its session's rooms; none for the refused ones.
      await eventually(() => expect(sessionLookups()).toBe(2));
      expect(socketsBeside(w.a, nsp, accepted[0]!)).toBe(1);

      // Two broadcasts the socket hears (Alice's lobby messages, or Mallory's notes to self); once
      // the second is in, every copy of the first would be too.
      const send = async (clientId: string) =>
        nsp === '/lobby'
          ? succeeded(await ask<MessageDto>(w.aliceLobby, 'message:send', { clientId, body: clientId }))
          : succeeded(await ask<MessageDto>(w.malloryDm, 'dm:send', { to: w.mallory.user.id, clientId, body: clientId }));
      const [first, second] = [await send('once-1'), await send('once-2')];
      await raw.receive((packets) => packets.some((p) => p.includes(second.id)));
      const event = nsp === '/lobby' ? 'message:new' : 'dm:message';
      expect(raw.received.filter((p) => p.startsWith(`42${nsp},["${event}",`) && p.includes(first.id))).toHaveLength(1);
      if (nsp === '/lobby') {
        w.lobbyMessages.push(first, second);
        // Bob's lobby hears both; Alice's /dm hears her read mark move to each.
        await eventually(() => expect(w.heard).toHaveLength(4));
        w.heard.length = 0;
      }
      await w.rebaseline();

      // Once the socket is connected, socket.io itself answers another CONNECT by closing the connection.
      await raw.send(Array(80).fill(`40${nsp},`));
      await raw.receive((packets) => packets.includes('1'));
      expect(answers(raw.received)).toHaveLength(80);
      // The handshake's, and the check after the socket joined its session's rooms; none for the refused ones.
      await eventually(() => expect(sessionLookups()).toBe(2));
      expect(socketsBeside(w.a, nsp, accepted[0]!)).toBe(0);
      // Closing her extra lobby connection moves Mallory's last-seen time; nothing else changes.
      await w.expectNoEffect({ changed: nsp === '/lobby' ? presenceMoved('mallory') : undefined });
    },
  );

  it('a CONNECT the session guard refuses, or a socket that disconnects, leaves the namespace free for the next CONNECT', async () => {
    const w = await world();
    const raw = await pollingSession(w.a.url, { cookie: w.mallory.cookie });
    const answers = answersIn('/lobby');
    const exchange = async (packet: string, count: number) => {
      await raw.send([packet]);
      return (await raw.receive((packets) => answers(packets).length >= count)).filter((p) => answers([p]).length > 0).at(-1)!;
    };

    const refused = await exchange(`40/lobby,${JSON.stringify({ userId: w.alice.user.id })}`, 1);
    expect(JSON.parse(refused.slice('44/lobby,'.length)).data.code).toBe('unauthorized');
    expect(await exchange('40/lobby,', 2)).toMatch(/^40\/lobby,\{"sid":/);
    await raw.send(['41/lobby,']);
    const again = await exchange('40/lobby,', 3);
    expect(again).toMatch(/^40\/lobby,\{"sid":/);
    expect(socketsBeside(w.a, '/lobby', again)).toBe(1);
    await w.rebaseline();
    await w.expectNoEffect();
  });
});
