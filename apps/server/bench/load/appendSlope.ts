import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createLogger } from '../../src/logger.js';
import { createMongoStores } from '../../src/store/mongo/index.js';
import { BODY } from './broadcast.js';
import { latency, Samples } from './stats.js';

const AUTHOR = { id: 'b'.repeat(24), name: 'bench' };

export interface SlopePoint {
  /** Messages the room held when the appends were timed (less than asked if seeding ran out of time). */
  size: number;
  /** How many appends were timed (fewer than asked when they ran past the time budget). */
  appends: number;
  confabMs: { p50: number | null; mean: number; max: number };
  bareMs: { p50: number | null; mean: number; max: number };
}

const summary = (samples: Samples) => ({
  p50: latency(samples.values()).p50,
  mean: samples.values().reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
  max: samples.values().reduce((a, b) => Math.max(a, b), 0),
});

/**
 * How long one append takes as a room grows: rooms are seeded straight into the collections
 * (insertMany, a few seconds per 100k), then `appends` messages are appended one after another
 * through Confab's message store, and, for comparison, inserted raw with their seq known; the
 * appends stop early (after at least 3) once they pass `appendSeconds`.
 */
export async function appendSlope(options: { url: string; dbName: string; sizes: number[]; appends: number; seedSeconds: number; appendSeconds: number }): Promise<SlopePoint[]> {
  const stores = await createMongoStores(options.url, { logger: createLogger({ level: 'warn', pretty: false }), dbName: options.dbName, connectTimeoutMs: 10_000 });
  const connection = await mongoose.createConnection(options.url, { dbName: options.dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const bare = connection.collection('bare_messages');
  await bare.createIndex({ roomId: 1, seq: 1 }, { unique: true });
  await bare.createIndex({ 'author.id': 1, clientId: 1 }, { unique: true });
  const tag = randomBytes(3).toString('hex');
  const points: SlopePoint[] = [];
  try {
    for (const wanted of options.sizes) {
      const roomId = `slope-${tag}-${wanted}`;
      const deadline = performance.now() + options.seedSeconds * 1000;
      let size = 0;
      while (size < wanted && performance.now() < deadline) {
        const docs = Array.from({ length: Math.min(2_000, wanted - size) }, (_, k) => ({
          roomId,
          seq: size + k + 1,
          clientId: `seed${tag}${wanted}_${size + k}`,
          author: AUTHOR,
          body: `${BODY} ${size + k}`,
          createdAt: new Date(),
        }));
        await connection.collection('messages').insertMany(docs.map((doc) => ({ ...doc })));
        await bare.insertMany(docs);
        size += docs.length;
      }
      const confab = new Samples();
      const raw = new Samples();
      // A slow path (seconds per append in a big room) must not hold the run: stop at the time budget.
      const appendDeadline = performance.now() + options.appendSeconds * 1000;
      for (let k = 0; k < options.appends && (k < 3 || performance.now() < appendDeadline); k++) {
        const clientId = `slope${tag}${wanted}_${k}`;
        let at = performance.now();
        await stores.messages.append({ roomId, clientId, author: AUTHOR, body: `${BODY} ${k}`, createdAt: new Date() });
        confab.push(performance.now() - at);
        at = performance.now();
        await bare.insertOne({ roomId, seq: size + k + 1, clientId, author: AUTHOR, body: `${BODY} ${k}`, createdAt: new Date() });
        raw.push(performance.now() - at);
      }
      points.push({ size, appends: confab.length, confabMs: summary(confab), bareMs: summary(raw) });
    }
  } finally {
    await connection.close();
    await stores.close();
  }
  return points;
}
