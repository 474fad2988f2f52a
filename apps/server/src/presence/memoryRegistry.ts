import type { ClaimResult, ConnectionEntry, PresenceRegistry, PresenceState, PublishedPresence, PublishedStates } from './registry.js';

/** The single-instance registry: this process's connections, gone when it stops. */
export class MemoryPresenceRegistry implements PresenceRegistry {
  readonly #connections = new Map<string, ConnectionEntry>();
  /** Connection ids by user: a connect reads its own user's, not everyone's. */
  readonly #byUser = new Map<string, Set<string>>();
  readonly #lastSeen = new Map<string, Date>();
  readonly #versions = new Map<string, number>();
  readonly #published = new Map<string, PublishedPresence>();
  #rev = 0;

  #bump(userId: string): void {
    this.#versions.set(userId, (this.#versions.get(userId) ?? 0) + 1);
  }

  async add(entry: ConnectionEntry): Promise<void> {
    this.#connections.set(entry.connectionId, { ...entry });
    const ids = this.#byUser.get(entry.userId) ?? new Set<string>();
    ids.add(entry.connectionId);
    this.#byUser.set(entry.userId, ids);
    this.#bump(entry.userId);
  }

  async markActive(connectionId: string, at: Date): Promise<void> {
    const entry = this.#connections.get(connectionId);
    if (!entry || at <= entry.lastActiveAt) return;
    entry.lastActiveAt = at;
    this.#bump(entry.userId);
  }

  async remove(connectionId: string, at: Date): Promise<void> {
    const entry = this.#connections.get(connectionId);
    if (!entry) return;
    this.#connections.delete(connectionId);
    const ids = this.#byUser.get(entry.userId);
    ids?.delete(connectionId);
    if (ids?.size === 0) this.#byUser.delete(entry.userId);
    const previous = this.#lastSeen.get(entry.userId);
    if (!previous || at > previous) this.#lastSeen.set(entry.userId, at);
    this.#bump(entry.userId);
  }

  async connections(userIds?: readonly string[]): Promise<ConnectionEntry[]> {
    // Everyone's (the sweep): the entries themselves, not copies; callers only read them.
    if (!userIds) return [...this.#connections.values()];
    return [...new Set(userIds)].flatMap((userId) => [...(this.#byUser.get(userId) ?? [])].map((id) => ({ ...this.#connections.get(id)! })));
  }

  async lastSeen(userIds?: readonly string[]): Promise<Map<string, Date>> {
    return pick(this.#lastSeen, userIds);
  }

  async versions(userIds?: readonly string[]): Promise<Map<string, number>> {
    return pick(this.#versions, userIds);
  }

  async claimChange(presence: { userId: string; state: PresenceState; lastSeenAt: string | null }, version: number): Promise<ClaimResult> {
    if ((this.#versions.get(presence.userId) ?? 0) !== version) return { kind: 'stale' };
    if ((this.#published.get(presence.userId)?.state ?? 'offline') === presence.state) return { kind: 'unchanged' };
    const at = Date.now();
    // Time-based, like the Redis registry's, so a restarted server's revisions exceed its old ones.
    this.#rev = Math.max(this.#rev + 1, at);
    this.#published.set(presence.userId, { state: presence.state, rev: this.#rev, lastSeenAt: presence.lastSeenAt, at });
    return { kind: 'claimed', rev: this.#rev, at };
  }

  async published(userIds?: readonly string[]): Promise<PublishedStates> {
    return { rev: this.#rev, now: Date.now(), states: pick(this.#published, userIds) };
  }

  async pruneOffline(before: number): Promise<void> {
    for (const [userId, p] of this.#published) {
      if (p.state !== 'offline' || p.at >= before) continue;
      this.#published.delete(userId);
      // The sweep copies every version: they must not pile up with everyone who ever connected.
      if (!this.#byUser.has(userId)) this.#versions.delete(userId);
    }
  }

  /** One instance: there is nobody else's lease to expire. */
  async reapExpired(): Promise<void> {}

  async reassert(): Promise<void> {}

  async close(): Promise<void> {}
}

function pick<T>(map: Map<string, T>, keys?: readonly string[]): Map<string, T> {
  if (!keys) return new Map(map);
  return new Map(keys.flatMap((k) => (map.has(k) ? [[k, map.get(k)!] as const] : [])));
}
