import type { SessionRecord, SessionStore } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly SessionRecord[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const session of options.saved ?? []) this.#sessions.set(session.id, { ...session });
  }

  /** Every session, for writing out; read it before the next await. */
  saved(): readonly SessionRecord[] {
    return [...this.#sessions.values()];
  }

  async create(session: SessionRecord): Promise<void> {
    this.#sessions.set(session.id, { ...session });
    this.#onChange();
  }

  async findActive(id: string, now: Date): Promise<SessionRecord | null> {
    const session = this.#sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.#sessions.delete(id);
      this.#onChange();
      return null;
    }
    return { ...session };
  }

  async revoke(id: string): Promise<void> {
    if (this.#sessions.delete(id)) this.#onChange();
  }

  async revokeAllForUser(userId: string): Promise<number> {
    const ids = [...this.#sessions.values()].filter((s) => s.userId === userId).map((s) => s.id);
    for (const id of ids) this.#sessions.delete(id);
    if (ids.length > 0) this.#onChange();
    return ids.length;
  }
}
