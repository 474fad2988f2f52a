import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Config } from '../config.js';

/**
 * The slowest upload rate the server waits for: 64 KiB/s (about 0.5 Mbit/s, a poor mobile
 * uplink). Node's request timeout (`HTTP_REQUEST_TIMEOUT_SECONDS`, 30 s) covers a whole request
 * body, which would cut a 25 MB upload on any link under about 7 Mbit/s.
 */
export const UPLOAD_MIN_BYTES_PER_SECOND = 64 * 1024;

/** How long an upload of `uploadMaxBytes` may take at the slowest rate waited for, plus the usual request timeout. */
export function uploadRequestTimeoutMs(config: Pick<Config, 'uploadMaxBytes' | 'httpRequestTimeoutMs'>): number {
  return config.httpRequestTimeoutMs + Math.ceil((config.uploadMaxBytes / UPLOAD_MIN_BYTES_PER_SECOND) * 1000);
}

/**
 * Node's request timeout is one number for the whole server, so the server is given the uploads'
 * (see uploadRequestTimeoutMs) and this gives every other request back its own: a body still
 * arriving `timeoutMs` after its headers were read is answered 408 and its connection closed, the
 * way Node does it (a `clientError`, which Fastify answers). Requests with no body, or whose body
 * has arrived, are never touched.
 *
 * It listens on the HTTP server itself, not in Fastify, because Socket.IO answers its polling
 * requests before Fastify sees them: call it after Socket.IO is attached (which takes over the
 * server's `request` listeners), so that those requests are covered too.
 */
export function limitBodyTimeExceptUploads(server: Server, timeoutMs: number, isUpload: (request: IncomingMessage) => boolean): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.complete || isUpload(request)) return;
    const timer = setTimeout(() => {
      if (request.complete || request.socket.destroyed) return;
      if (response.headersSent) request.socket.destroy();
      else server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), request.socket);
    }, timeoutMs);
    timer.unref();
    // An answer sent before the body arrived does not end the wait: Node reads on (discarding) until it has.
    response.once('close', () => {
      if (request.complete) clearTimeout(timer);
    });
  });
}
