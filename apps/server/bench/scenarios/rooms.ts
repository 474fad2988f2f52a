import { quiet } from '../harness/meter.js';
import type { Target } from '../harness/spec.js';
import { connectAs, connectCrowd, disperse } from '../load/crowd.js';
import { latency } from '../load/stats.js';
import { WireClient } from '../load/wire.js';
import { emptyResult, type CaseResult, type Context, type Figures, type Scenario } from '../report/result.js';
import { spawnRoomsServer, type RoomsServerProcess } from './roomsProcess.js';

// Sizes of its own: the shared options list only the scenarios' common flags.
const SIZES = {
  full: { rooms: 300, readyRuns: 30, memoryUsers: 200, batch: 50 },
  smoke: { rooms: 300, readyRuns: 3, memoryUsers: 5, batch: 5 },
};

const METRICS = [
  { key: 'readyP50', label: 'handshake to ready p50', unit: 'ms' as const },
  { key: 'readyP99', label: 'handshake to ready p99', unit: 'ms' as const },
  { key: 'listed', label: 'rooms in room:list', unit: 'n' as const },
  { key: 'readyRatio', label: 'ready p50, in N rooms ÷ in none', unit: '×' as const },
  { key: 'heapKBPerMembership', label: 'heap per membership, in all', unit: 'KB' as const },
  { key: 'heapKBPerMembershipStored', label: 'heap per membership, stored', unit: 'KB' as const },
  { key: 'heapKBPerMembershipJoined', label: 'heap per membership, its sockets joined', unit: 'KB' as const },
  { key: 'heapKBPerUser', label: 'heap per connected user in no room', unit: 'KB' as const },
  { key: 'rssMB', label: 'server RSS at the end', unit: 'MB' as const },
];

// Seeded user indexes: one in every room, one in none, then the two memory cohorts.
const HEAVY = 0;
const EMPTY = 1;

interface Tab {
  clients: WireClient[];
  listed: number;
}

/** Ready as a client is: both namespaces connected (a WebSocket each) and `room:list` answered. */
async function openTab(server: RoomsServerProcess, target: Target, user: number): Promise<Tab> {
  const options = connectAs(server.info, user, target === 'bare' ? { auth: { user } } : {});
  const url = server.info.urls[0]!;
  const clients = await Promise.all([WireClient.open(url, '/lobby', options), WireClient.open(url, '/dm', options)]);
  const ack = await clients[1]!.request<{ ok: boolean; data?: { rooms: unknown[] }; error?: unknown }>('room:list', {});
  if (!ack.ok || !ack.data) {
    for (const client of clients) client.terminate();
    throw new Error(`room:list refused: ${JSON.stringify(ack.error)}`);
  }
  return { clients, listed: ack.data.rooms.length };
}

/** Handshake-to-ready of the user in every room and the one in none, alternately; the first round warms up. */
async function measureReady(ctx: Context, server: RoomsServerProcess, target: Target, expected: Record<'heavy' | 'empty', number>, problems: string[]) {
  const { readyRuns } = ctx.options.smoke ? SIZES.smoke : SIZES.full;
  const times = { heavy: [] as number[], empty: [] as number[] };
  for (let run = 0; run <= readyRuns; run++) {
    for (const who of ['heavy', 'empty'] as const) {
      const started = performance.now();
      const tab = await openTab(server, target, who === 'heavy' ? HEAVY : EMPTY);
      const ms = performance.now() - started;
      if (run > 0) times[who].push(ms);
      if (tab.listed !== expected[who]) problems.push(`${target}: ${who === 'heavy' ? 'the user in every room' : 'the user in none'} was listed ${tab.listed} rooms, not ${expected[who]}`);
      await disperse(tab.clients);
    }
  }
  return times;
}

/** Connects `users` (two sockets each), each ready; reports who did not make it. */
async function connectCohort(server: RoomsServerProcess, target: Target, users: number[], expected: number, problems: string[], batch: number): Promise<WireClient[]> {
  const crowd = await connectCrowd({ count: users.length, batch, deadlineMs: 120_000, open: (k) => openTab(server, target, users[k]!) });
  if (crowd.clients.length < users.length) problems.push(`${target}: ${crowd.clients.length} of ${users.length} users connected (${crowd.firstError ?? 'deadline'})`);
  const wrong = crowd.clients.filter((tab) => tab.listed !== expected).length;
  if (wrong > 0) problems.push(`${target}: ${wrong} users were not listed ${expected} rooms`);
  return crowd.clients.flatMap((tab) => tab.clients);
}

