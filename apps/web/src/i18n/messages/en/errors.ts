/**
 * What the app says for each error code (`ERROR_CODES` in @confab/shared, and the client's own
 * `disconnected` and `timeout`). Shown instead of the server's English message in every language
 * but English (see i18n/errors.ts); catalogues.test.ts checks that every code has one.
 */
export const errors = {
  invalid_payload: 'That was not accepted: check what you entered.',
  invalid_payload_field: 'That was not accepted: check “{field}”.',
  unauthorized: 'Your session has ended. Sign in again.',
  origin_not_allowed: 'This page’s address is not allowed to talk to the server.',
  forbidden: 'You can’t do that here.',
  not_found: 'Not found.',
  invalid_credentials: 'Wrong username or password.',
  wrong_current_password: 'The current password is wrong.',
  username_taken: 'That username is taken.',
  name_taken: 'A channel with that name exists.',
  limit_reached: 'A limit was reached; nothing changed.',
  recall_window_expired: 'Too late to recall this message.',
  edit_window_expired: 'Too late to edit this message.',
  file_too_large: 'The file is larger than the server accepts.',
  quota_exceeded: 'Your storage for files is full.',
  rate_limited: 'Too many requests. Try again in a moment.',
  rate_limited_after: 'Too many requests. Try again in {seconds} s.',
  unavailable: 'The server is unavailable right now. Try again later.',
  registration_closed: 'Registration is closed on this server. Ask an administrator for an account.',
  invitation_invalid: 'This invitation link is not valid: it may have expired, been used up or been revoked.',
  account_deactivated: 'This account has been deactivated. Contact an administrator.',
  last_admin: 'The server needs at least one administrator; nothing changed.',
  internal: 'Something went wrong on the server.',
  disconnected: 'The connection dropped before the server answered.',
  offline: 'You are offline.',
  timeout: 'The server did not answer in time.',
  unexpected_response: 'Unexpected response ({status}).',
  unknown: 'Something went wrong.',
};
