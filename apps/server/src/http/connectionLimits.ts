import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

type TimeoutConfig = Pick<Config, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs'>;

/**
 * Fastify options for Node's HTTP timeouts. A request whose headers or body trickle in (or never
 * come) is answered 408 and closed; an idle keep-alive connection is closed. Responses are not
 * timed: a long-polling GET is held open by the server, and an upgraded WebSocket leaves Node's
 * HTTP bookkeeping (Socket.IO's heartbeat watches it).
 */
export function httpTimeoutOptions(config: TimeoutConfig) {
  return {
    requestTimeout: config.httpRequestTimeoutMs,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    http: {
      headersTimeout: config.httpHeadersTimeoutMs,
      // Node checks the two timeouts on this interval (30 s by default), so a 10 s headers
      // timeout could take 40 s to act; a quarter of the shorter one keeps the overshoot small.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(Math.min(config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs) / 4))),
    },
  };
}

/**
 * Caps the TCP connections one address may hold open (WebSockets included: an upgraded socket
 * stays the same connection). Beyond the cap a new connection is closed at once, before Node
 * reads a byte of it. Behind a proxy every connection comes from the proxy, so the caller skips
 * this there and the proxy caps connections per client (nginx `limit_conn`).
 */
export function limitConnectionsPerAddress(server: Server, max: number, logger: Logger): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  // Registered first, so a refused connection never reaches the HTTP parser.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return; // already gone
    const count = open.get(address) ?? 0;
    if (count >= max) {
      // Once per address at the cap, not per connection: a client at the cap must not flood the log.
      if (count === max) logger.warn({ address, max }, 'HTTP connection refused: too many open connections from this address');
      open.set(address, max + 1);
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = Math.min(open.get(address) ?? 1, max) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
