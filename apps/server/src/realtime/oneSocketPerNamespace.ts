import type { ConnectErrorData } from '@confab/shared';
import type { Socket } from 'socket.io';

type Next = (err?: Error) => void;
type Middleware = (socket: Socket, next: Next) => unknown;

/** The `connect_error` data of a second CONNECT to one namespace over one Engine.IO connection. */
export const SECOND_SOCKET_REFUSAL: ConnectErrorData = {
  code: 'forbidden',
  message: 'This connection already has a socket in this namespace; use that one.',
};

// Namespaces holding a socket (connected, or still being admitted), per Engine.IO connection.
const claimed = new WeakMap<object, Set<string>>();

/**
 * Wraps a namespace's admission (the handshake guard) so that one Engine.IO connection holds at
 * most one socket per namespace; register it as the namespace's first middleware. socket.io
 * admits the CONNECTs of one request in parallel, each awaiting the guard, so its own record of
 * connected namespaces is set too late: the claim here is taken synchronously, before the guard
 * runs, and a refused CONNECT costs no session lookup and no rate-limit point. The claim is given
 * back when the guard refuses or the socket disconnects.
 */
export function oneSocketPerNamespace(admit: Middleware): (socket: Socket, next: Next) => void {
  return (socket, next) => {
    const namespaces = claimed.get(socket.conn) ?? new Set<string>();
    claimed.set(socket.conn, namespaces);
    const name = socket.nsp.name;
    if (namespaces.has(name)) {
      return next(Object.assign(new Error(SECOND_SOCKET_REFUSAL.message), { data: SECOND_SOCKET_REFUSAL }));
    }
    namespaces.add(name);
    const release = () => namespaces.delete(name);
    let isDone = false;
    const done: Next = (err) => {
      if (isDone) return;
      isDone = true;
      if (err) release();
      else socket.once('disconnect', release);
      next(err);
    };
    Promise.resolve()
      .then(() => admit(socket, done))
      .catch((err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
  };
}
