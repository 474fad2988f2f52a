import type { SettingsStore, StoredSettings } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

/** What the memory settings store holds: the saved settings, and who claimed the first account. */
export interface SavedSettings {
  values: StoredSettings;
  firstAccountId: string | null;
}

export class MemorySettingsStore implements SettingsStore {
  #values: StoredSettings;
  #firstAccountId: string | null;
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<SavedSettings> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    this.#values = { ...options.saved?.values };
    this.#firstAccountId = options.saved?.firstAccountId ?? null;
  }

  /** The state, for writing out; read it before the next await. */
  saved(): SavedSettings {
    return { values: { ...this.#values }, firstAccountId: this.#firstAccountId };
  }

  async get(): Promise<StoredSettings> {
    return { ...this.#values };
  }

  async update(change: StoredSettings): Promise<StoredSettings> {
    const defined = Object.entries(change).filter(([, value]) => value !== undefined);
    if (defined.length > 0) {
      this.#values = { ...this.#values, ...Object.fromEntries(defined) };
      this.#onChange();
    }
    return { ...this.#values };
  }

  async claimFirstAccount(userId: string): Promise<boolean> {
    if (this.#firstAccountId !== null) return false;
    this.#firstAccountId = userId;
    this.#onChange();
    return true;
  }
}
