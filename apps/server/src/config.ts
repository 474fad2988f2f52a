import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LIMITS, REGISTRATION_MODES, type RegistrationMode } from '@confab/shared';
import { trimTrailingSlashes } from './http/origin.js';
import { DEFAULT_RATE_LIMITS, type RateLimitRules } from './limits/rateLimits.js';
import { readOrCreateSessionSecret } from './sessionSecretFile.js';
import { STORE_FILE } from './store/memory/persistedMemoryStores.js';

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** The repository root's `.confab-data/`, wherever the server is started from. */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../.confab-data', import.meta.url));

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

const commaList = z
  .string()
  .transform((v) => v.split(',').map((s) => trimTrailingSlashes(s.trim())).filter(Boolean));

// `MONGODB_URL=` (empty) in an env file means "not set", like leaving the line out.
const mongoUrl = z
  .string()
  .regex(/^(mongodb(\+srv)?:\/\/.+)?$/, { error: 'MONGODB_URL must start with mongodb:// or mongodb+srv://' })
  .transform((v) => v || undefined);

const limitRuleSchema = z.strictObject({
  points: z.int().positive(),
  durationSeconds: z.number().positive(),
  burstPoints: z.int().positive().optional(),
  burstDurationSeconds: z.number().positive().optional(),
  blockSeconds: z.number().min(0).optional(),
});

// `RATE_LIMITS` is JSON naming only the limits to change, e.g. {"messages":{"points":10,"durationSeconds":5}}.
const rateLimitsSchema = z
  .string()
  .transform((v, ctx) => {
    try {
      return v ? (JSON.parse(v) as unknown) : {};
    } catch {
      ctx.addIssue({ code: 'custom', message: 'RATE_LIMITS must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject({
      messages: limitRuleSchema.optional(),
      typing: limitRuleSchema.optional(),
      signInPerUsername: limitRuleSchema.optional(),
      signInPerAddress: limitRuleSchema.optional(),
      registrationsPerAddress: limitRuleSchema.optional(),
      connectionsPerAddress: limitRuleSchema.optional(),
      invites: limitRuleSchema.optional(),
      channelCreates: limitRuleSchema.optional(),
      reactions: limitRuleSchema.optional(),
      uploads: limitRuleSchema.optional(),
      settings: limitRuleSchema.optional(),
      admin: limitRuleSchema.optional(),
    }),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: booleanFlag.optional(),
  // Empty (`SESSION_SECRET=` in an env file) means "not set".
  SESSION_SECRET: z
    .union([z.literal(''), z.string().min(32, { error: 'SESSION_SECRET must be at least 32 characters' })])
    .transform((v) => v || undefined)
    .optional(),
  DATA_DIR: z.string().transform((v) => resolve(v || DEFAULT_DATA_DIR)).default(DEFAULT_DATA_DIR),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 365).default(24 * 7),
  ALLOWED_ORIGINS: commaList.default([]),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: booleanFlag.default(false),
  WEB_DIST: z.string().min(1).default(DEFAULT_WEB_DIST),
  RATE_LIMITS: rateLimitsSchema.default({}),
  SESSION_RECHECK_SECONDS: z.coerce.number().positive().max(3600).default(30),
  RECALL_WINDOW_SECONDS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(120),
  // Unset (or empty): no limit; 0 switches editing off.
  EDIT_WINDOW_MINUTES: z
    .union([z.literal(''), z.coerce.number().int().min(0).max(10 * 365 * 24 * 60)])
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  // Empty or unset: DATA_DIR/files (without MONGODB_URL; with it, files go to GridFS).
  FILES_DIR: z.string().optional(),
  UPLOAD_MAX_MB: z.coerce.number().positive().max(10 * 1024).default(LIMITS.uploadMaxMbDefault),
  // 0: no quota.
  UPLOAD_QUOTA_MB: z.coerce.number().min(0).max(1024 * 1024).default(LIMITS.uploadQuotaMbDefault),
  REACTIONS_PER_MESSAGE_MAX: z.coerce.number().int().min(1).max(100).default(LIMITS.reactionsPerMessageDefault),
  AWAY_AFTER_MINUTES: z.coerce.number().positive().max(24 * 60).default(5),
  PRESENCE_SWEEP_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  PRESENCE_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(LIMITS.presenceFlushMs),
  ROOMS_PER_USER_MAX: z.coerce.number().int().min(1).max(10_000).default(LIMITS.roomsPerUserDefault),
  GROUP_MEMBERS_MAX: z.coerce.number().int().min(LIMITS.groupMembersMin).max(LIMITS.groupMembersMax).default(LIMITS.groupMembersMax),
  CHANNEL_NAME_MAX_LENGTH: z.coerce.number().int().min(1).max(LIMITS.channelNameMaxLength).default(LIMITS.channelNameMaxLength),
  PRESENCE_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  REDIS_URL: z
    .string()
    .regex(/^(rediss?:\/\/.+)?$/, { error: 'REDIS_URL must start with redis:// or rediss://' })
    .transform((v) => v || undefined)
    .optional(),
  MONGODB_URL: mongoUrl.optional(),
  MONGODB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(2_000),
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(65),
  HTTP_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).default(100),
  SOCKET_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).default(50),
  SOCKET_CONNECT_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
  // Empty or unset: no metrics endpoint.
  METRICS_PORT: z
    .union([z.literal(''), z.coerce.number().int().min(0).max(65535)])
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  SERVER_NAME: z.string().trim().min(1).max(LIMITS.serverNameMaxLength).default('Confab'),
  REGISTRATION: z.enum(REGISTRATION_MODES, { error: 'REGISTRATION must be open, invitation or closed' }).default('open'),
  // Usernames (any letter case) that are admins whenever they exist.
  ADMIN_USERNAMES: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
    .default([]),
  METRICS_TOKEN: z
    .union([z.literal(''), z.string().min(32, { error: 'METRICS_TOKEN must be at least 32 characters' })])
    .transform((v) => v || undefined)
    .optional(),
}).superRefine((e, ctx) => {
  // Node gives up on the whole request at the request timeout, so a longer headers timeout would never apply.
  if (e.HTTP_HEADERS_TIMEOUT_SECONDS > e.HTTP_REQUEST_TIMEOUT_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_SECONDS'], message: 'HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS' });
  }
  // A change must reach clients before the sweep that would repair it comes round.
  if (e.PRESENCE_FLUSH_MS > e.PRESENCE_SWEEP_MS) {
    ctx.addIssue({ code: 'custom', path: ['PRESENCE_FLUSH_MS'], message: 'PRESENCE_FLUSH_MS must not exceed PRESENCE_SWEEP_MS' });
  }
  // A generated secret is per machine: replicas would reject each other's sessions. Production says which one to use.
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'SESSION_SECRET is required when NODE_ENV=production (at least 32 characters)' });
  }
});

