import type { Namespace } from 'socket.io';
import type { Logger } from '../logger.js';
import type { AccountService } from '../services/accountService.js';
import { sessionRoom, userRoom } from './rooms.js';

/**
 * Disconnects every socket of an ended session, on every instance (the adapter carries the
 * command). The client's next handshake is then refused with `unauthorized`.
 */
export function disconnectSession(namespaces: readonly Namespace[], sessionId: string): void {
  for (const nsp of namespaces) nsp.in(sessionRoom(sessionId)).disconnectSockets(true);
}

/**
 * Disconnects every socket of a user on every instance (a password change), except those of the
 * session that replaces theirs: a command delayed in Redis must not end a socket opened since.
 */
export function disconnectUser(namespaces: readonly Namespace[], userId: string, exceptSessionId: string): void {
  for (const nsp of namespaces) nsp.in(userRoom(userId)).except(sessionRoom(exceptSessionId)).disconnectSockets(true);
}

/**
 * Checks the session of every socket on this instance every `intervalMs`, so a session that
 * expired or was revoked while its socket stayed open ends within that bound, even if the
 * revocation's broadcast was missed (for example during a Redis outage).
 */
export function startSessionRecheck(
  namespaces: readonly Namespace[],
  deps: { accounts: AccountService; intervalMs: number; logger: Logger },
): () => void {
  let isRunning = false;
  const timer = setInterval(async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const bySession = new Map<string, { disconnect(close: boolean): unknown }[]>();
      for (const nsp of namespaces) {
        for (const socket of nsp.sockets.values()) {
          const sessionId = (socket.data as { sessionId?: string }).sessionId;
          if (sessionId) bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), socket]);
        }
      }
      for (const [sessionId, sockets] of bySession) {
        if (!(await deps.accounts.isSessionActive(sessionId))) sockets.forEach((socket) => socket.disconnect(true));
      }
    } catch (err) {
      // The store is unreachable: keep the sockets; the next round checks again.
      deps.logger.warn({ err }, 'session recheck failed');
    } finally {
      isRunning = false;
    }
  }, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
