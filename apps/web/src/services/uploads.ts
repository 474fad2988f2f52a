import type { AckError, AttachmentDto, UploadResponse } from '@confab/shared';
import { clientError } from '../i18n/errors';

/** Where files are uploaded (same origin, with the session cookie). */
export const UPLOAD_PATH = '/api/files';

/**
 * How an upload ended: stored; refused by the server (its `{ error }`, or a stand-in for an answer
 * that carried none, such as a proxy's 413 page); not answered at all (the network); or aborted here.
 */
export type UploadOutcome =
  | { ok: true; file: AttachmentDto }
  | { ok: false; reason: 'refused' | 'network'; status: number; error: AckError }
  | { ok: false; reason: 'aborted' };

export interface UploadHandle {
  /** Settles once: never rejects. */
  result: Promise<UploadOutcome>;
  /** Stops sending; `result` becomes `aborted` unless the upload already ended. */
  abort(): void;
}

export interface UploadOptions {
  /** Bytes of the request body sent so far, of `total` (the multipart body, a little more than the file). */
  onProgress?: (loaded: number, total: number) => void;
  url?: string;
}

const networkError = (): AckError => clientError('unavailable', 'app.network.unreachable');

/**
 * Uploads one file as `multipart/form-data` (one part named `file`). XMLHttpRequest rather than
 * fetch: only it reports how much of a request body has been sent.
 */
export function uploadFile(file: File, options: UploadOptions = {}): UploadHandle {
  const xhr = new XMLHttpRequest();
  const result = new Promise<UploadOutcome>((resolve) => {
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => resolve(readAnswer(xhr)));
    xhr.addEventListener('error', () => resolve({ ok: false, reason: 'network', status: 0, error: networkError() }));
    xhr.addEventListener('abort', () => resolve({ ok: false, reason: 'aborted' }));
  });
  const body = new FormData();
  body.append('file', file, file.name);
  xhr.open('POST', options.url ?? UPLOAD_PATH);
  xhr.withCredentials = true;
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.send(body);
  return { result, abort: () => xhr.abort() };
}

function readAnswer(xhr: XMLHttpRequest): UploadOutcome {
  const payload = parseJson(xhr.responseText) as Partial<UploadResponse> & { error?: Partial<AckError> };
  if (xhr.status === 201 && typeof payload?.file?.id === 'string') return { ok: true, file: payload.file };
  const error = payload?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const retryAfterMs = error.retryAfterMs ?? retryAfterHeaderMs(xhr);
    return { ok: false, reason: 'refused', status: xhr.status, error: { ...(error as AckError), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } };
  }
  return { ok: false, reason: 'refused', status: xhr.status, error: standInError(xhr.status) };
}

/** For an answer without the server's `{ error }` body: a proxy in front of it (nginx's own 413 page), or a crash. */
function standInError(status: number): AckError {
  if (status === 413) return clientError('file_too_large', 'errors.file_too_large');
  if (status === 401) return clientError('unauthorized', 'errors.unauthorized');
  if (status >= 500 || status === 0) return clientError('unavailable', 'app.network.serverTrouble');
  return clientError('internal', 'errors.unexpected_response', { status });
}

function retryAfterHeaderMs(xhr: XMLHttpRequest): number | undefined {
  const seconds = Number(xhr.getResponseHeader('Retry-After') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
