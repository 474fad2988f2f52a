import type { SessionRecord, SessionStore } from '../ports.js';

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();

  async create(session: SessionRecord): Promise<void> {
    this.#sessions.set(session.id, { ...session });
  }

  async findActive(id: string, now: Date): Promise<SessionRecord | null> {
    const session = this.#sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.#sessions.delete(id);
      return null;
    }
    return { ...session };
  }

  async revoke(id: string): Promise<void> {
    this.#sessions.delete(id);
  }

  async revokeAllForUser(userId: string): Promise<number> {
    const ids = [...this.#sessions.values()].filter((s) => s.userId === userId).map((s) => s.id);
    for (const id of ids) this.#sessions.delete(id);
    return ids.length;
  }
}
