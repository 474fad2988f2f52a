import { localStore, readJson, writeJson } from './localStore';

/**
 * The room a user had open last in this browser (a path such as `/c/design`), so that the
 * installed app, which always starts at its manifest's start_url, opens where they left off, as
 * Slack's and Mattermost's apps do. Kept with the user's id: another account never lands there.
 */
const KEY = 'confab:last-room';

export function loadLastRoom(userId: string): string | null {
  const storage = localStore();
  const value = storage ? readJson(storage, KEY) : null;
  if (!value || typeof value !== 'object') return null;
  const { userId: owner, path } = value as Record<string, unknown>;
  // Only a path of this app: a stored value is never a way off the site.
  return owner === userId && typeof path === 'string' && /^\/(?:dm|c|g)\/[^/]+$/.test(path) ? path : null;
}

export function saveLastRoom(userId: string, path: string): void {
  const storage = localStore();
  if (storage) writeJson(storage, KEY, { userId, path });
}

/** Whether the page runs as the installed app (its own window, opened at start_url). */
export function isInstalledApp(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches;
}
