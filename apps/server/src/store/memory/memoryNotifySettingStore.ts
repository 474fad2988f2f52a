import type { NotifyLevel } from '@confab/shared';
import type { NotifySettingRecord, NotifySettingStore } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

export class MemoryNotifySettingStore implements NotifySettingStore {
  // By user, then room: a client reads all of one user's on every connect.
  readonly #byUser = new Map<string, Map<string, NotifySettingRecord>>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly NotifySettingRecord[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const setting of options.saved ?? []) this.#roomsOf(setting.userId).set(setting.roomId, { ...setting });
  }

  #roomsOf(userId: string): Map<string, NotifySettingRecord> {
    let rooms = this.#byUser.get(userId);
    if (!rooms) this.#byUser.set(userId, (rooms = new Map()));
    return rooms;
  }

  /** Every setting, for writing out; read it before the next await. */
  saved(): readonly NotifySettingRecord[] {
    return [...this.#byUser.values()].flatMap((rooms) => [...rooms.values()]);
  }

  async update(userId: string, roomId: string, change: { level?: NotifyLevel; mutedUntil?: Date | null }): Promise<NotifySettingRecord> {
    const rooms = this.#roomsOf(userId);
    const next: NotifySettingRecord = { userId, roomId, mutedUntil: null, ...rooms.get(roomId) };
    if (change.level !== undefined) next.level = change.level;
    if (change.mutedUntil !== undefined) next.mutedUntil = change.mutedUntil;
    rooms.set(roomId, next);
    this.#onChange();
    return { ...next };
  }

  async find(userId: string, roomId: string): Promise<NotifySettingRecord | null> {
    const setting = this.#byUser.get(userId)?.get(roomId);
    return setting ? { ...setting } : null;
  }

  async listForUser(userId: string): Promise<NotifySettingRecord[]> {
    return [...(this.#byUser.get(userId)?.values() ?? [])].map((s) => ({ ...s }));
  }

  async countForUser(userId: string): Promise<number> {
    return this.#byUser.get(userId)?.size ?? 0;
  }

  async remove(userId: string, roomId: string): Promise<void> {
    const rooms = this.#byUser.get(userId);
    if (!rooms?.delete(roomId)) return;
    if (rooms.size === 0) this.#byUser.delete(userId);
    this.#onChange();
  }
}
