import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/logger.js';
import { createMongoStores } from '../../src/store/mongo/index.js';
import { createMemoryStores, startServer, type Stores } from '../../src/testing.js';
import { trackConnections, type Instance } from './instance.js';
import { seedUsers } from './seedUsers.js';
import type { ReadyInfo, ServerSpec } from './spec.js';

const SESSION_TTL_MS = 24 * 3_600_000;

async function openStores(spec: ServerSpec): Promise<Stores> {
  if (!spec.mongo) return createMemoryStores();
  return createMongoStores(spec.mongo.url, { logger: createLogger({ level: 'warn', pretty: false }), dbName: spec.mongo.dbName, connectTimeoutMs: 10_000 });
}

/**
 * Confab instances built exactly as the tests build them (`startServer`: every rate limit and
 * per-address cap lifted, logs off), sharing one store, with `spec.users` users signed in.
 */
export async function startConfab(spec: ServerSpec): Promise<{ info: ReadyInfo; instances: Instance[]; close(): Promise<void> }> {
  const stores = await openStores(spec);
  const sessionSecret = randomBytes(32).toString('base64url');
  const users = await seedUsers(stores, { count: spec.users, sessionSecret, ttlMs: SESSION_TTL_MS });
  const instances: Instance[] = [];
  for (let i = 0; i < spec.instances; i++) {
    const server = await startServer({
      stores,
      ...(spec.redisUrl ? { redisUrl: spec.redisUrl } : {}),
      config: {
        sessionSecret,
        sessionTtlMs: SESSION_TTL_MS,
        ...(spec.sessionRecheckMs ? { sessionRecheckMs: spec.sessionRecheckMs } : {}),
      },
    });
    const connections = trackConnections(server.app.http.server);
    let closed: Promise<void> | undefined;
    const close = () => (closed ??= server.close());
    instances.push({
      url: server.url,
      close,
      async crash() {
        connections.destroyAll();
        await close();
      },
    });
  }
  return {
    info: { urls: instances.map((instance) => instance.url), users },
    instances,
    async close() {
      await Promise.all(instances.map((instance) => instance.close()));
      await stores.close();
    },
  };
}
