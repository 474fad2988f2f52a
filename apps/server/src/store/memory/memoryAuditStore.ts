import type { AuditRecord, AuditStore } from '../ports.js';
import { newestFirstPage } from './newestFirst.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

function copy(entry: AuditRecord): AuditRecord {
  return { ...entry, actor: { ...entry.actor }, target: { ...entry.target }, ...(entry.details ? { details: { ...entry.details } } : {}) };
}

export class MemoryAuditStore implements AuditStore {
  readonly #entries = new Map<string, AuditRecord>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly AuditRecord[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const entry of options.saved ?? []) this.#entries.set(entry.id, copy(entry));
  }

  /** Every entry, for writing out; read it before the next await. */
  saved(): readonly AuditRecord[] {
    return [...this.#entries.values()];
  }

  async append(entry: AuditRecord): Promise<void> {
    if (this.#entries.has(entry.id)) throw new Error(`audit entry ${entry.id} exists`);
    this.#entries.set(entry.id, copy(entry));
    this.#onChange();
  }

  async list(query: { before?: string; limit: number }): Promise<AuditRecord[]> {
    return newestFirstPage(this.#entries.values(), query).map(copy);
  }
}
