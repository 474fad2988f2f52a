import { io, type Manager, type Socket } from 'socket.io-client';
import { NAMESPACES, type LobbyClientToServerEvents, type LobbyServerToClientEvents } from '@confab/shared';

export type LobbySocket = Socket<LobbyServerToClientEvents, LobbyClientToServerEvents>;

/** The one `/lobby` socket of this tab. Connected by the realtime edge once a user is signed in. */
export const lobbySocket: LobbySocket = io(NAMESPACES.lobby, {
  autoConnect: false,
  withCredentials: true,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
});

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
