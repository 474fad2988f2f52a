import { LOBBY_ROOM_ID, type UserDto } from '@confab/shared';
import { randomUUID } from 'node:crypto';
import { createApp, type App } from './app.js';
import { createSessionTokens } from './auth/sessionTokens.js';
import { SESSION_COOKIE } from './http/sessionCookie.js';
import { credentialOf } from './services/accountService.js';
import { toUserDto } from './services/toDto.js';
import { loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectRedis } from './scaleout/redis.js';
import { createMemoryStores } from './store/memory/index.js';
import type { StoredMessage, Stores } from './store/ports.js';

// What other packages' tests may use: a real server on a free port, built from the same createApp.
export { createMemoryStores };
export type { Stores, StoredMessage, Config, App };

export interface RunningServer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** `http://127.0.0.1:PORT/metrics` when the test set `config.metricsPort` (0 picks a free port). */
  metricsUrl: string | undefined;
  stores: Stores;
  app: App;
  /**
   * A user and a session cookie made straight in the stores, without hashing a password (which
   * would dominate a test or benchmark connecting thousands of users). The user cannot sign in
   * with a password; the cookie works like one from sign-in.
   */
  seedUser(username?: string): Promise<{ user: UserDto; cookie: string }>;
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  stores?: Stores;
  /** Folder of the built web app to serve. */
  staticDir?: string;
  now?: () => Date;
  /** Settings over the test defaults; `rateLimits` names only the limits to set, the rest stay unlimited. */
  config?: Partial<Omit<Config, 'rateLimits'>> & { rateLimits?: Partial<Config['rateLimits']> };
  /** Join the instances using this Redis (adapter + shared presence); closed with the server. */
  redisUrl?: string;
  /** Where the server logs (a test that reads the log); quiet unless LOG_LEVEL is set, by default. */
  logger?: Logger;
  /** How often the server reads settings and deactivated users again (30 s by default). */
  adminResyncMs?: number;
}

/** Starts a real Confab server on 127.0.0.1, quiet unless LOG_LEVEL is set. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', LOG_PRETTY: 'false' });
  const config: Config = {
    ...base,
    // Tests create many users and messages from one address; the rate-limit tests set their own.
    ...(options.staticDir ? { webDist: options.staticDir } : { webDist: '/nonexistent' }),
    // Likewise many connections from one address: the tests of these caps set their own.
    httpConnectionsPerAddress: 0,
    socketConnectionsPerAddress: 0,
    // Presence batches every 50 ms rather than every second, so tests need not wait for them.
    presenceFlushMs: 50,
    ...options.config,
    rateLimits: {
      ...(Object.fromEntries(Object.keys(base.rateLimits).map((name) => [name, { points: 1_000_000, durationSeconds: 1 }])) as unknown as Config['rateLimits']),
      ...options.config?.rateLimits,
    },
  };
  const stores = options.stores ?? createMemoryStores();
  const logger = options.logger ?? createLogger({ level: config.logLevel, pretty: false });
  const redis = options.redisUrl ? await connectRedis(options.redisUrl, logger) : undefined;
  const app = await createApp({ stores, logger, ...(options.now ? { now: options.now } : {}), ...(redis ? { redis } : {}), ...(options.adminResyncMs ? { adminResyncMs: options.adminResyncMs } : {}) }, config);
  const port = await app.listen(options.port ?? 0, '127.0.0.1');
  const tokens = createSessionTokens({ secret: config.sessionSecret, ttlMs: config.sessionTtlMs, now: options.now ?? (() => new Date()) });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    metricsUrl: app.metricsPort() === undefined ? undefined : `http://127.0.0.1:${app.metricsPort()}/metrics`,
    stores,
    app,
    async seedUser(username = `seed${randomUUID().replaceAll('-', '').slice(0, 12)}`) {
      const passwordHash = `seeded:${randomUUID()}`;
      const created = await stores.users.create({ username, displayName: username, passwordHash, createdAt: new Date() });
      if (created === 'username_taken') throw new Error(`username ${username} is taken`);
      const session = await tokens.issue(created.id);
      await stores.sessions.create({ id: session.sessionId, userId: created.id, expiresAt: session.expiresAt, credential: credentialOf(passwordHash) });
      return { user: toUserDto(created), cookie: `${SESSION_COOKIE}=${session.token}` };
    },
    async close() {
      await app.close();
      await redis?.close();
      // Stores made here are closed here (a temporary files folder goes with them); a caller's are the caller's.
      if (!options.stores) await stores.close();
    },
  };
}

/** Stores a lobby message as if `author` had sent it, without broadcasting: "sent while you were away". */
export async function postMessage(stores: Stores, author: UserDto, body: string): Promise<StoredMessage> {
  const { message } = await stores.messages.append({
    roomId: LOBBY_ROOM_ID,
    clientId: randomUUID(),
    author: { id: author.id, name: author.displayName },
    body,
    createdAt: new Date(),
  });
  return message;
}
