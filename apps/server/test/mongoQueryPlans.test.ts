import { dmRoomId } from '@confab/shared';
import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { createDmService } from '../src/services/dmService.js';
import { createMessageService } from '../src/services/messageService.js';
import { createRoomServices, type RoomEffects } from '../src/services/rooms/index.js';
import type { Stores, UserRecord } from '../src/store/ports.js';
import { servingIndex, type IndexKey } from './support/indexCoverage.js';
import { dropDatabase, mongoUrl, openTestStores, quietLogger, testDatabaseName } from './support/mongo.js';
import { filteredOps, recordOps, type RecordedOp } from './support/mongoOps.js';

const cleanups: (() => Promise<void>)[] = [];

// Which sockets hear what is not what this test is about: the room services run without a transport.
const NO_TRANSPORT: RoomEffects = {
  deliver() {},
  addSockets() {},
  removeSockets() {},
  notifyUpdate() {},
  notifyRemoved() {},
  notifyRead() {},
  notifyReadToRoom() {},
  relayTyping() {},
};
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two store instances on one fresh database (two servers), and a plain connection to look inside it. */
async function database() {
  const dbName = testDatabaseName(import.meta.filename);
  const [stores, otherServer] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
  const raw = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
  cleanups.push(async () => {
    await Promise.all([stores.close(), otherServer.close(), raw.close()]);
    await dropDatabase(dbName);
  });
  return { stores, otherServer, raw };
}

async function createUser(stores: Stores, username: string): Promise<UserRecord> {
  const user = await stores.users.create({ username, displayName: username, passwordHash: 'hash', createdAt: new Date() });
  if (user === 'username_taken') throw new Error('unexpected');
  return user;
}

/** The `$match` of every aggregate mongoose sends while `run` runs (recordOps leaves pipelines out). */
async function recordPipelines<T>(run: () => Promise<T>): Promise<{ result: T; matches: { collection: string; match: Record<string, unknown> }[] }> {
  const matches: { collection: string; match: Record<string, unknown> }[] = [];
  mongoose.set('debug', (collection: string, method: string, pipeline?: unknown) => {
    if (method !== 'aggregate' || !Array.isArray(pipeline)) return;
    const first = pipeline[0] as { $match?: Record<string, unknown> } | undefined;
    matches.push({ collection, match: first?.$match ?? {} });
  });
  try {
    return { result: await run(), matches };
  } finally {
    mongoose.set('debug', false);
  }
}

function describeOp(op: RecordedOp): string {
  return `${op.collection}.${op.method}(${JSON.stringify(op.filter)}${op.options.sort ? `, sort ${JSON.stringify(op.options.sort)}` : ''})`;
}

/** `{ $in: … }` and the like, as opposed to a value (a string, an ObjectId). */
function isOperatorObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).some((key) => key.startsWith('$'));
}

/** Walks an explain plan (MongoDB's `queryPlanner.winningPlan`) for its stage names. */
function stagesOf(plan: unknown): string[] {
  if (typeof plan !== 'object' || plan === null) return [];
  const node = plan as Record<string, unknown>;
  const own = typeof node.stage === 'string' ? [node.stage] : [];
  return [...own, ...['inputStage', 'queryPlan'].flatMap((k) => stagesOf(node[k])), ...((node.inputStages as unknown[]) ?? []).flatMap(stagesOf)];
}

