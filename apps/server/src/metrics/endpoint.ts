import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';

export interface MetricsEndpoint {
  /** The port it listens on. */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on a server of its own, apart from the public one: the public port (and
 * the proxy in front of it) never exposes it, and it listens on loopback unless told otherwise.
 * With a token, a scrape must send `Authorization: Bearer <token>`.
 */
export async function serveMetrics(
  registry: Registry,
  options: { port: number; host: string; token: string | undefined; logger: Logger },
): Promise<MetricsEndpoint> {
  // A scraper needs seconds, not minutes: slow or idle clients are cut off early, checked every
  // second (Node's default check runs every 30 s).
  const timeouts = { requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 65_000, connectionsCheckingInterval: 1_000 };
  const server: Server = createServer(timeouts, (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (options.token && !isBearer(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' }).end('Unauthorized\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        options.logger.error({ err }, 'could not collect metrics');
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Could not collect metrics\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Hashing both sides first gives equal lengths, so the comparison leaks neither length nor content.
function isBearer(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}
