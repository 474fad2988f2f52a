import type { AdminClientToServerEvents, ConnectErrorData } from '@confab/shared';
import { clientError } from '../i18n/errors';
import type { SendError } from '../lib/messages';
import { createRequester } from './request';
import { getAdminSocket, listenAll } from './socket';

/** What the administration screen hears of its connection. */
export interface AdminConnectionHandlers {
  /** Connected (again): what the screen shows may be stale, so it loads it afresh. */
  onConnect(): void;
  /** Lost the connection; socket.io reconnects by itself unless the server ended it. */
  onDisconnect(): void;
  /** The server refused the handshake (an ended session, a rate limit): no retry will help by itself. */
  onRefused(error: SendError): void;
}

/**
 * Connects the `/admin` socket and reports its state until the returned function disconnects it
 * again. The server checks the caller's role on every event, not at connect, so a member who got
 * here connects too and sees each request refused with `forbidden`.
 */
export function openAdminConnection(handlers: AdminConnectionHandlers): () => void {
  const socket = getAdminSocket();
  const onConnectError = (err: Error) => {
    // A transport failure while socket.io is still retrying: wait for its next attempt.
    if (socket.active) return;
    const data = (err as Error & { data?: ConnectErrorData }).data;
    handlers.onRefused(data ? { code: data.code, message: data.message, ...(data.retryAfterMs ? { retryAfterMs: data.retryAfterMs } : {}) } : clientError('disconnected', 'errors.disconnected'));
  };
  const unlisten = listenAll(socket, [
    ['connect', handlers.onConnect],
    ['disconnect', handlers.onDisconnect],
    ['connect_error', onConnectError],
  ]);
  if (socket.connected) handlers.onConnect();
  else socket.connect();
  return () => {
    unlisten();
    socket.disconnect();
  };
}

let requester: ReturnType<typeof createRequester<AdminClientToServerEvents>> | null = null;

/** Sends one `/admin` event and resolves with its ack (never rejects; see createRequester). */
export const adminRequest: ReturnType<typeof createRequester<AdminClientToServerEvents>> = (event, payload) => {
  requester ??= createRequester<AdminClientToServerEvents>(getAdminSocket());
  return requester(event, payload);
};
