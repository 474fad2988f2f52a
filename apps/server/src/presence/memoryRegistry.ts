import type { ConnectionEntry, PresenceRegistry } from './registry.js';

/** The single-instance registry: this process's connections, gone when it stops. */
export class MemoryPresenceRegistry implements PresenceRegistry {
  readonly #connections = new Map<string, ConnectionEntry>();
  readonly #lastSeen = new Map<string, Date>();
  readonly #published = new Map<string, 'online' | 'away'>();

  async add(entry: ConnectionEntry): Promise<void> {
    this.#connections.set(entry.connectionId, { ...entry });
  }

  async markActive(connectionId: string, at: Date): Promise<void> {
    const entry = this.#connections.get(connectionId);
    if (entry && at > entry.lastActiveAt) entry.lastActiveAt = at;
  }

  async remove(connectionId: string, at: Date): Promise<void> {
    const entry = this.#connections.get(connectionId);
    if (!entry) return;
    this.#connections.delete(connectionId);
    const previous = this.#lastSeen.get(entry.userId);
    if (!previous || at > previous) this.#lastSeen.set(entry.userId, at);
  }

  async connections(userIds?: readonly string[]): Promise<ConnectionEntry[]> {
    const wanted = userIds ? new Set(userIds) : null;
    return [...this.#connections.values()].filter((c) => !wanted || wanted.has(c.userId)).map((c) => ({ ...c }));
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, Date>> {
    return new Map(userIds.flatMap((id) => (this.#lastSeen.has(id) ? [[id, this.#lastSeen.get(id)!] as const] : [])));
  }

  async claimChange(userId: string, state: 'online' | 'away' | 'offline'): Promise<boolean> {
    if ((this.#published.get(userId) ?? 'offline') === state) return false;
    if (state === 'offline') this.#published.delete(userId);
    else this.#published.set(userId, state);
    return true;
  }

  async trackedUsers(): Promise<string[]> {
    return [...this.#published.keys()];
  }

  /** One instance: there is nobody else's lease to expire. */
  async reapExpired(): Promise<void> {}

  async reassert(): Promise<void> {}

  async close(): Promise<void> {}
}
