import type { ChangePasswordPayload, RegisterPayload, SessionResponse, SignInPayload, UserDto } from '@confab/shared';
import { ApiError, apiRequest } from './http';

export async function register(payload: RegisterPayload): Promise<UserDto> {
  return (await apiRequest<SessionResponse>('POST', '/api/auth/register', payload)).user;
}

export async function signIn(payload: SignInPayload): Promise<UserDto> {
  return (await apiRequest<SessionResponse>('POST', '/api/auth/login', payload)).user;
}

export async function signOut(): Promise<void> {
  await apiRequest<void>('POST', '/api/auth/logout');
}

/** Every session of the user ends (other devices sign in again); this browser gets a new session cookie. */
export async function changePassword(payload: ChangePasswordPayload): Promise<UserDto> {
  return (await apiRequest<SessionResponse>('POST', '/api/auth/password', payload)).user;
}

/**
 * The signed-in user, or null when the session cookie is missing or no longer valid. Throws
 * `ApiError` otherwise, `account_deactivated` included: the caller can then say why the session ended.
 */
export async function fetchMe(): Promise<UserDto | null> {
  try {
    return (await apiRequest<SessionResponse>('GET', '/api/auth/me')).user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && err.error.code !== 'account_deactivated') return null;
    throw err;
  }
}
