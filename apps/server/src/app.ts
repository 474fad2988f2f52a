import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { LIMITS, NAMESPACES } from '@confab/shared';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { StoreUnavailableError } from './store/errors.js';
import type { Stores } from './store/ports.js';
import { createSessionTokens } from './auth/sessionTokens.js';
import { registerAuthRoutes } from './http/authRoutes.js';
import { isUploadRequest, registerFileRoutes } from './http/fileRoutes.js';
import { registerHealthRoutes } from './http/healthRoutes.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import { registerSettingsRoute } from './http/settingsRoute.js';
import { registerWebApp } from './http/webApp.js';
import { isOriginAllowed } from './http/origin.js';
import { createHandshakeGuard } from './realtime/handshake.js';
import { oneSocketPerNamespace } from './realtime/oneSocketPerNamespace.js';
import { createEngineGuard } from './realtime/engineGuard.js';
import { httpTimeoutOptions, limitConnectionsPerAddress } from './http/connectionLimits.js';
import { registerDm, type DmNamespace } from './realtime/namespaces/dm.js';
import { createRoomDelivery, type RoomDelivery } from './realtime/roomDelivery.js';
import { registerLobby, type LobbyNamespace } from './realtime/namespaces/lobby.js';
import { createPresenceBroadcast, type PresenceBroadcast } from './realtime/presenceBroadcast.js';
import { createAccountService } from './services/accountService.js';
import { createRateLimits } from './limits/rateLimits.js';
import { MemoryPresenceRegistry } from './presence/memoryRegistry.js';
import { createPresenceService } from './presence/presenceService.js';
import { RedisPresenceRegistry } from './presence/redisRegistry.js';
import { startSessionEnforcement } from './realtime/sessionEnforcement.js';
import { useRedisAdapter, waitForSubscriptions, type RedisConnections } from './scaleout/redis.js';
import { resyncLocalClients } from './scaleout/resync.js';
import { createDmService } from './services/dmService.js';
import { createMessageService } from './services/messageService.js';
import { createNotifySettingService } from './services/notifySettingService.js';
import { createRoomServices, type RoomEffects } from './services/rooms/index.js';
import { serveMetrics, type MetricsEndpoint } from './metrics/endpoint.js';
import { createMetrics } from './metrics/metrics.js';
import { countRefusals, countSocketEvents } from './metrics/socketMetrics.js';
import { instrumentStores } from './store/instrumented.js';
import { createFileService, type FileService } from './files/fileService.js';
import { limitBodyTimeExceptUploads, uploadRequestTimeoutMs } from './files/uploadDeadline.js';
import { registerAdmin, type AdminNamespace } from './realtime/namespaces/admin.js';
import { userRoom } from './realtime/rooms.js';
import { startAdminSync } from './scaleout/adminSync.js';
import { startAdministration } from './services/admin/index.js';
import { createModeration } from './services/admin/moderation.js';
import { createSettingsAdmin } from './services/admin/settingsAdmin.js';
import { createUserAdmin } from './services/admin/userAdmin.js';

/** How long in-flight HTTP requests may take to finish when the server closes. */
const CLOSE_GRACE_MS = 3_000;
/** How often uploads no message took are looked for (they are removed `LIMITS.unattachedUploadTtlMs` after upload). */
const ORPHAN_SWEEP_MS = 60 * 60 * 1000;
/** The first sweep, this long after start. */
const FIRST_ORPHAN_SWEEP_MS = 60 * 1000;

export interface AppDeps {
  stores: Stores;
  logger: Logger;
  /** The clock every service reads; tests pass a fake one. */
  now?: () => Date;
  /** With Redis: the Redis adapter and the shared presence registry (scale-out). */
  redis?: RedisConnections;
  /** How often settings and deactivated users are read again (`ADMIN_RESYNC_MS` unless a test sets it). */
  adminResyncMs?: number;
}

