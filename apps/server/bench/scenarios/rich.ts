import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack, MessagePage } from '@confab/shared';
import { createMemoryStores, startServer } from '../../src/testing.js';
import { newObjectIdHex } from '../../src/store/ids.js';
import type { Stores } from '../../src/store/ports.js';
import { dropDatabase, openDatabase } from '../harness/database.js';
import { seedUsers } from '../harness/seedUsers.js';
import { latency, timed } from '../load/stats.js';
import { openTestStores } from '../../test/support/mongo.js';
import { emptyResult, type CaseResult, type Context, type Figures, type Scenario } from '../report/result.js';

const METRICS = [
  { key: 'historyP50', label: 'history page of 50, p50', unit: 'ms' as const },
  { key: 'historyP99', label: 'history page of 50, p99', unit: 'ms' as const },
  { key: 'syncP50', label: 'sync page of 200 entries, p50', unit: 'ms' as const },
];

const SIZES = { full: { messages: 300, pages: 200, syncs: 40 }, smoke: { messages: 30, pages: 5, syncs: 2 } };
const SESSION_TTL_MS = 24 * 3_600_000;

async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await socket.timeout(30_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/**
 * What serving rich messages costs: the same history and sync pages of two channels of equal
 * length in one server, one of plain messages (the baseline, in the "bare" column) and one where
 * every message replies to the one before, was edited and carries two reactions (so each page
 * reads the messages it quotes and their reactions, and sync pages are mostly change entries).
 */
async function measureOn(ctx: Context, stores: Stores): Promise<{ plain: Figures; rich: Figures }> {
  const size = ctx.options.smoke ? SIZES.smoke : SIZES.full;
  const sessionSecret = randomBytes(32).toString('base64url');
  const [alice, bob] = await seedUsers(stores, { count: 2, sessionSecret, ttlMs: SESSION_TTL_MS });
  const rooms: string[] = [];
  for (const name of ['plain', 'rich']) {
    const room = await stores.rooms.createChannel({ id: `c:${newObjectIdHex()}`, kind: 'public_channel', name: `bench-${name}-${randomBytes(3).toString('hex')}`, topic: '', createdBy: alice!.id, createdAt: new Date() });
    if (room === 'name_taken') throw new Error('a bench room name was taken');
    for (const user of [alice!, bob!]) await stores.rooms.addMember({ roomId: room.id, userId: user.id, role: 'member', joinedAt: new Date() });
    rooms.push(room.id);
  }
  const [plainRoom, richRoom] = rooms as [string, string];
  const server = await startServer({ stores, config: { sessionSecret, sessionTtlMs: SESSION_TTL_MS } });
  const sockets = [alice!, bob!].map((user) => io(`${server.url}/dm`, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: user.cookie } }));
  try {
    await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => (s.once('connect', resolve), s.once('connect_error', reject)))));
    const [a, b] = sockets as [Socket, Socket];
    ctx.log(`rich: seeding ${size.messages} plain and ${size.messages} rich messages`);
    let previous: string | undefined;
    for (let i = 0; i < size.messages; i++) {
      await ask(a, 'dm:send', { roomId: plainRoom, clientId: `p${i}`, body: `plain message ${i} with some words in it` });
      const sent = await ask<{ id: string }>(a, 'dm:send', { roomId: richRoom, clientId: `r${i}`, body: `rich message ${i} with some words in it`, ...(previous ? { replyTo: previous } : {}) });
      await ask(a, 'message:edit', { id: sent.id, body: `rich message ${i}, edited, with some words in it` });
      await ask(a, 'reaction:add', { id: sent.id, emoji: '👍' });
      await ask(b, 'reaction:add', { id: sent.id, emoji: '🎉' });
      previous = sent.id;
    }
    const figures = async (roomId: string): Promise<Figures> => {
      const newest = (await ask<MessagePage>(a, 'dm:history', { roomId, limit: 1 })).messages[0]!.seq;
      const history = latency(await timed(size.pages, (i) => ask(a, 'dm:history', { roomId, limit: 50, beforeSeq: 51 + ((i * 37) % Math.max(1, newest - 50)) })));
      const sync = latency(await timed(size.syncs, (i) => ask(a, 'dm:sync', { roomId, afterSeq: (i * 53) % Math.max(1, newest - 200) })));
      return { historyP50: history.p50, historyP99: history.p99, syncP50: sync.p50 };
    };
    return { plain: await figures(plainRoom), rich: await figures(richRoom) };
  } finally {
    for (const socket of sockets) socket.disconnect();
    await server.close();
  }
}

export const rich: Scenario = async (ctx) => {
  const result = emptyResult('rich', METRICS);
  result.notes.push(
    'The "bare Socket.IO" column here is Confab serving a channel of plain messages, the "Confab" column the same pages of a channel where every message is an edited reply with two reactions: both in one server, one after the other.',
  );
  const row = (name: string, figures: { plain: Figures; rich: Figures }): CaseResult => ({ name, bare: figures.plain, confab: figures.rich, complete: true, problems: [] });
  ctx.log('rich: memory store');
  result.cases.push(row('pages, memory store', await measureOn(ctx, createMemoryStores())));
  const database = await openDatabase({ smoke: ctx.options.smoke });
  if ('skipped' in database) {
    result.notes.push(`database rows skipped: ${database.skipped}`);
    return result;
  }
  const dbName = `confab_bench_rich_${randomBytes(3).toString('hex')}`;
  const stores = await openTestStores(dbName, { url: database.url });
  try {
    ctx.log(`rich: ${database.backend}`);
    result.cases.push(row(`pages, ${database.backend}`, await measureOn(ctx, stores)));
  } finally {
    await stores.close();
    await dropDatabase(database.url, dbName).catch(() => undefined);
    await database.close();
  }
  return result;
};
