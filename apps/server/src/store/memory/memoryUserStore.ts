import type { UserRole } from '@confab/shared';
import type { NewUser, UserRecord, UserStore } from '../ports.js';
import { newObjectIdHex } from '../ids.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

export class MemoryUserStore implements UserStore {
  readonly #byId = new Map<string, UserRecord>();
  readonly #idByUsername = new Map<string, string>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly UserRecord[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const user of options.saved ?? []) {
      const key = user.username.toLowerCase();
      if (this.#idByUsername.has(key) || this.#byId.has(user.id)) throw new Error(`user ${user.username} (${user.id}) appears twice`);
      // Records saved before roles and deactivation existed are active members.
      this.#byId.set(user.id, { ...user, role: user.role ?? 'member', deactivatedAt: user.deactivatedAt ?? null, bannedAt: user.bannedAt ?? null });
      this.#idByUsername.set(key, user.id);
    }
  }

  /** Every user, for writing out; read it before the next await. */
  saved(): readonly UserRecord[] {
    return [...this.#byId.values()];
  }

  async create(user: NewUser): Promise<UserRecord | 'username_taken'> {
    const key = user.username.toLowerCase();
    if (this.#idByUsername.has(key)) return 'username_taken';
    const record: UserRecord = { id: newObjectIdHex(), ...user, role: user.role ?? 'member', deactivatedAt: null, bannedAt: null };
    this.#byId.set(record.id, record);
    this.#idByUsername.set(key, record.id);
    this.#onChange();
    return { ...record };
  }

  async findByUsername(username: string): Promise<UserRecord | null> {
    const id = this.#idByUsername.get(username.toLowerCase());
    return id === undefined ? null : this.findById(id);
  }

  async search(query: { prefix: string; afterUsername?: string; limit: number }): Promise<UserRecord[]> {
    const prefix = query.prefix.toLowerCase();
    return [...this.#byId.values()]
      .filter((u) => u.username.toLowerCase().startsWith(prefix) || u.displayName.toLowerCase().startsWith(prefix))
      .filter((u) => query.afterUsername === undefined || u.username.toLowerCase() > query.afterUsername)
      .sort((a, b) => (a.username.toLowerCase() < b.username.toLowerCase() ? -1 : 1))
      .slice(0, query.limit)
      .map((u) => ({ ...u }));
  }

  async count(): Promise<number> {
    return this.#byId.size;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const record = this.#byId.get(id);
    if (!record) return false;
    this.#byId.set(id, { ...record, passwordHash });
    this.#onChange();
    return true;
  }

  async setRole(id: string, role: UserRole): Promise<UserRecord | null> {
    return this.#change(id, { role });
  }

  async replaceRole(id: string, change: { from: UserRole; to: UserRole }): Promise<UserRecord | null> {
    // Read and written with no await in between: racing calls cannot both see `from`.
    if ((this.#byId.get(id)?.role ?? 'member') !== change.from) return null;
    return this.#change(id, { role: change.to });
  }

  async setDeactivated(id: string, change: { deactivatedAt: Date | null; bannedAt?: Date }): Promise<UserRecord | null> {
    return this.#change(id, { deactivatedAt: change.deactivatedAt, ...(change.bannedAt ? { bannedAt: change.bannedAt } : {}) });
  }

  #change(id: string, fields: Partial<UserRecord>): UserRecord | null {
    const record = this.#byId.get(id);
    if (!record) return null;
    const next = { ...record, ...fields };
    this.#byId.set(id, next);
    this.#onChange();
    return { ...next };
  }

  async delete(id: string): Promise<boolean> {
    const record = this.#byId.get(id);
    if (!record) return false;
    this.#byId.delete(id);
    this.#idByUsername.delete(record.username.toLowerCase());
    this.#onChange();
    return true;
  }

  async countActiveAdmins(): Promise<number> {
    let count = 0;
    for (const user of this.#byId.values()) if (user.role === 'admin' && user.deactivatedAt === null) count += 1;
    return count;
  }

  async deactivatedIds(): Promise<string[]> {
    return [...this.#byId.values()].filter((u) => u.deactivatedAt !== null).map((u) => u.id);
  }

  async findById(id: string): Promise<UserRecord | null> {
    const record = this.#byId.get(id);
    return record ? { ...record } : null;
  }
}