/** The server's settings, parsed once at start-up. Every variable is listed in `.env.example`. */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  logPretty: boolean;
  /** HMAC key for session tokens. */
  sessionSecret: string;
  /**
   * Where the secret came from: `SESSION_SECRET`; a file in `dataDir`, generated once
   * (development without `SESSION_SECRET`); or random per process (tests), so sessions die with it.
   */
  sessionSecretSource: 'env' | 'file' | 'random';
  /** The secret's file when `sessionSecretSource` is `file`. */
  sessionSecretPath: string | undefined;
  /** Folder for what the server keeps on local disk (the generated session secret, the embedded store's file). */
  dataDir: string;
  /**
   * Where the in-memory store keeps its data across restarts: `DATA_DIR/store.json` in development
   * without `MONGODB_URL`; otherwise undefined (MongoDB, or memory only: tests, production).
   */
  embeddedStoreFile: string | undefined;
  sessionTtlMs: number;
  /** Browser origins allowed to call the API and open sockets; empty means "the app's own origin". */
  allowedOrigins: string[];
  cookieSecure: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  /** Folder of the built web app; served when it holds an index.html. */
  webDist: string;
  /** Rate limits: the defaults with `RATE_LIMITS` applied. */
  rateLimits: RateLimitRules;
  /** How often open sockets are checked for an expired session (from the expiry read at the handshake). */
  sessionRecheckMs: number;
  /** How long after sending an author may recall a message. */
  recallWindowMs: number;
  /** How long after sending an author may edit a message (`EDIT_WINDOW_MINUTES`): null for no limit, 0 for never. */
  editWindowMs: number | null;
  /** Most distinct reaction emoji on one message (`REACTIONS_PER_MESSAGE_MAX`). */
  reactionsPerMessageMax: number;
  /**
   * Where uploaded files are kept without MongoDB: `FILES_DIR`, by default `DATA_DIR/files` in
   * development (beside the embedded store's file). Undefined with MongoDB (files go to GridFS),
   * and without `FILES_DIR` when nothing else is kept either (tests, production without MongoDB):
   * a temporary folder then, removed when the stores close.
   */
  filesDir: string | undefined;
  /** The largest upload in bytes (`UPLOAD_MAX_MB`), enforced while it streams in. */
  uploadMaxBytes: number;
  /** Bytes one user's stored files may take (`UPLOAD_QUOTA_MB`); null for no quota. */
  uploadQuotaBytes: number | null;
  /** After how long with no activity in any tab a user shows as away. */
  awayAfterMs: number;
  /** How often presence is re-evaluated (idle users become away). */
  presenceSweepMs: number;
  /** How often presence changes go out to lobby sockets, in one batch (see `LIMITS.presenceFlushMs`). */
  presenceFlushMs: number;
  /** Channels and groups one user may be a member of (`ROOMS_PER_USER_MAX`); the lobby and DMs do not count. */
  roomsPerUserMax: number;
  /** Most people in a group conversation (`GROUP_MEMBERS_MAX`, 3 to `LIMITS.groupMembersMax`). */
  groupMembersMax: number;
  /** Longest channel name in code points (`CHANNEL_NAME_MAX_LENGTH`, at most `LIMITS.channelNameMaxLength`). */
  channelNameMaxLength: number;
  /** With Redis: how long an instance's presence lease lives without renewal (a crashed instance's users go offline after it). */
  presenceLeaseMs: number;
  /** Redis URL; set, it switches on the Redis adapter and shared presence (several instances). */
  redisUrl: string | undefined;
  /** MongoDB connection string; unset means the in-memory store. */
  mongodbUrl: string | undefined;
  /** How long start-up keeps retrying an unreachable MongoDB before giving up. */
  mongodbConnectTimeoutMs: number;
  /** How long one operation waits for a reachable MongoDB before it is answered `unavailable`. */
  mongodbServerSelectionTimeoutMs: number;
  /** How long a client may take to send a request's headers. */
  httpHeadersTimeoutMs: number;
  /** How long a client may take to send a whole request, body included (a response may take longer: long-polling). */
  httpRequestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  httpKeepAliveTimeoutMs: number;
  /** Open TCP connections per client address; 0 means no cap. Not applied with `trustProxy`: every connection then comes from the proxy, which caps them itself. */
  httpConnectionsPerAddress: number;
  /** Open Engine.IO connections (WebSocket or polling sessions) per client address on this instance; 0 means no cap. */
  socketConnectionsPerAddress: number;
  /** How long an Engine.IO connection may stay open without a socket in any namespace. */
  socketConnectTimeoutMs: number;
  /** Port of the Prometheus endpoint (its own HTTP server, never the public one); undefined means off. */
  metricsPort: number | undefined;
  /** Address the metrics server listens on: loopback by default, so only this machine can scrape it. */
  metricsHost: string;
  /** When set, a scrape must send `Authorization: Bearer <token>` (for a metrics port reachable from other hosts). */
  metricsToken: string | undefined;
  /** The server's name until an admin changes it (`SERVER_NAME`). */
  serverName: string;
  /** Who may register until an admin changes it (`REGISTRATION`). */
  registration: RegistrationMode;
  /** Lower-cased usernames that are admins whenever they exist (`ADMIN_USERNAMES`): promoted at start-up, registration and sign-in. */
  adminUsernames: string[];
}

