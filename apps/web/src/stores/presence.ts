import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { LIMITS, type PresenceDto, type UserDto } from '@confab/shared';
import { mergeSnapshot, mergeUpdates, type PresenceMap, type ShownPresenceState } from '../lib/presence';
import { connectedUsers } from '../lib/presenceDisplay';
import { searchUsers } from '../services/dm';
import { fetchPresence } from '../services/lobby';

/** Pages of the directory read to name people who are online (50 each): enough for a self-hosted server. */
const MAX_NAME_PAGES = 20;

/**
 * Everyone's presence this tab knows of, and the names to show for the online list. It is
 * `isKnown` only while the tab hears presence live: from a snapshot until its `/lobby`
 * connection drops; meanwhile everyone shows as `unknown`.
 */
export const usePresenceStore = defineStore('presence', () => {
  // Shallow: both maps are replaced whole, never changed in place. A deep ref would put a proxy
  // around every entry read, which made a 1,000-entry batch take seconds with 5,000 people held.
  const byUserId = shallowRef<PresenceMap>({});
  const names = shallowRef<Readonly<Record<string, string>>>({});
  const isKnown = ref(false);
  // The last snapshot's revision: anything older is stale.
  let snapshotRev = 0;
  const online = computed(() => connectedUsers(byUserId.value, names.value, isKnown.value));
  // The last known count, also while not live: the online list must say it may be stale (`isKnown`).
  const onlineCount = computed(() => Object.values(byUserId.value).filter((p) => p.state === 'online').length);

  /** What to show for one user: `unknown` while not live, nothing for someone never heard of. */
  function stateOf(userId: string): ShownPresenceState | undefined {
    const held = byUserId.value[userId]?.state;
    return held && !isKnown.value ? 'unknown' : held;
  }

  /** The `/lobby` connection dropped: what is held may be stale until the next snapshot. */
  function markUnknown(): void {
    isKnown.value = false;
  }

  // Bumped by reset(): answers for a previous user are dropped.
  let generation = 0;
  let nameRun: Promise<void> | null = null;
  let isNameRunStale = false;
  // Everyone asked about, so a reconnect's snapshot can refresh them (asks made offline fail).
  const wanted = new Set<string>();

  function applySnapshot(snapshot: readonly PresenceDto[], rev: number): void {
    const previous = byUserId.value;
    byUserId.value = mergeSnapshot(previous, snapshot, rev);
    snapshotRev = Math.max(snapshotRev, rev);
    isKnown.value = true;
    // Those who dropped out of the snapshot went offline while we were not listening: ask when.
    const inSnapshot = new Set(snapshot.map((p) => p.userId));
    const gone = [...new Set([...Object.keys(previous), ...wanted])].filter((id) => !inSnapshot.has(id));
    void ensure(gone, true);
    void resolveNames();
  }

  /** One `presence:changes` batch: one pass, one assignment, at most one name lookup. */
  function applyUpdates(updates: readonly PresenceDto[]): void {
    byUserId.value = mergeUpdates(byUserId.value, updates, snapshotRev);
    if (updates.some((u) => u.state !== 'offline' && !names.value[u.userId])) void resolveNames();
  }

  function applyUpdate(update: PresenceDto): void {
    applyUpdates([update]);
  }

  function learnNames(users: readonly Pick<UserDto, 'id' | 'displayName'>[]): void {
    const unknown = users.filter((u) => names.value[u.id] !== u.displayName);
    if (unknown.length === 0) return;
    names.value = { ...names.value, ...Object.fromEntries(unknown.map((u) => [u.id, u.displayName])) };
  }

  /** Asks the server about users not in the snapshot (DM peers, directory entries): offline, and since when. */
  async function ensure(userIds: readonly string[], isRefresh = false): Promise<void> {
    for (const id of userIds) wanted.add(id);
    const missing = [...new Set(userIds)].filter((id) => isRefresh || !byUserId.value[id]);
    const gen = generation;
    for (let i = 0; i < missing.length; i += LIMITS.presenceQueryMax) {
      const res = await fetchPresence(missing.slice(i, i + LIMITS.presenceQueryMax));
      if (gen !== generation || !res.ok) return;
      // Revisions decide: an update that arrived while we asked is newer than the answer.
      byUserId.value = mergeUpdates(byUserId.value, res.data, snapshotRev);
    }
  }

  function hasNameless(): boolean {
    for (const p of Object.values(byUserId.value)) if (p.state !== 'offline' && !names.value[p.userId]) return true;
    return false;
  }

  /** One pass over the directory pages, until every online person has a name. */
  async function readDirectory(gen: number): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_NAME_PAGES; page += 1) {
      if (!hasNameless()) return;
      const res = await searchUsers({ query: '', limit: LIMITS.userSearchPageMax, ...(cursor ? { cursor } : {}) });
      if (gen !== generation || !res.ok) return;
      learnNames(res.data.users);
      cursor = res.data.nextCursor;
      if (!cursor) return;
    }
  }

  /**
   * Looks up the names of online people this tab has not met yet. Calls made while a lookup runs
   * share it and make it go round once more: its pages may predate whoever just came online.
   */
  function resolveNames(): Promise<void> {
    if (nameRun) {
      isNameRunStale = true;
      return nameRun;
    }
    const gen = generation;
    const run = (async () => {
      do {
        isNameRunStale = false;
        await readDirectory(gen);
      } while (isNameRunStale && gen === generation);
    })().finally(() => {
      if (nameRun === run) nameRun = null;
    });
    nameRun = run;
    return run;
  }

  function reset(): void {
    generation += 1;
    byUserId.value = {};
    names.value = {};
    isKnown.value = false;
    snapshotRev = 0;
    wanted.clear();
    nameRun = null;
    isNameRunStale = false;
  }

  return { byUserId, names, isKnown, online, onlineCount, stateOf, markUnknown, applySnapshot, applyUpdates, applyUpdate, learnNames, ensure, resolveNames, reset };
});
