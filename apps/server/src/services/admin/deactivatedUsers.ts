import type { UserStore } from '../../store/ports.js';

/**
 * Which users are deactivated, kept in memory on every instance so that serving a page of
 * messages can mark their authors (`AuthorDto.deactivated`) without a read per author. Loaded at
 * start, refreshed when an admin changes a user (`users:changed` between instances) and every
 * `refreshMs` besides, in case such an event was missed.
 */
export function createDeactivatedUsers(deps: { users: Pick<UserStore, 'deactivatedIds'> }) {
  let ids = new Set<string>();

  async function refresh(): Promise<void> {
    ids = new Set(await deps.users.deactivatedIds());
  }

  return {
    refresh,
    has: (userId: string): boolean => ids.has(userId),
    /** Every deactivated user's id, as last read. */
    all: (): string[] => [...ids],
    /** Applies a change made on this instance at once, before the refresh it also triggers. */
    set(userId: string, isDeactivated: boolean): void {
      if (isDeactivated) ids.add(userId);
      else ids.delete(userId);
    },
  };
}

export type DeactivatedUsers = ReturnType<typeof createDeactivatedUsers>;
