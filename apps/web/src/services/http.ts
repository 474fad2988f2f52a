import type { AckError } from '@confab/shared';
import { clientError, type ClientWording } from '../i18n/errors';

/** A failed API call: the server's `{ error }` body, or a stand-in when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: AckError & { wording?: ClientWording },
  ) {
    super(error.message);
    this.name = 'ApiError';
  }
}

/**
 * Calls the JSON API on the same origin. State-changing calls always carry a JSON body, because
 * the server only accepts `application/json` for them (a cheap guard against form-post CSRF).
 */
export async function apiRequest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: method === 'POST' ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError(0, clientError('unavailable', 'app.network.unreachable'));
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  throw new ApiError(response.status, readError(payload, response.status));
}

function readError(payload: unknown, status: number): AckError & { wording?: ClientWording } {
  const error = (payload as { error?: Partial<AckError> } | null)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') return error as AckError;
  return status >= 500
    ? clientError('unavailable', 'app.network.serverTrouble')
    : clientError('internal', 'errors.unexpected_response', { status });
}
