// Message throughput and latency of one Confab server, measured through real Socket.IO clients.
// A benchmark, not a test: it asserts nothing and prints figures.
//
//   pnpm bench                                  in-memory store, 50 clients x 20 messages
//   pnpm bench --clients 200 --messages 10      other sizes
//   MONGODB_URL=mongodb://127.0.0.1:27017/bench pnpm bench      a MongoDB (or FerretDB); the
//                                               database is dropped afterwards
//   REDIS_URL=redis://127.0.0.1:6379 pnpm bench through the Redis adapter
//
// Every client sends its messages one after another (the next once the previous is acked), all
// clients at once, as fast as the server acks. Rate limits are lifted.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { MessageDto } from '@confab/shared';
import { createLogger } from '../src/logger.js';
import { createMongoStores } from '../src/store/mongo/index.js';
import { createMemoryStores, startServer, type Stores } from '../src/testing.js';
import { connectLobby, registerUser, type LobbyClient } from '../test/support/client.js';

const { values: args } = parseArgs({
  options: { clients: { type: 'string', default: '50' }, messages: { type: 'string', default: '20' } },
  // pnpm may pass a lone '--' through.
  allowPositionals: true,
});
const CLIENTS = Number(args.clients);
const MESSAGES = Number(args.messages);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return ['p50', 'p95', 'p99'].map((name) => `${name} ${percentile(sorted, Number(name.slice(1))).toFixed(1)} ms`).concat(`max ${sorted.at(-1)?.toFixed(1)} ms`).join(', ');
}

async function openStores(): Promise<{ stores: Stores; kind: string; drop: () => Promise<void> }> {
  const url = process.env.MONGODB_URL;
  if (!url) return { stores: createMemoryStores(), kind: 'memory', drop: async () => {} };
  const dbName = `confab_bench_${Date.now()}`;
  const stores = await createMongoStores(url, { logger: createLogger({ level: 'warn', pretty: false }), dbName });
  const drop = async () => {
    const connection = await mongoose.createConnection(url, { dbName }).asPromise();
    await connection.dropDatabase();
    await connection.close();
  };
  return { stores, kind: `MongoDB at ${new URL(url).host} (database ${dbName}, dropped afterwards)`, drop };
}

const { stores, kind, drop } = await openStores();
const server = await startServer({ stores, ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}) });
const sockets: LobbyClient[] = [];
try {
  const users = [];
  for (let i = 0; i < CLIENTS; i++) users.push(await registerUser(server.url, { username: `bench${i}_${randomUUID().slice(0, 6)}` }));
  for (const user of users) sockets.push(await connectLobby(server.url, user));

  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  const deliveryMs: number[] = [];
  let delivered = 0;
  const total = CLIENTS * MESSAGES;
  // One observer's view of the fan-out: every client receives every message.
  const allDelivered = new Promise<void>((resolve) => {
    sockets[0]!.on('message:new', (message: MessageDto) => {
      const at = sentAt.get(message.clientId);
      if (at !== undefined) deliveryMs.push(performance.now() - at);
      if (++delivered === total) resolve();
    });
  });

  const started = performance.now();
  await Promise.all(
    sockets.map(async (socket) => {
      for (let m = 0; m < MESSAGES; m++) {
        const clientId = randomUUID();
        const at = performance.now();
        sentAt.set(clientId, at);
        // A slow store can take seconds per ack under this load; the tests' 5 s timeout is too short.
        const ack = await socket.timeout(30_000).emitWithAck('message:send', { clientId, body: `benchmark message ${m}` });
        if (!ack.ok) throw new Error(`send refused: ${ack.error.code}`);
        ackMs.push(performance.now() - at);
      }
    }),
  );
  const ackedIn = (performance.now() - started) / 1000;
  let giveUp: NodeJS.Timeout | undefined;
  await Promise.race([allDelivered, new Promise((resolve) => (giveUp = setTimeout(resolve, 60_000)))]);
  clearTimeout(giveUp);
  const deliveredIn = (performance.now() - started) / 1000;

  console.log(`Confab message benchmark (${new Date().toISOString()})`);
  console.log(`  store          ${kind}${process.env.REDIS_URL ? ', Redis adapter' : ''}`);
  console.log(`  load           ${CLIENTS} clients x ${MESSAGES} messages = ${total} sends, each client waits for its ack`);
  console.log(`  acked          ${total} in ${ackedIn.toFixed(2)} s = ${(total / ackedIn).toFixed(0)} messages/s`);
  console.log(`  ack latency    ${summary(ackMs)}`);
  console.log(`  fan-out        ${delivered}/${total} reached one observer; ${(delivered * CLIENTS / deliveredIn).toFixed(0)} deliveries/s to all ${CLIENTS} sockets`);
  console.log(`  send→receive   ${summary(deliveryMs)}`);
} finally {
  for (const socket of sockets) socket.disconnect();
  await server.close();
  await stores.close();
  await drop();
}