describe('the database path', () => {
  it('every query of sending, history, sync, unread counts, read marks, the conversation list, edits, reactions, mentions and delivery marks is served by an index', async () => {
    const { stores, otherServer, raw } = await database();
    const now = () => new Date();
    const messages = createMessageService({ messages: stores.messages, reactions: stores.reactions, now, recallWindowMs: 120_000 });
    const dms = createDmService({ stores, messages, now });
    const [alice, bob, carol] = [await createUser(stores, 'alice'), await createUser(stores, 'bob'), await createUser(stores, 'carol')];
    const roomId = dmRoomId(alice.id, bob.id);

    const { ops } = await recordOps(async () => {
      // The lobby: sends, history pages, catch-up; a send from a server that has not seen the room yet.
      for (let i = 0; i < 3; i += 1) await messages.send(alice, 'lobby', { clientId: `lobby-${i}`, body: 'hi' });
      await otherServer.messages.append({ roomId: 'lobby', clientId: 'cold', author: { id: bob.id, name: 'bob' }, body: 'hi', createdAt: now() });
      await messages.history('lobby', { limit: 50 });
      await messages.history('lobby', { beforeSeq: 3, limit: 50 });
      await messages.sync('lobby', { afterSeq: 1 });
      // DMs: sends both ways, a read mark, the views the participants are sent, lists and paging, a recall.
      const first = await dms.send(alice, { to: bob.id, clientId: 'dm-1', body: 'hi bob' });
      await dms.send(bob, { to: alice.id, clientId: 'dm-2', body: 'hi alice' });
      // A retry, answered with the original.
      await dms.send(bob, { to: alice.id, clientId: 'dm-2', body: 'hi alice' });
      await dms.send(alice, { to: carol.id, clientId: 'dm-3', body: 'hi carol' });
      await dms.send(alice, { to: alice.id, clientId: 'dm-4', body: 'note' });
      await dms.markRead(bob, { roomId, seq: 1 });
      await dms.viewRoom(roomId, [alice.id, bob.id]);
      const page = await dms.list(alice, { limit: 1 });
      await dms.list(alice, { limit: 50, cursor: page.ok ? page.data.nextCursor : undefined });
      await dms.open(alice, { username: 'bob' });
      await messages.history(roomId, { limit: 50 });
      await messages.sync(roomId, { afterSeq: 0 });
      if (first.ok) await dms.recall(alice, first.data.message.id);
      // Rich messages, through the stores: a reply with mentions, an edit, reactions, change entries,
      // what serving a page reads (targets, reactions), mention counts, delivery and read marks.
      const asAuthor = (record: UserRecord) => ({ id: record.id, name: record.displayName });
      const { message: original } = await stores.messages.append({ roomId: 'lobby', clientId: 'rich-1', author: asAuthor(alice), body: 'hi @bob', createdAt: now(), mentions: [{ id: bob.id, username: 'bob' }] });
      const { message: reply } = await stores.messages.append({
        roomId: 'lobby', clientId: 'rich-2', author: asAuthor(bob), body: 'hi', createdAt: now(), replyTo: { messageId: original.id, seq: original.seq },
      });
      await stores.messages.edit(original.id, { body: 'hi @carol', mentions: [{ id: carol.id, username: 'carol' }], editedAt: now() });
      await stores.messages.append({ roomId: 'lobby', clientId: 'edit:1', author: asAuthor(alice), body: '', createdAt: now(), change: { type: 'edit', messageId: original.id, seq: original.seq } });
      await stores.reactions.emojiOf(original.id);
      await stores.reactions.add({ messageId: original.id, roomId: 'lobby', user: asAuthor(bob), emoji: '👍', at: now() });
      await otherServer.reactions.add({ messageId: original.id, roomId: 'lobby', user: asAuthor(bob), emoji: '👍', at: now() });
      await stores.messages.append({ roomId: 'lobby', clientId: 'reaction:1', author: asAuthor(bob), body: '', createdAt: now(), change: { type: 'reaction', messageId: original.id, seq: original.seq, emoji: '👍', added: true } });
      await otherServer.messages.findByIds([original.id, reply.id]);
      await otherServer.messages.findByIds([reply.id]);
      await otherServer.reactions.of([original.id, reply.id]);
      await otherServer.messages.newestShown('lobby');
      await otherServer.messages.countMentions('lobby', { userId: carol.id, afterSeq: 0, throughSeq: original.seq + 5 });
      await otherServer.messages.shownWindowStart('lobby', { throughSeq: original.seq + 5, count: 2 });
      await otherServer.messages.countUnread('lobby', { afterSeq: 1, excludeAuthorId: carol.id });
      await stores.reactions.remove(original.id, bob.id, '👍');
      await stores.messages.erase(original.id, now());
      await stores.messages.edit(original.id, { body: 'too late', mentions: [], editedAt: now() });
      await stores.messages.edit(reply.id, { body: 'edited', mentions: [], editedAt: now() });
      await dms.markRead(alice, { roomId, seq: 2 });
      await otherServer.conversations.readMarks(roomId);
      await stores.conversations.markDelivered(roomId, bob.id, 2);
      await otherServer.conversations.markDelivered(roomId, bob.id, 1);
      await otherServer.conversations.deliveredSeq(roomId, bob.id);
      // Unread counts read by a server that has seen neither end, and in a room without counts.
      await otherServer.messages.countUnread(roomId, { afterSeq: 1, excludeAuthorId: bob.id });
      await otherServer.messages.countUnread('lobby', { afterSeq: 1, excludeAuthorId: bob.id });
      // Rooms: every operation of the room services, through the same stores.
      const user = (record: { id: string; username: string; displayName: string }) => ({ id: record.id, username: record.username, displayName: record.displayName });
      const [a, b, c] = [user(alice), user(bob), user(carol)];
      const { membership, messaging } = createRoomServices({ stores, messages, dms, effects: NO_TRANSPORT, now, logger: quietLogger, limits: { roomsPerUserMax: 500, groupMembersMax: 9, channelNameMaxLength: 80 } });
      const channel = await membership.create(a, { name: 'design', topic: '', private: false });
      if (!channel.ok) throw new Error(channel.error.message);
      const channelId = channel.data.room.id;
      await membership.browse(b, { query: 'des', limit: 50 });
      await membership.join(b, channelId);
      await messaging.send(b, channelId, { clientId: 'in-channel', body: 'hi' });
      await messaging.history(c, channelId, { limit: 50 });
      await messaging.sync(b, channelId, { afterSeq: 0 });
      await messaging.markRead(a, channelId, 2);
      await membership.invite(a, { roomId: channelId, userIds: [c.id] }, async () => null);
      await membership.members(a, { roomId: channelId, limit: 100 });
      await membership.edit(a, { roomId: channelId, name: 'ux', topic: 'pixels' });
      await membership.remove(a, { roomId: channelId, userId: c.id });
      await membership.leave(a, channelId);
      await membership.openGroup(a, { userIds: [b.id, c.id] });
      const listed = await membership.list(b);
      expect(listed.ok && listed.data.rooms.map((r) => r.room.kind)).toEqual(['lobby', 'public_channel', 'group']);
    });

    const indexes = new Map<string, { name: string; key: IndexKey }[]>();
    for (const { name } of await raw.db!.listCollections().toArray()) indexes.set(name, (await raw.collection(name).indexes()) as { name: string; key: IndexKey }[]);
    const queries = filteredOps(ops);
    expect(new Set(queries.map((op) => op.collection))).toEqual(
      new Set(['messages', 'conversations', 'conversationActivity', 'readMarks', 'deliveryMarks', 'reactions', 'users', 'pendingRecalls', 'rooms', 'memberships', 'notifySettings']),
    );
    const unserved = queries.filter((op) => !servingIndex(op.filter, op.options.sort as Record<string, number> | undefined, indexes.get(op.collection) ?? []));
    expect(unserved.map(describeOp)).toEqual([]);

    // What the server itself says of the reads.
    for (const op of queries.filter((q) => ['find', 'findOne', 'countDocuments'].includes(q.method))) {
      const command =
        op.method === 'countDocuments'
          ? { count: op.collection, query: op.filter }
          : { find: op.collection, filter: op.filter, ...(op.options.sort ? { sort: op.options.sort } : {}), ...(op.method === 'findOne' ? { limit: 1 } : op.options.limit ? { limit: op.options.limit } : {}) };
      const explained = await raw.db!.command({ explain: command, verbosity: 'queryPlanner' });
      if (explained.serverInfo?.ferretdbVersion) {
        // FerretDB 1.x reads its SQL tables without using the indexes it creates; it can only say
        // which conditions it passed down. An `_id` lookup is the one it answers by key (not `_id`
        // with `$in`, which MongoDB serves from the `_id` index, checked above).
        if (Object.keys(op.filter).join() === '_id' && !isOperatorObject(op.filter._id)) expect(explained.filterPushdown, describeOp(op)).toBe(true);
        expect(explained.queryPlanner, describeOp(op)).toBeDefined();
      } else {
        const stages = stagesOf(explained.queryPlanner?.winningPlan);
        expect(stages, describeOp(op)).not.toContain('COLLSCAN');
        expect(stages, describeOp(op)).not.toContain('SORT');
      }
    }
  });

  it('every query of the file store (records, claims, quota, orphan sweep) is served by an index, and GridFS has the indexes its reads use', async () => {
    const { stores, otherServer, raw } = await database();
    const owner = await createUser(stores, 'owner');
    const at = new Date('2026-03-01T12:00:00.000Z');
    const hex = (n: number) => n.toString(16).padStart(24, '0');
    const record = (id: string, minutes: number) => ({
      id, ownerId: owner.id, name: 'a.png', contentType: 'image/png', kind: 'image' as const, size: 10,
      thumbnail: { width: 1, height: 1, size: 2 }, sha256: 'ab'.repeat(32), createdAt: new Date(at.getTime() + minutes * 60_000),
    });
    // A full page of claimed files ahead of the unclaimed one, so the sweep reads a second page.
    const claimedIds = Array.from({ length: 100 }, (_, i) => hex(0x1000 + i));
    await raw.collection('fileRecords').insertMany(
      claimedIds.map((id, i) => {
        const { id: _id, ...fields } = record(id, i);
        return { ...fields, _id: _id as never, bytes: 12, isClaimed: false };
      }),
    );
    await raw.collection('fileClaims').insertMany(claimedIds.map((id) => ({ _id: id as never, authorId: owner.id, clientId: `c-${id}`, roomId: 'lobby', at })));
    const [fileId, orphanId] = [hex(0x2000), hex(0x2001)];

    const { ops } = await recordOps(async () => {
      await stores.files.putBlob(fileId, 'file', Readable.from([Buffer.from('bytes')]));
      await stores.files.create(record(fileId, 200));
      await stores.files.create(record(orphanId, 201));
      await otherServer.files.find(fileId);
      const claim = { fileId, authorId: owner.id, clientId: 'send-1', roomId: 'lobby', at };
      await stores.files.claim(claim);
      await otherServer.files.claim({ ...claim, clientId: 'send-2' });
      await otherServer.files.claimOf(fileId);
      await stores.files.setClaimMessage(fileId, hex(0x77));
      await otherServer.files.releaseClaim(fileId, owner.id, 'send-2');
      await stores.files.releaseClaim(fileId, owner.id, 'send-1');
      const swept = await otherServer.files.unclaimedBefore(new Date(at.getTime() + 300 * 60_000), 10);
      expect(swept.map((r) => r.id)).toEqual([fileId, orphanId]);
      await stores.files.delete(fileId);
    });
    const pipelines = await recordPipelines(() => otherServer.files.usage(owner.id));
    expect(pipelines.result).toBe(100 * 12 + 12);

    const indexes = new Map<string, { name: string; key: IndexKey }[]>();
    for (const { name } of await raw.db!.listCollections().toArray()) indexes.set(name, (await raw.collection(name).indexes()) as { name: string; key: IndexKey }[]);
    const queries = filteredOps(ops);
    expect(new Set(queries.map((op) => op.collection))).toEqual(new Set(['fileRecords', 'fileClaims']));
    const unserved = queries.filter((op) => !servingIndex(op.filter, op.options.sort as Record<string, number> | undefined, indexes.get(op.collection) ?? []));
    expect(unserved.map(describeOp)).toEqual([]);
    // The quota's aggregate starts with a $match, which the index must serve.
    expect(pipelines.matches).toEqual([{ collection: 'fileRecords', match: { ownerId: owner.id } }]);
    for (const { collection, match } of pipelines.matches) expect(servingIndex(match, undefined, indexes.get(collection) ?? []), collection).toBeDefined();
    // The driver's own GridFS reads: a blob by _id, its chunks by files_id in order of n.
    expect(servingIndex({ files_id: fileId }, { n: 1 }, indexes.get('files.chunks') ?? [])).toMatchObject({ unique: true });
    expect(servingIndex({ _id: fileId }, undefined, indexes.get('files.files') ?? [])).toBeDefined();
  });

  it('an append to a long room is one insert: a room this server never saw is tried at seq 1, then its newest seq is read once, newest first through the (roomId, seq) index', async () => {
    const { stores, raw } = await database();
    const author = { id: 'a'.repeat(24), name: 'Alice' };
    const seeded = Array.from({ length: 2_000 }, (_, i) => ({ roomId: 'lobby', seq: i + 1, clientId: `seed-${i}`, author, body: 'seed', createdAt: new Date() }));
    await raw.collection('messages').insertMany(seeded);

    const { ops } = await recordOps(async () => {
      for (let i = 0; i < 5; i += 1) await stores.messages.append({ roomId: 'lobby', clientId: `new-${i}`, author, body: 'hi', createdAt: new Date() });
    });

    const onMessages = ops.filter((op) => op.collection === 'messages');
    expect(onMessages.map((op) => op.method)).toEqual(['insertOne', 'findOne', 'insertOne', 'insertOne', 'insertOne', 'insertOne', 'insertOne']);
    expect(onMessages[1]).toMatchObject({ filter: { roomId: 'lobby' }, options: { sort: { seq: -1 } } });
    expect(servingIndex(onMessages[1]!.filter, { seq: -1 }, (await raw.collection('messages').indexes()) as { name: string; key: IndexKey }[])?.name).toBe('roomId_1_seq_1');
    expect((await stores.messages.history('lobby', { limit: 5 })).messages.map((m) => m.seq)).toEqual([2_001, 2_002, 2_003, 2_004, 2_005]);
  });
});
