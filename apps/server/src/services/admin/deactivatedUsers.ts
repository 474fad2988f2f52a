import type { UserStore } from '../../store/ports.js';

/** Who became deactivated, and who active again, between two reads. */
export interface DeactivationChanges {
  deactivated: string[];
  reactivated: string[];
}

/**
 * Which users are deactivated, kept in memory on every instance so that serving a page of
 * messages can mark their authors (`AuthorDto.deactivated`) without a read per author. Loaded at
 * start, refreshed when an admin changes a user (`users:changed` between instances) and every
 * `refreshMs` besides, in case such an event was missed.
 */
export function createDeactivatedUsers(deps: { users: Pick<UserStore, 'deactivatedIds'> }) {
  let ids = new Set<string>();
  let previous: Promise<unknown> = Promise.resolve();

  async function read(): Promise<DeactivationChanges> {
    const next = new Set(await deps.users.deactivatedIds());
    const changes = {
      deactivated: [...next].filter((id) => !ids.has(id)),
      reactivated: [...ids].filter((id) => !next.has(id)),
    };
    ids = next;
    return changes;
  }

  /**
   * Reads them again and says who changed since the last read. One read at a time: a read begun
   * before a change but answered after a later read would otherwise put the old state back, and
   * the change would be announced twice, once undone.
   */
  function refresh(): Promise<DeactivationChanges> {
    const done = previous.then(read);
    previous = done.catch(() => undefined);
    return done;
  }

  return {
    refresh,
    has: (userId: string): boolean => ids.has(userId),
    /** Every deactivated user's id, as last read. */
    all: (): string[] => [...ids],
  };
}

export type DeactivatedUsers = ReturnType<typeof createDeactivatedUsers>;
