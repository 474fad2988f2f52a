import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { openPersistedMemoryStores } from '../src/store/memory/persistedMemoryStores.js';
import type { Stores } from '../src/store/ports.js';
import { describeStoreContract } from './support/storeContract.js';

const root = mkdtempSync(join(tmpdir(), 'confab-store-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent', pretty: false });

let count = 0;
/** A store file in a folder of its own. */
function freshFile(): string {
  count += 1;
  return join(root, String(count), 'store.json');
}

describeStoreContract('memory kept in a file', () => openPersistedMemoryStores(freshFile(), { logger }));

describe('the file-backed memory store', () => {
  const at = new Date('2026-03-01T12:00:00.000Z');
  const later = new Date('2026-03-01T12:05:00.000Z');
  const expiresAt = new Date(Date.now() + 3_600_000);
  const aliceId = 'a'.repeat(24);
  const bobId = 'b'.repeat(24);
  const carolId = 'c'.repeat(24);
  const roomId = `dm:${aliceId}:${bobId}`;
  const otherRoomId = `dm:${bobId}:${carolId}`;

  /** A store with one of everything, written out and opened again. */
  async function seeded(file: string) {
    const stores = await openPersistedMemoryStores(file, { logger });
    const alice = await stores.users.create({ username: 'Alice', displayName: 'Alice', passwordHash: 'old', createdAt: at });
    if (alice === 'username_taken') throw new Error('unexpected');
    await stores.sessions.create({ id: 's1', userId: alice.id, expiresAt, credential: 'c' });
    const { message } = await stores.messages.append({ roomId, clientId: 'c1', author: { id: aliceId, name: 'Alice' }, body: 'hello', createdAt: at });
    await stores.conversations.touch(roomId, [aliceId, bobId], at);
    await stores.close();
    return { alice, message, reopened: await openPersistedMemoryStores(file, { logger }) };
  }

  it('keeps users, sessions, messages, rooms and read marks as they were, dates as dates', async () => {
    const file = freshFile();
    const { alice, message, reopened } = await seeded(file);
    await reopened.conversations.markRead(roomId, bobId, 1);
    await reopened.close();
    const stores = await openPersistedMemoryStores(file, { logger });
    expect(await stores.users.findByUsername('alice')).toEqual(alice);
    expect(await stores.sessions.findActive('s1', new Date())).toEqual({ id: 's1', userId: alice.id, expiresAt, credential: 'c' });
    expect(await stores.messages.findById(message.id)).toEqual(message);
    expect(await stores.conversations.find(roomId)).toEqual({ roomId, memberIds: [aliceId, bobId], lastActivityAt: at });
    expect(await stores.conversations.readSeq(roomId, bobId)).toBe(1);
    await stores.close();
  });

  // Each change alone, then close: a change that is not noticed would be missing after the reopen.
  const changes: [string, (s: Stores, ids: { userId: string; messageId: string }) => Promise<unknown>, (s: Stores, ids: { userId: string; messageId: string }) => Promise<unknown>, unknown][] = [
    ['a new user', (s) => s.users.create({ username: 'Bob', displayName: 'Bob', passwordHash: 'h', createdAt: at }), async (s) => (await s.users.findByUsername('bob'))?.displayName, 'Bob'],
    ['a password change', (s, ids) => s.users.setPasswordHash(ids.userId, 'new'), async (s, ids) => (await s.users.findById(ids.userId))?.passwordHash, 'new'],
    ['a new session', (s, ids) => s.sessions.create({ id: 's2', userId: ids.userId, expiresAt, credential: 'c' }), async (s) => (await s.sessions.findActive('s2', new Date()))?.id, 's2'],
    ['a revoked session', (s) => s.sessions.revoke('s1'), (s) => s.sessions.findActive('s1', new Date()), null],
    ['a sign-out everywhere', (s, ids) => s.sessions.revokeAllForUser(ids.userId), (s) => s.sessions.findActive('s1', new Date()), null],
    ['an expired session looked up', (s) => s.sessions.findActive('s1', new Date(expiresAt.getTime() + 1)), (s) => s.sessions.findActive('s1', new Date(0)), null],
    ['a new message', (s) => s.messages.append({ roomId, clientId: 'c2', author: { id: bobId, name: 'Bob' }, body: 'hi', createdAt: later }), async (s) => (await s.messages.history(roomId, { limit: 10 })).messages.map((m) => m.seq), [1, 2]],
    ['an erased message', (s, ids) => s.messages.erase(ids.messageId, later), async (s, ids) => (await s.messages.findById(ids.messageId))?.recalledAt, later.toISOString()],
    ['a new room', (s) => s.conversations.touch(otherRoomId, [bobId, carolId], later), async (s) => (await s.conversations.listForUser(carolId, { limit: 10 })).map((r) => r.roomId), [otherRoomId]],
    ['newer activity in a room', (s) => s.conversations.touch(roomId, [aliceId, bobId], later), async (s) => (await s.conversations.find(roomId))?.lastActivityAt, later],
    ['a read mark', (s) => s.conversations.markRead(roomId, bobId, 1), (s) => s.conversations.readSeq(roomId, bobId), 1],
    ['a delivery mark', (s) => s.conversations.markDelivered(roomId, bobId, 1), (s) => s.conversations.deliveredSeq(roomId, bobId), 1],
    [
      'an edit',
      (s, ids) => s.messages.edit(ids.messageId, { body: 'hello @bob', mentions: [{ id: bobId, username: 'bob' }], editedAt: later }),
      async (s, ids) => s.messages.countMentions(roomId, { userId: bobId, afterSeq: 0, throughSeq: 1 }),
      1,
    ],
    [
      'a reaction',
      (s, ids) => s.reactions.add({ messageId: ids.messageId, roomId, user: { id: bobId, name: 'Bob' }, emoji: '👍', at: later }),
      async (s, ids) => (await s.reactions.of([ids.messageId])).get(ids.messageId),
      [{ emoji: '👍', users: [{ id: bobId, name: 'Bob' }] }],
    ],
  ];
  it.each(changes)('%s alone is in the file after close', async (_name, change, read, expected) => {
    const file = freshFile();
    const { alice, message, reopened } = await seeded(file);
    const ids = { userId: alice.id, messageId: message.id };
    await change(reopened, ids);
    await reopened.close();
    const stores = await openPersistedMemoryStores(file, { logger });
    expect(await read(stores, ids)).toEqual(expected);
    await stores.close();
  });

  it('keeps rich messages as they were: replies, mentions, edits, change entries, reactions in their order, delivery marks', async () => {
    const file = freshFile();
    const { message, reopened } = await seeded(file);
    const bob = { id: bobId, name: 'Bob' };
    const carol = { id: carolId, name: 'Carol' };
    const { message: reply } = await reopened.messages.append({
      roomId, clientId: 'c2', author: bob, body: '@alice', createdAt: later, replyTo: { messageId: message.id, seq: 1 }, mentions: [{ id: aliceId, username: 'alice' }],
    });
    const { message: change } = await reopened.messages.append({
      roomId, clientId: 'reaction:1', author: bob, body: '', createdAt: later, change: { type: 'reaction', messageId: message.id, seq: 1, emoji: '🎉', added: true },
    });
    const edited = await reopened.messages.edit(message.id, { body: 'hello @bob', mentions: [{ id: bobId, username: 'bob' }], editedAt: later });
    for (const [user, emoji, seconds] of [[carol, '👍', 3], [bob, '🎉', 2], [bob, '👍', 4], [carol, '🎉', 2]] as const) {
      await reopened.reactions.add({ messageId: message.id, roomId, user, emoji, at: new Date(at.getTime() + seconds * 1000) });
    }
    await reopened.conversations.markDelivered(roomId, bobId, 3);
    const reactions = await reopened.reactions.of([message.id]);
    await reopened.close();

    const stores = await openPersistedMemoryStores(file, { logger });
    expect(await stores.messages.since(roomId, { afterSeq: 0, limit: 10 })).toEqual({ messages: [edited, reply, change], hasMore: false });
    expect(reactions.get(message.id)).toEqual([{ emoji: '🎉', users: [bob, carol] }, { emoji: '👍', users: [carol, bob] }]);
    expect(await stores.reactions.of([message.id])).toEqual(reactions);
    expect(await stores.reactions.add({ messageId: message.id, roomId, user: carol, emoji: '👍', at: later })).toBe(false);
    expect(await stores.conversations.deliveredSeq(roomId, bobId)).toBe(3);
    // The change entry still counts as nothing, and the mentions as they are now.
    expect(await stores.messages.countUnread(roomId, { afterSeq: 0, excludeAuthorId: aliceId })).toBe(1);
    expect(await stores.messages.countMentions(roomId, { userId: bobId, afterSeq: 0, throughSeq: 3 })).toBe(1);
    expect(await stores.messages.newestShown(roomId)).toEqual(reply);
    await stores.close();
  });

  it('loads a file written before reactions and delivery marks were kept', async () => {
    const file = freshFile();
    const { message, reopened } = await seeded(file);
    await reopened.conversations.markRead(roomId, bobId, 1);
    await reopened.close();
    // As an earlier Confab wrote it: no `reactions`, no `deliveryMarks`.
    const old = JSON.parse(readFileSync(file, 'utf8')) as { reactions?: unknown; conversations: { deliveryMarks?: unknown } };
    delete old.reactions;
    delete old.conversations.deliveryMarks;
    const oldFile = freshFile();
    mkdirSync(dirname(oldFile), { recursive: true });
    writeFileSync(oldFile, JSON.stringify(old), { mode: 0o600 });

    const stores = await openPersistedMemoryStores(oldFile, { logger });
    expect(await stores.messages.findById(message.id)).toEqual(message);
    expect(await stores.conversations.readSeq(roomId, bobId)).toBe(1);
    expect(await stores.conversations.deliveredSeq(roomId, bobId)).toBe(0);
    expect(await stores.reactions.of([message.id])).toEqual(new Map());
    expect(await stores.reactions.add({ messageId: message.id, roomId, user: { id: bobId, name: 'Bob' }, emoji: '👍', at })).toBe(true);
    await stores.close();
    const written = JSON.parse(readFileSync(oldFile, 'utf8')) as { reactions: unknown[]; conversations: { deliveryMarks: unknown[] } };
    expect([written.reactions.length, written.conversations.deliveryMarks]).toEqual([1, []]);
  });

  it('writes no file while nothing has changed', async () => {
    const file = freshFile();
    const stores = await openPersistedMemoryStores(file, { logger });
    await stores.users.findByUsername('nobody');
    await stores.close();
    expect(existsSync(file)).toBe(false);
  });
});
