import type { NotifyLevel } from '@confab/shared';
import type { NotifySettingRecord, NotifySettingStore } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

const keyOf = (userId: string, roomId: string) => `${userId}|${roomId}`;

export class MemoryNotifySettingStore implements NotifySettingStore {
  readonly #settings = new Map<string, NotifySettingRecord>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly NotifySettingRecord[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const setting of options.saved ?? []) this.#settings.set(keyOf(setting.userId, setting.roomId), { ...setting });
  }

  /** Every setting, for writing out; read it before the next await. */
  saved(): readonly NotifySettingRecord[] {
    return [...this.#settings.values()];
  }

  async update(userId: string, roomId: string, change: { level?: NotifyLevel; mutedUntil?: Date | null }): Promise<NotifySettingRecord> {
    const key = keyOf(userId, roomId);
    const next: NotifySettingRecord = { userId, roomId, mutedUntil: null, ...this.#settings.get(key) };
    if (change.level !== undefined) next.level = change.level;
    if (change.mutedUntil !== undefined) next.mutedUntil = change.mutedUntil;
    this.#settings.set(key, next);
    this.#onChange();
    return { ...next };
  }

  async find(userId: string, roomId: string): Promise<NotifySettingRecord | null> {
    const setting = this.#settings.get(keyOf(userId, roomId));
    return setting ? { ...setting } : null;
  }

  async listForUser(userId: string): Promise<NotifySettingRecord[]> {
    return [...this.#settings.values()].filter((s) => s.userId === userId).map((s) => ({ ...s }));
  }
}
