import type { InvitationRecord, InvitationStore } from '../ports.js';
import { newestFirstPage } from './newestFirst.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

/** An invitation as the memory store saves it: without `uses`, which are saved one by one. */
export type SavedInvitation = Omit<InvitationRecord, 'uses'>;

/** What the memory invitation store holds. */
export interface SavedInvitations {
  records: readonly SavedInvitation[];
  uses: readonly { invitationId: string; use: number; at: Date }[];
}

export class MemoryInvitationStore implements InvitationStore {
  readonly #records = new Map<string, SavedInvitation>();
  readonly #idByTokenHash = new Map<string, string>();
  /** By invitation: each taken use's number and when it was taken. */
  readonly #uses = new Map<string, Map<number, Date>>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<SavedInvitations> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const record of options.saved?.records ?? []) this.#add(record);
    for (const { invitationId, use, at } of options.saved?.uses ?? []) this.#usesOf(invitationId).set(use, at);
  }

  #add(record: SavedInvitation): void {
    if (this.#records.has(record.id) || this.#idByTokenHash.has(record.tokenHash)) throw new Error(`invitation ${record.id} appears twice`);
    this.#records.set(record.id, { ...record, createdBy: { ...record.createdBy } });
    this.#idByTokenHash.set(record.tokenHash, record.id);
  }

  #usesOf(id: string): Map<number, Date> {
    let uses = this.#uses.get(id);
    if (!uses) this.#uses.set(id, (uses = new Map()));
    return uses;
  }

  #read(id: string | undefined): InvitationRecord | null {
    const record = id === undefined ? undefined : this.#records.get(id);
    return record ? { ...record, createdBy: { ...record.createdBy }, uses: this.#uses.get(record.id)?.size ?? 0 } : null;
  }

  /** The state, for writing out; read it before the next await. */
  saved(): SavedInvitations {
    return {
      records: [...this.#records.values()],
      uses: [...this.#uses.entries()].flatMap(([invitationId, uses]) => [...uses.entries()].map(([use, at]) => ({ invitationId, use, at }))),
    };
  }

  async create(invitation: InvitationRecord): Promise<void> {
    const { uses: _uses, ...record } = invitation;
    this.#add(record);
    this.#onChange();
  }

  async find(id: string): Promise<InvitationRecord | null> {
    return this.#read(id);
  }

  async findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    return this.#read(this.#idByTokenHash.get(tokenHash));
  }

  async list(query: { createdBy?: string; before?: string; limit: number }): Promise<InvitationRecord[]> {
    const mine = [...this.#records.values()].filter((r) => query.createdBy === undefined || r.createdBy.id === query.createdBy);
    return newestFirstPage(mine, { ...(query.before === undefined ? {} : { before: query.before }), limit: query.limit }).map((r) => this.#read(r.id)!);
  }

  async revoke(id: string, at: Date): Promise<InvitationRecord | null> {
    const record = this.#records.get(id);
    if (!record) return null;
    if (record.revokedAt === null) {
      record.revokedAt = at;
      this.#onChange();
    }
    return this.#read(id);
  }

  async takeUse(id: string, maxUses: number, at: Date): Promise<number | null> {
    const uses = this.#usesOf(id);
    for (let use = 1; use <= maxUses; use += 1) {
      if (uses.has(use)) continue;
      uses.set(use, at);
      this.#onChange();
      return use;
    }
    return null;
  }

  async releaseUse(id: string, use: number): Promise<void> {
    if (this.#uses.get(id)?.delete(use)) this.#onChange();
  }
}