export interface App {
  http: FastifyInstance;
  io: Server;
  /** This process's id: presence leases carry it, `/readyz` reports it. */
  instanceId: string;
  /** Uploads and downloads; its `sweep(now)` removes uploads no message took (run a minute after start, then hourly). */
  files: FileService;
  /** Starts listening (and the metrics endpoint, when `metricsPort` is set); resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** The metrics endpoint's port once listening; undefined when metrics are off. */
  metricsPort(): number | undefined;
  /** Stops accepting, disconnects every socket, closes the HTTP server. Stores are the caller's. */
  close(): Promise<void>;
}

/** Builds the HTTP API, the web app and the Socket.IO namespaces from injected parts. */
export async function createApp(deps: AppDeps, config: Config): Promise<App> {
  /** Node's request timeout is one number for the server: long enough for the largest upload allowed now. */
  const serverRequestTimeoutMs = (uploadMaxBytes: number) => Math.max(config.httpRequestTimeoutMs, uploadRequestTimeoutMs({ ...config, uploadMaxBytes }));
  const now = deps.now ?? (() => new Date());
  // Off unless a port is set: collecting costs timers and observers, which many test servers need not pay.
  const metrics = config.metricsPort === undefined ? undefined : createMetrics();
  deps = metrics ? { ...deps, stores: instrumentStores(deps.stores, metrics.storeCall) } : deps;
  const tokens = createSessionTokens({ secret: config.sessionSecret, ttlMs: config.sessionTtlMs, now });
  // What admins set and decide, read at start and kept current on every instance (scaleout/adminSync.ts).
  const { live, audit, deactivatedUsers, roles, invitations, registration } = await startAdministration({ stores: deps.stores, config, now, logger: deps.logger });
  const accounts = createAccountService({ users: deps.stores.users, sessions: deps.stores.sessions, tokens, now, registration, logger: deps.logger });
  const messages = createMessageService({
    messages: deps.stores.messages,
    reactions: deps.stores.reactions,
    files: deps.stores.files,
    now,
    // Getters: an admin's change of either window applies to the next recall or edit.
    get recallWindowMs() {
      return live.current().recallWindowMs;
    },
    get editWindowMs() {
      return live.current().editWindowMs;
    },
    reactionsPerMessageMax: config.reactionsPerMessageMax,
    isDeactivated: (userId) => deactivatedUsers.has(userId),
  });
  const dms = createDmService({ stores: deps.stores, messages, now });
  // The rooms' transport needs the namespaces, made below; the services ask it only once running.
  let delivery: RoomDelivery | undefined;
  const effects: RoomEffects = {
    deliver: (...args) => delivery?.effects.deliver(...args),
    addSockets: (...args) => delivery?.effects.addSockets(...args),
    removeSockets: (...args) => delivery?.effects.removeSockets(...args),
    notifyUpdate: (...args) => delivery?.effects.notifyUpdate(...args),
    notifyRemoved: (...args) => delivery?.effects.notifyRemoved(...args),
    notifyRead: (...args) => delivery?.effects.notifyRead(...args),
    notifyReadToRoom: (...args) => delivery?.effects.notifyReadToRoom(...args),
    relayTyping: (...args) => delivery?.effects.relayTyping(...args),
  };
  const rooms = createRoomServices({
    stores: deps.stores,
    messages,
    dms,
    effects,
    now,
    logger: deps.logger,
    limits: { roomsPerUserMax: config.roomsPerUserMax, groupMembersMax: config.groupMembersMax, channelNameMaxLength: config.channelNameMaxLength },
  });
  const notifySettings = createNotifySettingService({
    settings: deps.stores.notifySettings,
    users: deps.stores.users,
    access: rooms.access,
    limits: { roomsPerUserMax: config.roomsPerUserMax },
  });
  const instanceId = randomUUID();
  const rateLimits = createRateLimits(config.rateLimits, deps.redis?.client, metrics?.rateLimited);
  rateLimits.setPreset(live.current().rateLimitPreset);
  const moderation = createModeration({ stores: deps.stores, messages, rooms, audit, now, logger: deps.logger });
  if (metrics) deps.redis?.onError(metrics.redisError);
  const presenceRegistry = deps.redis
    ? new RedisPresenceRegistry(deps.redis.client, { instanceId, leaseMs: config.presenceLeaseMs })
    : new MemoryPresenceRegistry();
  if (presenceRegistry instanceof RedisPresenceRegistry) await presenceRegistry.start();

  const http = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: LIMITS.maxHttpBodyBytes,
    trustProxy: config.trustProxy,
    // Two lines per request would let any client write to the log at will; failures (5xx) are
    // still logged by the error handler, and nginx keeps the access log in front.
    logController: new LogController({ disableRequestLogging: true }),
    // Node's request timeout is server-wide: long enough for a slow upload;
    // limitBodyTimeExceptUploads (below) gives every other request back the configured one.
    ...httpTimeoutOptions({ ...config, httpRequestTimeoutMs: serverRequestTimeoutMs(live.current().uploadMaxBytes) }),
  });
  live.onChange((settings) => {
    rateLimits.setPreset(settings.rateLimitPreset);
    // Node reads it at each check of its connections, so a raised upload limit gets its time at once.
    http.server.requestTimeout = serverRequestTimeoutMs(settings.uploadMaxBytes);
  });
  if (!config.trustProxy) limitConnectionsPerAddress(http.server, config.httpConnectionsPerAddress, deps.logger);
  await http.register(fastifyCookie);
  await registerSecurityHeaders(http);

  // Browsers send Origin on cross-site state-changing requests; refusing foreign ones stops CSRF.
  http.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (!isOriginAllowed(request.headers.origin, request.headers.host, config.allowedOrigins)) {
      return reply.code(403).send({ error: { code: 'origin_not_allowed', message: 'This origin may not call the API.' } });
    }
  });
  http.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    if (err instanceof StoreUnavailableError) {
      request.log.warn({ err: err.message }, 'store unavailable');
      return reply.code(503).send({ error: { code: 'unavailable', message: 'The database is unreachable; nothing was changed. Try again shortly.' } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    const error =
      status === 413
        ? { code: 'invalid_payload', message: 'The request body is too large.', field: '' }
        : status < 500
          ? { code: 'invalid_payload', message: err.message, field: '' }
          : { code: 'internal', message: 'Something went wrong on the server.' };
    return reply.code(status).send({ error });
  });

  registerHealthRoutes(http, { stores: deps.stores, instanceId, ...(deps.redis ? { isRedisReady: deps.redis.isReady } : {}) });
  // Once an account exists, one always does (accounts are deactivated, never deleted).
  let hasUsers = false;
  registerSettingsRoute(http, { config, settings: live.current, hasUsers: async () => (hasUsers ||= (await deps.stores.users.count()) > 0), now });
  // Set once the namespaces exist; sign-out can only happen after listen, so it is always set by then.
  let endSession = async (_sessionId: string): Promise<void> => {};
  let endUserSessions = async (_userId: string, _exceptSessionId: string): Promise<void> => {};
  registerAuthRoutes(http, {
    accounts,
    config,
    rateLimits,
    onSessionEnded: (sessionId) => endSession(sessionId),
    onUserSessionsEnded: (userId, exceptSessionId) => endUserSessions(userId, exceptSessionId),
  });
  const files = createFileService({
    stores: deps.stores,
    rateLimits,
    now,
    logger: deps.logger,
    maxBytes: () => live.current().uploadMaxBytes,
    quotaBytes: () => live.current().uploadQuotaBytes,
  });
  await registerFileRoutes(http, { accounts, files, config });
  const sweepOrphans = () => {
    files.sweep().catch((err: unknown) => deps.logger.warn({ err }, 'the sweep of unattached uploads failed; the next one retries'));
  };
  const orphanSweep = setInterval(sweepOrphans, ORPHAN_SWEEP_MS);
  orphanSweep.unref();
  // Once soon after start too: a server restarted more often than hourly would otherwise never sweep.
  const firstOrphanSweep = setTimeout(sweepOrphans, FIRST_ORPHAN_SWEEP_MS);
  firstOrphanSweep.unref();
  const hasWebApp = await registerWebApp(http, config.webDist);
  if (!hasWebApp) deps.logger.warn({ webDist: config.webDist }, 'no built web app found; serving the API only');

  // Each namespace has its own event maps, so the server itself stays untyped and each namespace is typed where it is made.
  const engineGuard = createEngineGuard(config, deps.logger, metrics && { refused: (code) => metrics.refused('engine', code), idleClosed: metrics.idleClosed });
  const io = new Server(http.server, {
    maxHttpBufferSize: LIMITS.maxFrameBytes,
    serveClient: false,
    allowRequest: engineGuard.allowRequest,
    connectTimeout: config.socketConnectTimeoutMs,
  });
  // After Socket.IO took over the server's request listeners, so that its polling requests get the
  // ordinary request timeout too, rather than the server-wide one stretched for uploads.
  limitBodyTimeExceptUploads(http.server, config.httpRequestTimeoutMs, isUploadRequest);
  if (deps.redis) useRedisAdapter(io, deps.redis);
  // One socket per namespace per connection, checked before the guard spends anything.
  const guarded = oneSocketPerNamespace(createHandshakeGuard({ accounts, config, rateLimits, logger: deps.logger }));
  const admit = metrics ? countRefusals(guarded, metrics) : guarded;
  // The main namespace serves nothing; like every namespace, it admits only signed-in users.
  io.of('/').use(admit);
  const lobby = io.of(NAMESPACES.lobby) as LobbyNamespace;
  lobby.use(admit);
  // Set right below: the broadcast reads snapshots from the service, which publishes through it.
  let presenceBroadcast: PresenceBroadcast | undefined;
  const presence = createPresenceService({
    registry: presenceRegistry,
    instanceId,
    now,
    awayAfterMs: config.awayAfterMs,
    sweepMs: config.presenceSweepMs,
    // Other instances notice a lost lease at their next renewal, a third of the lease.
    reassertWaitMs: deps.redis ? Math.ceil(config.presenceLeaseMs / 3) + 200 : 0,
    publish: (update) => presenceBroadcast?.publish(update),
    reannounce: (updates, since) => presenceBroadcast?.reannounce(updates, since),
    logger: deps.logger,
  });
  presenceBroadcast = createPresenceBroadcast({ lobby, snapshot: () => presence.snapshot(), flushMs: config.presenceFlushMs, hasPeers: deps.redis !== undefined, logger: deps.logger });
  // Other instances' batches arrive as server-side events (through Redis), for this instance's sockets.
  lobby.on('presence:changes', (batch) => presenceBroadcast?.receive(batch));
  const presenceSweep = setInterval(() => void presence.sweep(), config.presenceSweepMs);
  presenceSweep.unref();
  // Open tabs fetch the public settings again: each instance tells its own sockets once it applied a change.
  live.onChange(() => lobby.local.emit('settings:changed'));
  const dm = io.of(NAMESPACES.dm) as DmNamespace;
  delivery = createRoomDelivery({ lobby, dm, dms, roomStore: deps.stores.rooms, hasPeers: deps.redis !== undefined, logger: deps.logger });
  const { joinMemberRooms } = delivery;
  registerLobby(lobby, { messaging: rooms.messaging, joinMemberRooms, presence, presenceBroadcast, rateLimits, logger: deps.logger });
  dm.use(admit);
  registerDm(dm, { dms, rooms, notifySettings, joinMemberRooms, delivery, rateLimits, logger: deps.logger });
  const adminNsp = io.of(NAMESPACES.admin) as AdminNamespace;
  adminNsp.use(admit);
  const adminSync = startAdminSync({
    carrier: lobby,
    hasPeers: deps.redis !== undefined,
    live,
    deactivated: deactivatedUsers,
    ...(deps.adminResyncMs ? { resyncMs: deps.adminResyncMs } : {}),
    endLocalSockets: (userIds) => {
      for (const nsp of [lobby, dm, adminNsp]) for (const id of userIds) nsp.local.in(userRoom(id)).disconnectSockets(true);
    },
    // Open tabs follow an admin's change without a reload: the mark beside a name, the menu of whoever changed.
    tellLocalSockets: ({ updates, sessionsChanged }) => {
      for (const update of updates) lobby.local.emit('user:updated', update);
      for (const id of sessionsChanged) lobby.local.in(userRoom(id)).emit('session:changed');
    },
    logger: deps.logger,
  });
  const userAdmin = createUserAdmin({
    users: deps.stores.users,
    sessions: deps.stores.sessions,
    roles,
    audit,
    moderation,
    now,
    logger: deps.logger,
    endUserSessions: (userId) => endUserSessions(userId, ''),
    usersChanged: (userIds) => adminSync.usersChanged(userIds),
  });
  const settingsAdmin = createSettingsAdmin({ live, audit, settingsChanged: () => adminSync.settingsChanged() });
  registerAdmin(adminNsp, { users: deps.stores.users, live, settings: settingsAdmin, userAdmin, invitations, audit, moderation, rateLimits, logger: deps.logger });
  const namespaces = [io.of('/'), lobby, dm, adminNsp];
  engineGuard.attach(io, namespaces);
  if (metrics) {
    metrics.watchServer(io, namespaces);
    countSocketEvents(namespaces, metrics);
  }
  let metricsEndpoint: MetricsEndpoint | undefined;
  const sessionRecheck = startSessionEnforcement([lobby, dm, adminNsp], { accounts, intervalMs: config.sessionRecheckMs, now, logger: deps.logger, ...(deps.redis ? { redis: deps.redis.client } : {}) });
  if (deps.redis) {
    await waitForSubscriptions(deps.redis, [lobby, dm, adminNsp]);
    deps.redis.onSubscriberRecovered(() => {
      void resyncLocalClients({ lobby, dm, presence, rooms: deps.stores.rooms, logger: deps.logger });
      // A sign-out or password change on another instance may have been among what was missed.
      sessionRecheck.recheckAll();
      adminSync.resync();
    });
  }
  endSession = (sessionId) => sessionRecheck.endSession(sessionId);
  endUserSessions = (userId, exceptSessionId) => sessionRecheck.endUserSessions(userId, exceptSessionId);

  return {
    http,
    io,
    instanceId,
    files,
    metricsPort: () => metricsEndpoint?.port,
    async listen(port, host) {
      if (metrics && config.metricsPort !== undefined) {
        metricsEndpoint = await serveMetrics(metrics.registry, { port: config.metricsPort, host: config.metricsHost, token: config.metricsToken, logger: deps.logger });
      }
      await http.listen({ port, host });
      const address = http.server.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    async close() {
      // io.close() ends every engine connection, so clients see "transport close" and reconnect
      // (to another instance, behind a load balancer); it also closes the HTTP server.
      clearInterval(presenceSweep);
      clearInterval(orphanSweep);
      clearTimeout(firstOrphanSweep);
      presenceBroadcast?.stop();
      sessionRecheck.stop();
      adminSync.stop();
      delivery?.close();
      dms.close();
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      // The HTTP server closes once its last connection does. A keep-alive connection that was
      // mid-request when closing began turns idle afterwards and would linger until its keep-alive
      // timeout: close idle ones as they appear, and, after a grace period, every one.
      const idleSweep = setInterval(() => http.server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => http.server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed.finally(() => {
        clearInterval(idleSweep);
        clearTimeout(deadline);
      });
      await http.close();
      await metricsEndpoint?.close();
      await presenceRegistry.close();
    },
  };
}
