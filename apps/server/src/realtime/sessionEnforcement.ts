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

type EnforcedSocket = { data: unknown; disconnect(close: boolean): unknown };

function sessionOf(socket: EnforcedSocket): { sessionId?: string; sessionExpiresAt?: number } {
  return socket.data as { sessionId?: string; sessionExpiresAt?: number };
}

/**
 * Ends sockets whose session ended without a broadcast reaching this instance, at no cost per
 * idle socket: every `intervalMs` it disconnects the sockets whose session has expired, from the
 * expiry each socket learnt at its handshake (no store call). Sign-out and password changes reach
 * every instance as they happen, through the adapter (`disconnectSession`, `disconnectUser`);
 * only when this instance may have missed such a broadcast (its Redis link was interrupted)
 * does `recheckAll` ask the store about every session, once.
 */
export function startSessionRecheck(
  namespaces: readonly Namespace[],
  deps: { accounts: AccountService; intervalMs: number; now: () => Date; logger: Logger },
) {
  const localSockets = () => namespaces.flatMap((nsp) => [...nsp.sockets.values()] as EnforcedSocket[]);

  const timer = setInterval(() => {
    const now = deps.now().getTime();
    for (const socket of localSockets()) {
      const expiresAt = sessionOf(socket).sessionExpiresAt;
      if (expiresAt !== undefined && expiresAt <= now) socket.disconnect(true);
    }
  }, deps.intervalMs);
  timer.unref();

  let isRechecking = false;
  /** Asks the store about the session of every socket on this instance; ends those no longer active. */
  async function recheckAll(): Promise<void> {
    if (isRechecking) return;
    isRechecking = true;
    try {
      const bySession = new Map<string, EnforcedSocket[]>();
      for (const socket of localSockets()) {
        const { sessionId } = sessionOf(socket);
        if (sessionId) bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), socket]);
      }
      for (const [sessionId, sockets] of bySession) {
        if (!(await deps.accounts.isSessionActive(sessionId))) sockets.forEach((socket) => socket.disconnect(true));
      }
    } catch (err) {
      // The store is unreachable: keep the sockets; the next recovery checks again.
      deps.logger.warn({ err }, 'session recheck failed');
    } finally {
      isRechecking = false;
    }
  }

  return { recheckAll, stop: () => clearInterval(timer) };
}
