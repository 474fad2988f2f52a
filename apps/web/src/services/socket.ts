import { t } from '../i18n';
import { io, type Manager, type Socket } from 'socket.io-client';
import {
  NAMESPACES,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type DmClientToServerEvents,
  type DmServerToClientEvents,
  type LobbyClientToServerEvents,
  type LobbyServerToClientEvents,
} from '@confab/shared';

export type LobbySocket = Socket<LobbyServerToClientEvents, LobbyClientToServerEvents>;
export type DmSocket = Socket<DmServerToClientEvents, DmClientToServerEvents>;
export type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

let expectedUserId: string | null = null;

/**
 * The user this tab is signed in as. Every handshake names it, and the server refuses a cookie
 * of anyone else: another tab may have signed in as someone else meanwhile, and this tab's
 * unsent messages must never go out under that name.
 */
export function expectUser(userId: string | null): void {
  expectedUserId = userId;
}

const OPTIONS = {
  autoConnect: false,
  withCredentials: true,
  auth: (send: (auth: { userId?: string }) => void) => send(expectedUserId ? { userId: expectedUserId } : {}),
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
} as const;

/** The one `/lobby` socket of this tab. Connected by the realtime edge once a user is signed in. */
export const lobbySocket: LobbySocket = io(NAMESPACES.lobby, OPTIONS);

/**
 * The one `/dm` socket of this tab. socket.io multiplexes it over the lobby socket's connection
 * (same manager), so both reconnect together; the session cookie goes with that one handshake,
 * which is why the realtime edge disconnects both before connecting either for a new user.
 */
export const dmSocket: DmSocket = io(NAMESPACES.dm, OPTIONS);

let adminSocket: AdminSocket | null = null;

/**
 * The one `/admin` socket of this tab, made the first time an admin opens the administration
 * screen (members never make it) and connected only while that screen is open (services/admin.ts).
 * It shares the lobby socket's manager, so its handshake carries the same session; the screen
 * disconnects it when it closes, so that a new user's handshake is never kept waiting behind it.
 */
export function getAdminSocket(): AdminSocket {
  adminSocket ??= io(NAMESPACES.admin, OPTIONS);
  return adminSocket;
}

/**
 * Whether a connect_error is the server's origin gate refusing this page: it answers the
 * handshake request with 403 and an `origin_not_allowed` message before any connection exists.
 * The polling transport reports the status and hands over the request; a 403 from anything
 * else on the way (a proxy, a firewall) stays a transport failure that is retried.
 */
export function isOriginRefusal(err: Error): boolean {
  const { description, context } = err as Error & { description?: unknown; context?: { responseText?: unknown } };
  return description === 403 && String(context?.responseText ?? '').includes('origin_not_allowed');
}

/** What the banner says when the server refuses this page's origin, in the language on screen. */
export const originRefusalMessage = (): string => t('layout.connection.originRefused');

/** A socket event name and its listener, for `listenAll`. */
export type Listener = readonly [event: string, listener: (...args: never[]) => void];

/** Adds every listener to the socket; returns the function that removes them all again. */
export function listenAll(socket: LobbySocket | DmSocket | AdminSocket, listeners: readonly Listener[]): () => void {
  // socket.io's typings cannot follow an event name through a loop over a table of pairs.
  const untyped = socket as unknown as { on(event: string, fn: unknown): void; off(event: string, fn: unknown): void };
  for (const [event, listener] of listeners) untyped.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) untyped.off(event, listener);
  };
}

type DelayListener = (delayMs: number) => void;
const delayListeners = new Set<DelayListener>();

/**
 * Calls `listener` with each reconnection delay the manager picks, so the UI can count down to
 * the next attempt. socket.io-client emits no event carrying the delay: it draws it (with jitter)
 * from its private `backoff` right before arming the timer, so we observe that draw.
 */
export function onReconnectDelay(listener: DelayListener): () => void {
  delayListeners.add(listener);
  return () => delayListeners.delete(listener);
}

function observeBackoff(manager: Manager): void {
  const backoff = (manager as unknown as { backoff?: { duration(): number } }).backoff;
  if (!backoff || typeof backoff.duration !== 'function') return;
  const duration = backoff.duration.bind(backoff);
  backoff.duration = () => {
    const ms = duration();
    for (const listener of delayListeners) listener(ms);
    return ms;
  };
}

observeBackoff(lobbySocket.io);
// Only if socket.io ever stops sharing the manager: wrapping one backoff twice would report each delay twice.
if (dmSocket.io !== lobbySocket.io) observeBackoff(dmSocket.io);
