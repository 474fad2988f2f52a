import type { SocketData } from '@confab/shared';
import type { RedisClientType } from 'redis';
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import { createRevocationFeed, type Revocation } from '../scaleout/revocationFeed.js';
import type { AccountService } from '../services/accountService.js';
import { createSessionChecks } from './sessionChecks.js';
import { sessionRoom, userRoom } from './rooms.js';

type Namespaces = readonly Namespace[];

const dataOf = (socket: Socket): SocketData => socket.data as SocketData;

function localSessionIds(namespaces: Namespaces): Set<string> {
  return new Set(namespaces.flatMap((nsp) => [...nsp.sockets.values()].map((socket) => dataOf(socket).sessionId)));
}

/** The sessions of a user's sockets on this instance. */
function localSessionsOf(namespaces: Namespaces, userId: string): Set<string> {
  const sessions = new Set<string>();
  for (const nsp of namespaces) {
    for (const id of nsp.adapter.rooms.get(userRoom(userId)) ?? []) {
      const socket = nsp.sockets.get(id);
      if (socket) sessions.add(dataOf(socket).sessionId);
    }
  }
  return sessions;
}

/**
 * Ends a session's sockets: this instance's at once (with the Redis adapter even a local
 * disconnect otherwise waits for its own PUBLISH to come back), every other instance's through
 * the adapter.
 */
function disconnectSession(namespaces: Namespaces, sessionId: string): void {
  for (const nsp of namespaces) {
    nsp.local.in(sessionRoom(sessionId)).disconnectSockets(true);
    nsp.in(sessionRoom(sessionId)).disconnectSockets(true);
  }
}

/**
 * Ends every socket of a user (a password change) on every instance, except those of the session
 * that replaces theirs: a command delayed in Redis must not end a socket opened since.
 */
function disconnectUser(namespaces: Namespaces, userId: string, exceptSessionId: string): void {
  for (const nsp of namespaces) {
    nsp.local.in(userRoom(userId)).except(sessionRoom(exceptSessionId)).disconnectSockets(true);
    nsp.in(userRoom(userId)).except(sessionRoom(exceptSessionId)).disconnectSockets(true);
  }
}

/**
 * Ends the sockets of ended sessions, at no cost per idle socket.
 *
 * - Sign-out and password change (`endSession`, `endUserSessions`) end sockets at once, here and,
 *   through the adapter, on every instance. With Redis they are also appended to the revocation
 *   feed, which every instance reads once per `intervalMs`: a broadcast lost on the way (a PUBLISH
 *   dropped by a connection reset) still arrives within an interval of the entry.
 * - A socket whose handshake read its session just before it ended joined its session's rooms
 *   after the broadcast went out: its session is checked once more after the join. An end
 *   written before that read is seen by it; one written after reaches the rooms.
 * - Expiry: every `intervalMs`, from the expiry each socket learnt at its handshake (no store call).
 * - `recheckAll` (the Redis link is back after an interruption) repositions the feed and checks
 *   every local socket's session against the store, retrying what the store cannot answer.
 */
export function startSessionEnforcement(
  namespaces: Namespaces,
  deps: { accounts: AccountService; intervalMs: number; now: () => Date; logger: Logger; redis?: RedisClientType },
) {
  const endHere = (sessionId: string) => namespaces.forEach((nsp) => nsp.local.in(sessionRoom(sessionId)).disconnectSockets(true));
  const checks = createSessionChecks({
    accounts: deps.accounts,
    retryMs: deps.intervalMs,
    logger: deps.logger,
    isLocal: (sessionId) => namespaces.some((nsp) => nsp.adapter.rooms.has(sessionRoom(sessionId))),
    end: endHere,
  });

  function apply(revocations: readonly Revocation[]): void {
    for (const revocation of revocations) {
      if (revocation.kind === 'session') endHere(revocation.sessionId);
      // The store decides, not the entry: a session signed in after the change, which the entry
      // cannot name, must survive it.
      else if (revocation.kind === 'user') checks.request([...localSessionsOf(namespaces, revocation.userId)].filter((id) => id !== revocation.exceptSessionId));
      else checks.request(localSessionIds(namespaces));
    }
  }
  const feed = deps.redis && createRevocationFeed(deps.redis, { logger: deps.logger, onRevoked: apply, onRepositioned: () => checks.request(localSessionIds(namespaces)) });

  const onConnection = (socket: Socket) => {
    const { user, sessionId } = dataOf(socket);
    // The namespace joins these rooms too; joining here as well keeps the check after the join.
    void Promise.resolve(socket.join([userRoom(user.id), sessionRoom(sessionId)])).then(() => checks.checkNow(sessionId));
  };
  for (const nsp of namespaces) nsp.on('connection', onConnection);

  const timer = setInterval(() => {
    const now = deps.now().getTime();
    for (const nsp of namespaces) {
      for (const socket of nsp.sockets.values()) {
        if (dataOf(socket).sessionExpiresAt <= now) socket.disconnect(true);
      }
    }
    void feed?.sync();
  }, deps.intervalMs);
  timer.unref();

  return {
    /** Sign-out: resolves once the feed holds the end, or has queued it because Redis refused it. */
    async endSession(sessionId: string): Promise<void> {
      disconnectSession(namespaces, sessionId);
      await feed?.publish({ kind: 'session', sessionId });
    },
    /** Password change: like `endSession`, for every session of the user but `exceptSessionId`. */
    async endUserSessions(userId: string, exceptSessionId: string): Promise<void> {
      disconnectUser(namespaces, userId, exceptSessionId);
      await feed?.publish({ kind: 'user', userId, exceptSessionId });
    },
    /** Ends were possibly missed (the Redis link was interrupted): check every local session. */
    recheckAll(): void {
      if (feed) feed.reposition();
      else checks.request(localSessionIds(namespaces));
    },
    stop(): void {
      clearInterval(timer);
      for (const nsp of namespaces) nsp.off('connection', onConnection);
      checks.stop();
      feed?.stop();
    },
  };
}