/**
 * A user in 300 rooms connects: how long until ready, beside a user in none on the same server,
 * and what each room membership costs the server's heap (stored, and with the member's sockets
 * in the room), from many users in every room beside as many in none.
 */
export const rooms: Scenario = async (ctx) => {
  const size = ctx.options.smoke ? SIZES.smoke : SIZES.full;
  const cohort = size.memoryUsers;
  const inRooms = Array.from({ length: cohort }, (_, k) => 2 + k);
  const inNone = Array.from({ length: cohort }, (_, k) => 2 + cohort + k);
  const memberships = cohort * size.rooms;
  const result = emptyResult('rooms', METRICS);
  const row = (name: string): CaseResult => ({ name, bare: {}, confab: {}, complete: true, problems: [] });
  const heavyRow = row(`user in ${size.rooms} rooms, /lobby + /dm + room:list`);
  const emptyRow = row('user in no room (baseline), the same');
  const ratioRow = row(`in ${size.rooms} rooms ÷ in none`);
  const memoryRow = row(`${cohort} users × ${size.rooms} rooms (${memberships} memberships), beside ${cohort} users in none`);
  result.notes.push(
    `Rooms (one message each, half public, half private channels) and memberships are written into the server's state before anyone connects; Confab on the memory store. ` +
      `Each user opens two WebSockets (one per namespace) at once, then asks room:list. Confab answers it with a summary per room (newest entry, unread count); ` +
      `the bare server keeps each user's room ids, joins a connecting socket to all of them on both namespaces and answers room:list with the ids. ` +
      `Ready times: ${size.readyRuns} runs each, alternating, after one warm-up. Memory: GC'd heap before and after each phase; "sockets joined" is the growth from connecting ` +
      `the users in every room less that from connecting as many in none.`,
  );

  for (const target of ctx.options.targets) {
    ctx.log(`rooms: ${target}`);
    const server = await spawnRoomsServer({ target, users: target === 'confab' ? 2 + 2 * cohort : 0 });
    const problems = { ready: [] as string[], memory: [] as string[] };
    try {
      await server.ask({ cmd: 'seedRooms', count: size.rooms, members: [HEAVY] });
      // Confab lists the lobby too.
      const lobby = target === 'confab' ? 1 : 0;
      const times = await measureReady(ctx, server, target, { heavy: size.rooms + lobby, empty: lobby }, problems.ready);
      const heavy = latency(times.heavy);
      const empty = latency(times.empty);
      heavyRow[target] = { readyP50: heavy.p50, readyP99: heavy.p99, listed: size.rooms + lobby };
      emptyRow[target] = { readyP50: empty.p50, readyP99: empty.p99, listed: lobby };
      ratioRow[target] = { readyRatio: heavy.p50 !== null && empty.p50 ? heavy.p50 / empty.p50 : null };

      ctx.log(`rooms: ${target}, memory: ${cohort} users in no room, then ${cohort} in ${size.rooms} rooms each`);
      const start = await server.sample({ gc: true });
      const noneClients = await connectCohort(server, target, inNone, lobby, problems.memory, size.batch);
      await quiet([server], { maxMs: 10_000 });
      const connectedNone = await server.sample({ gc: true });
      await server.ask({ cmd: 'addMembers', users: inRooms });
      const stored = await server.sample({ gc: true });
      const roomClients = await connectCohort(server, target, inRooms, size.rooms + lobby, problems.memory, size.batch);
      await quiet([server], { maxMs: 10_000 });
      const end = await server.sample({ gc: true });
      const perUser = (connectedNone.heapUsed - start.heapUsed) / cohort;
      const storedPer = (stored.heapUsed - connectedNone.heapUsed) / memberships;
      const joinedPer = (end.heapUsed - stored.heapUsed - (connectedNone.heapUsed - start.heapUsed)) / memberships;
      const memory: Figures = {
        heapKBPerMembership: (storedPer + joinedPer) / 1024,
        heapKBPerMembershipStored: storedPer / 1024,
        heapKBPerMembershipJoined: joinedPer / 1024,
        heapKBPerUser: perUser / 1024,
        rssMB: end.rss / 1024 / 1024,
      };
      memoryRow[target] = memory;
      await disperse([...noneClients, ...roomClients]);
    } finally {
      await server.stop();
    }
    for (const [where, found] of [[heavyRow, problems.ready], [memoryRow, problems.memory]] as const) {
      if (found.length === 0) continue;
      where.complete = false;
      where.problems.push(...new Set(found));
    }
  }
  result.cases.push(heavyRow, emptyRow, ratioRow, memoryRow);
  return result;
};
