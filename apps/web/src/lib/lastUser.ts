import type { UserDto } from '@confab/shared';
import { localStore, readJson, writeJson } from './localStore';

/**
 * Who was signed in last in this browser: only what anyone in a room sees of them (id, username,
 * display name), never a credential (the session cookie is httpOnly). It lets the installed app
 * open offline to where the user was, instead of to a sign-in form that cannot work either.
 */
const KEY = 'confab:last-user';

export function loadLastUser(): UserDto | null {
  const storage = localStore();
  const value = storage ? readJson(storage, KEY) : null;
  if (!value || typeof value !== 'object') return null;
  const { id, username, displayName } = value as Partial<Record<keyof UserDto, unknown>>;
  if (typeof id !== 'string' || typeof username !== 'string' || typeof displayName !== 'string') return null;
  return { id, username, displayName };
}

export function saveLastUser(user: UserDto | null): void {
  const storage = localStore();
  if (!storage) return;
  if (user) writeJson(storage, KEY, { id: user.id, username: user.username, displayName: user.displayName });
  else storage.removeItem(KEY);
}
