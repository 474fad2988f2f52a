import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Namespace, Server } from 'socket.io';
import type { Config } from '../config.js';
import { isOriginAllowed } from '../http/origin.js';
import type { Logger } from '../logger.js';
import { ORIGIN_REFUSAL, clientAddress, createOriginGate } from './handshake.js';

/** The `message` of a handshake refused because its address has too many Engine.IO connections open. */
export const TOO_MANY_CONNECTIONS = 'too_many_connections: this address has too many open connections to this server (SOCKET_CONNECTIONS_PER_ADDRESS)';

type EngineConnection = Server['engine']['clients'][string];
type GuardConfig = Pick<Config, 'allowedOrigins' | 'trustProxy' | 'socketConnectionsPerAddress' | 'socketConnectTimeoutMs'>;

/** What the guard reports (to the metrics): each refused request by code, each connection closed for idling. */
export interface EngineGuardEvents {
  refused(code: 'origin_not_allowed' | 'too_many_connections'): void;
  idleClosed(): void;
}

/**
 * Guards Engine.IO connections, below the namespaces: the Origin on every request of a session
 * (not only the handshake), a cap on open connections per address, and closing connections that
 * hold no namespace socket. The per-address limit on namespace CONNECTs alone let one address
 * hold any number of bare connections, each a file descriptor.
 */
export function createEngineGuard(config: GuardConfig, logger: Logger, events?: EngineGuardEvents) {
  const originGate = createOriginGate(config);
  const openPerAddress = new Map<string, number>();
  const addressOf = (request: IncomingMessage) => clientAddress(request.headers, request.socket.remoteAddress, config.trustProxy);

  /**
   * Engine.IO's `allowRequest`, which it calls for handshakes only (requests without `sid`).
   * Counting happens on `connection`: between this answer and that event engine.io runs no I/O
   * (only microtasks), so concurrent handshakes cannot slip past the cap together.
   */
  function allowRequest(request: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void {
    originGate(request, (err, isAllowed) => {
      if (!isAllowed) {
        events?.refused('origin_not_allowed');
        return callback(err, false);
      }
      const max = config.socketConnectionsPerAddress;
      const address = addressOf(request);
      if (max > 0 && (openPerAddress.get(address) ?? 0) >= max) {
        logger.debug({ address, max }, 'engine handshake refused: too many connections from this address');
        events?.refused('too_many_connections');
        return callback(TOO_MANY_CONNECTIONS, false);
      }
      callback(null, true);
    });
  }

  /**
   * Engine.IO middleware, run for every HTTP request and upgrade. engine.io's `allowRequest` never
   * sees a request that carries a session id, so a session opened without an Origin could
   * otherwise be upgraded or polled from a foreign page. Refused like a handshake: polling 403
   * with a JSON body, WebSocket 400 with the message as text.
   */
  function checkSessionOrigin(request: IncomingMessage, response: unknown, next: (err?: Error) => void): void {
    const isSessionRequest = new URL(request.url ?? '/', 'http://engine').searchParams.has('sid');
    if (!isSessionRequest || isOriginAllowed(request.headers.origin, request.headers.host, config.allowedOrigins)) return next();
    events?.refused('origin_not_allowed');
    if (response instanceof ServerResponse) {
      response.writeHead(403, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ code: 4, message: ORIGIN_REFUSAL }));
    } else {
      const socket = request.socket;
      socket.on('error', () => {});
      socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(ORIGIN_REFUSAL)}\r\n\r\n${ORIGIN_REFUSAL}`);
    }
    // engine.io then stops: it finds the response sent (polling) or the socket ended (upgrade).
    next(new Error(ORIGIN_REFUSAL));
  }

  /** Wires the guard to the server; `namespaces` are all the server's namespaces. */
  function attach(io: Server, namespaces: Namespace[]): void {
    io.engine.use(checkSessionOrigin);
    const socketsOn = new WeakMap<EngineConnection, { count: number; timer?: NodeJS.Timeout }>();
    const arm = (conn: EngineConnection, state: { count: number; timer?: NodeJS.Timeout }) => {
      clearTimeout(state.timer);
      state.timer = setTimeout(() => {
        events?.idleClosed();
        conn.close();
      }, config.socketConnectTimeoutMs);
      state.timer.unref();
    };

    io.engine.on('connection', (conn: EngineConnection) => {
      const address = addressOf(conn.request);
      openPerAddress.set(address, (openPerAddress.get(address) ?? 0) + 1);
      const state: { count: number; timer?: NodeJS.Timeout } = { count: 0 };
      socketsOn.set(conn, state);
      arm(conn, state);
      conn.once('close', () => {
        clearTimeout(state.timer);
        const left = (openPerAddress.get(address) ?? 1) - 1;
        if (left > 0) openPerAddress.set(address, left);
        else openPerAddress.delete(address);
      });
    });

    // socket.io's own connectTimeout checks only once, after the first CONNECT; a connection
    // whose last namespace socket has left would then stay open for free.
    for (const nsp of namespaces) {
      nsp.on('connection', (socket) => {
        const state = socketsOn.get(socket.conn);
        if (!state) return;
        state.count += 1;
        clearTimeout(state.timer);
        socket.once('disconnect', () => {
          state.count -= 1;
          if (state.count === 0 && socket.conn.readyState === 'open') arm(socket.conn, state);
        });
      });
    }
  }

  return { allowRequest, attach };
}