/**
 * Parses the environment, or throws an Error listing every bad variable. In development without
 * `SESSION_SECRET`, reads the session secret from `DATA_DIR`, creating it on first start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every setting.`);
  }
  const e = result.data;
  const secret = sessionSecret(e);
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY ?? e.NODE_ENV === 'development',
    sessionSecret: secret.secret,
    sessionSecretSource: secret.source,
    sessionSecretPath: secret.path,
    dataDir: e.DATA_DIR,
    // Tests must leave nothing on disk, and production without MongoDB is a deliberate throwaway.
    embeddedStoreFile: e.NODE_ENV === 'development' && !e.MONGODB_URL ? join(e.DATA_DIR, STORE_FILE) : undefined,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    allowedOrigins: e.ALLOWED_ORIGINS,
    cookieSecure: e.COOKIE_SECURE === 'true' ? 'always' : e.COOKIE_SECURE === 'false' ? 'never' : 'auto',
    trustProxy: e.TRUST_PROXY,
    webDist: e.WEB_DIST,
    rateLimits: Object.fromEntries(
      (Object.keys(DEFAULT_RATE_LIMITS) as (keyof RateLimitRules)[]).map((name) => [name, e.RATE_LIMITS[name] ?? DEFAULT_RATE_LIMITS[name]]),
    ) as unknown as RateLimitRules,
    sessionRecheckMs: Math.round(e.SESSION_RECHECK_SECONDS * 1000),
    recallWindowMs: e.RECALL_WINDOW_SECONDS * 1000,
    editWindowMs: e.EDIT_WINDOW_MINUTES === undefined ? null : e.EDIT_WINDOW_MINUTES * 60_000,
    reactionsPerMessageMax: e.REACTIONS_PER_MESSAGE_MAX,
    // Beside the embedded store's file, which remembers the messages that hold them; with memory
    // only (tests, production without MongoDB) they are as throwaway as the messages.
    filesDir: e.MONGODB_URL ? undefined : e.FILES_DIR ? resolve(e.FILES_DIR) : e.NODE_ENV === 'development' ? join(e.DATA_DIR, 'files') : undefined,
    uploadMaxBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
    uploadQuotaBytes: e.UPLOAD_QUOTA_MB === 0 ? null : Math.round(e.UPLOAD_QUOTA_MB * 1024 * 1024),
    awayAfterMs: Math.round(e.AWAY_AFTER_MINUTES * 60_000),
    presenceSweepMs: e.PRESENCE_SWEEP_MS,
    presenceFlushMs: e.PRESENCE_FLUSH_MS,
    roomsPerUserMax: e.ROOMS_PER_USER_MAX,
    groupMembersMax: e.GROUP_MEMBERS_MAX,
    channelNameMaxLength: e.CHANNEL_NAME_MAX_LENGTH,
    presenceLeaseMs: e.PRESENCE_LEASE_MS,
    redisUrl: e.REDIS_URL,
    mongodbUrl: e.MONGODB_URL,
    mongodbConnectTimeoutMs: e.MONGODB_CONNECT_TIMEOUT_MS,
    mongodbServerSelectionTimeoutMs: e.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    httpHeadersTimeoutMs: Math.round(e.HTTP_HEADERS_TIMEOUT_SECONDS * 1000),
    httpRequestTimeoutMs: Math.round(e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000),
    httpKeepAliveTimeoutMs: Math.round(e.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000),
    httpConnectionsPerAddress: e.HTTP_CONNECTIONS_PER_ADDRESS,
    socketConnectionsPerAddress: e.SOCKET_CONNECTIONS_PER_ADDRESS,
    socketConnectTimeoutMs: Math.round(e.SOCKET_CONNECT_TIMEOUT_SECONDS * 1000),
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    metricsToken: e.METRICS_TOKEN,
    serverName: e.SERVER_NAME,
    registration: e.REGISTRATION,
    adminUsernames: e.ADMIN_USERNAMES,
  });
}

function sessionSecret(e: z.infer<typeof envSchema>): { secret: string; source: Config['sessionSecretSource']; path: string | undefined } {
  if (e.SESSION_SECRET) return { secret: e.SESSION_SECRET, source: 'env', path: undefined };
  // Tests start many servers and must leave nothing on disk; production never gets here.
  if (e.NODE_ENV === 'test') return { secret: randomBytes(32).toString('base64url'), source: 'random', path: undefined };
  try {
    const { secret, path } = readOrCreateSessionSecret(e.DATA_DIR);
    return { secret, source: 'file', path };
  } catch (err) {
    throw new Error(`Could not keep a session secret in DATA_DIR (${e.DATA_DIR}): ${(err as Error).message}\nSet SESSION_SECRET, or DATA_DIR to a folder this user may write.`);
  }
}
