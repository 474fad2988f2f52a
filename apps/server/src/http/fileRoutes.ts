import type { IncomingMessage } from 'node:http';
import fastifyMultipart from '@fastify/multipart';
import { fileIdSchema, type AckError, type UploadResponse } from '@confab/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { FILE_CSP, describeBlob, planResponse } from '../files/downloadHeaders.js';
import type { FileService } from '../files/fileService.js';
import type { AccountService } from '../services/accountService.js';
import type { BlobKind } from '../store/ports.js';
import { statusFor } from './authRoutes.js';
import { SESSION_COOKIE } from './sessionCookie.js';

// After refusing an upload whose body is still arriving, how long, and how much of it, the
// server reads on (discarding) before closing: closing with unread data makes the client's
// kernel reset the connection, and the client may then never read the refusal (RFC 9112 §9.6).
const LINGER_MS = 1_000;
const LINGER_BYTES = 1024 * 1024;

/** Where uploads are posted. */
export const UPLOAD_PATH = '/api/files';

/** Whether a request, as Node hands it over (before any routing), is an upload: `POST /api/files`, with or without a query. */
export function isUploadRequest(request: Pick<IncomingMessage, 'method' | 'url'>): boolean {
  if (request.method !== 'POST' || request.url === undefined) return false;
  const queryAt = request.url.indexOf('?');
  return (queryAt === -1 ? request.url : request.url.slice(0, queryAt)) === UPLOAD_PATH;
}

const NOT_FOUND: AckError = { code: 'not_found', message: 'There is no such file, or you may not see it.' };
const SIGNED_OUT: AckError = { code: 'unauthorized', message: 'Sign in first.' };

/**
 * `POST /api/files` (multipart/form-data, one file part), and `GET`/`HEAD /api/files/:id` and
 * `/api/files/:id/thumbnail`. Every request needs the session cookie; the app's Origin check
 * covers the POST. The multipart parser exists only in the upload's own scope, so no other
 * route accepts a multipart body.
 */
export async function registerFileRoutes(app: FastifyInstance, deps: { accounts: AccountService; files: FileService; config: Config }): Promise<void> {
  const { accounts, files, config } = deps;

  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      // The service enforces the size while streaming; busboy's own cut, one byte later, is a backstop.
      limits: { fileSize: config.uploadMaxBytes + 1, files: 1, fields: 4, fieldSize: 1024, fieldNameSize: 100, parts: 5, headerPairs: 20 },
      throwFileSizeLimit: false,
    });
    scope.addHook('onResponse', async (request) => lingerThenClose(request));

    scope.post(UPLOAD_PATH, async (request, reply) => {
      const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
      if (!session) return reply.code(401).send({ error: SIGNED_OUT });
      if (!request.isMultipart()) {
        return reply.code(400).send({ error: { code: 'invalid_payload', message: 'Send the file as multipart/form-data.', field: 'file' } });
      }
      const result = await files.upload(session.user, async () => {
        // The client went away while the upload was being admitted: the parser would only hear of
        // it through a 'close' that has already been emitted, and wait for the body for ever.
        if (request.raw.destroyed) return null;
        try {
          // The limit in force now (an admin may change it at any time), not the one at start-up.
          const part = await request.file({ limits: { fileSize: files.maxBytes() + 1 } });
          return part ? { stream: part.file, filename: part.filename ?? '' } : null;
        } catch (err) {
          // A malformed body, or a parser limit (too many parts or fields) before the file.
          request.log.debug({ err }, 'multipart upload refused');
          return null;
        }
      });
      if (!result.ok) {
        if (result.error.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(result.error.retryAfterMs / 1000)));
        return reply.code(statusFor(result.error.code)).send({ error: result.error });
      }
      return reply.code(201).send({ file: result.data } satisfies UploadResponse);
    });
  });

  const download = (kind: BlobKind) => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
    if (!session) return reply.code(401).send({ error: SIGNED_OUT });
    if (!fileIdSchema.safeParse(request.params.id).success) return reply.code(404).send({ error: NOT_FOUND });
    const record = await files.openForDownload(session.user, request.params.id, kind);
    if (!record) return reply.code(404).send({ error: NOT_FOUND });

    const blob = describeBlob(record, kind);
    // Revalidated on every use, so that access is checked on every request; the ETag keeps that cheap.
    reply.headers({
      'cache-control': 'private, no-cache',
      etag: blob.etag,
      'accept-ranges': 'bytes',
      'content-security-policy': FILE_CSP,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    });
    const plan = planResponse(request.headers, blob.etag, blob.size);
    if (plan.status === 304) return reply.code(304).send();
    if (plan.status === 416) return reply.code(416).header('content-range', `bytes */${blob.size}`).send();
    const range = plan.status === 206 ? plan.range : undefined;
    const stream = request.method === 'HEAD' ? undefined : await files.readBlob(record.id, kind, range);
    // Deleted between the check and the read (a recall, the sweep).
    if (stream === null) return reply.code(404).send({ error: NOT_FOUND });
    reply.headers({ 'content-type': blob.contentType, 'content-disposition': blob.disposition, 'content-length': String(range ? range.end - range.start + 1 : blob.size) });
    if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`);
    return reply.send(stream);
  };

  for (const [url, kind] of [
    ['/api/files/:id', 'file'],
    ['/api/files/:id/thumbnail', 'thumbnail'],
  ] as const) {
    app.route<{ Params: { id: string } }>({ method: ['GET', 'HEAD'], url, handler: download(kind) });
  }
}

/**
 * Once an upload's answer is sent while its body is still arriving, reads on and discards for a
 * moment (so the client can read the answer), then closes the connection rather than reading
 * the rest: a refused upload is cut off, not drained.
 */
function lingerThenClose(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.complete) return;
  const socket = raw.socket;
  let discarded = 0;
  const close = () => socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  });
  raw.once('end', () => {
    clearTimeout(timer);
    close();
  });
  // No further request may follow on this connection: half-close now, so the client sees the end.
  socket.end();
  raw.resume();
}
