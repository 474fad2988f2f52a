import type { FastifyInstance, FastifyRequest } from 'fastify';
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
 * (see uploadRequestTimeoutMs) and this hook gives every other request back its own: a body still
 * arriving `timeoutMs` after its headers were read is answered 408 and its connection closed, the
 * way Node does it (a `clientError`, which Fastify answers). Requests with no body, or whose body
 * has arrived, are never touched.
 */
export function limitBodyTimeExceptUploads(app: FastifyInstance, timeoutMs: number, isUpload: (request: FastifyRequest) => boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    if (raw.complete || isUpload(request)) return;
    const timer = setTimeout(() => {
      if (raw.complete || raw.socket.destroyed) return;
      if (reply.raw.headersSent) raw.socket.destroy();
      else app.server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), raw.socket);
    }, timeoutMs);
    timer.unref();
    // An answer sent before the body arrived does not end the wait: Node reads on (discarding) until it has.
    reply.raw.once('close', () => {
      if (raw.complete) clearTimeout(timer);
    });
  });
}
