/**
 * Every error code the server can answer with, over HTTP or in a Socket.IO ack or `connect_error`.
 */
export const ERROR_CODES = [
  /** The payload failed its schema; `field` names the first field at fault. Nothing changed. */
  'invalid_payload',
  /** No valid session: missing, tampered, expired or revoked. */
  'unauthorized',
  /** The request's `Origin` is not in the allowlist. */
  'origin_not_allowed',
  /** The user may not do this (or the target does not exist and saying so would leak it). */
  'forbidden',
  /** The target does not exist. */
  'not_found',
  /** Unknown username or wrong password; the two are never told apart. */
  'invalid_credentials',
  /** Registration with a username that exists (compared case-insensitively). */
  'username_taken',
  /** `channel:create` or a rename with a channel name that exists (compared case-insensitively). */
  'name_taken',
  /** A limit on rooms was reached (rooms per user, members per group); the message says which. Nothing changed. */
  'limit_reached',
  /** A recall after the recall window closed; nothing changed. */
  'recall_window_expired',
  /** An edit after the edit window closed, or with editing switched off; nothing changed. */
  'edit_window_expired',
  /** An upload over `UPLOAD_MAX_MB`, or an image over `LIMITS.imagePixelsMax` pixels (HTTP 413). Nothing was stored. */
  'file_too_large',
  /** An upload that would take the user's stored files over `UPLOAD_QUOTA_MB` (HTTP 413). Nothing was stored. */
  'quota_exceeded',
  /** Too many requests; `retryAfterMs` says when to try again. */
  'rate_limited',
  /** A dependency (the database) is unreachable; retry later, nothing was stored. */
  'unavailable',
  /** Registration while the server's registration is `closed`, or `invitation` and no invitation was given. Nothing was stored. */
  'registration_closed',
  /** An invitation link that does not exist, expired, was revoked or is used up. Nothing was stored. */
  'invitation_invalid',
  /** Sign-in to a deactivated or banned account, with the right password (a wrong one gets `invalid_credentials`). */
  'account_deactivated',
  /** Demoting or deactivating the server's last admin; nothing changed. */
  'last_admin',
  /** An unexpected server failure; it was logged. Nothing was stored. */
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error half of an {@link Ack}, also the body of an HTTP error (`{ error: AckError }`). */
export interface AckError {
  /** Machine-readable reason. */
  code: ErrorCode;
  /** Human-readable explanation, safe to show to the user. */
  message: string;
  /** With `invalid_payload`: the dotted path of the field at fault (`""` for the payload itself). */
  field?: string;
  /** With `rate_limited`: milliseconds until a retry may succeed. */
  retryAfterMs?: number;
}

/** The result every client→server event acknowledges with. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

/** The acknowledgement callback a client passes as the last argument of every event. */
export type AckFn<T> = (result: Ack<T>) => void;

/** Builds a failed {@link Ack}. */
export function fail(code: ErrorCode, message: string, extra: Omit<AckError, 'code' | 'message'> = {}): { ok: false; error: AckError } {
  return { ok: false, error: { code, message, ...extra } };
}

/** Builds a successful {@link Ack}. */
export function ok<T>(data: T): { ok: true; data: T } {
  return { ok: true, data };
}
