import type { ConnectionEntry, PresenceRegistry } from './registry.js';

/** The single-instance registry: this process's connections, gone when it stops. */
export class MemoryPresenceRegistry implements PresenceRegistry {
  readonly #connections = new Map<string, ConnectionEntry>();
  readonly #lastSeen = new Map<string, Date>();

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

  async close(): Promise<void> {}
}
