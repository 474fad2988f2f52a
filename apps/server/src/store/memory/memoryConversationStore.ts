import type { ConversationRecord, ConversationStore } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

/** One user's read mark in one room. */
export interface ReadMark {
  roomId: string;
  userId: string;
  seq: number;
}

/** A conversation store's whole state, as `saved()` returns it. */
export interface SavedConversations {
  rooms: readonly ConversationRecord[];
  readMarks: readonly ReadMark[];
}

function copy(record: ConversationRecord): ConversationRecord {
  return { roomId: record.roomId, memberIds: [...record.memberIds], lastActivityAt: new Date(record.lastActivityAt) };
}

function readKey(roomId: string, userId: string): string {
  return `${roomId}\u0000${userId}`;
}

/** Newest activity first; the room id breaks ties so paging is stable. */
function isBefore(record: ConversationRecord, cursor: { at: Date; roomId: string }): boolean {
  const at = record.lastActivityAt.getTime();
  return at < cursor.at.getTime() || (at === cursor.at.getTime() && record.roomId < cursor.roomId);
}

export class MemoryConversationStore implements ConversationStore {
  readonly #rooms = new Map<string, ConversationRecord>();
  readonly #readMarks = new Map<string, ReadMark>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<SavedConversations> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const record of options.saved?.rooms ?? []) this.#rooms.set(record.roomId, copy(record));
    for (const mark of options.saved?.readMarks ?? []) this.#readMarks.set(readKey(mark.roomId, mark.userId), { ...mark });
  }

  /** Every room and read mark, for writing out; read it before the next await. */
  saved(): SavedConversations {
    return {
      rooms: [...this.#rooms.values()],
      readMarks: [...this.#readMarks.values()],
    };
  }

  async touch(roomId: string, memberIds: readonly [string, string], at: Date): Promise<void> {
    const existing = this.#rooms.get(roomId);
    if (!existing) {
      this.#rooms.set(roomId, { roomId, memberIds: [memberIds[0], memberIds[1]], lastActivityAt: new Date(at) });
      this.#onChange();
    } else if (at > existing.lastActivityAt) {
      existing.lastActivityAt = new Date(at);
      this.#onChange();
    }
  }

  async find(roomId: string): Promise<ConversationRecord | null> {
    const record = this.#rooms.get(roomId);
    return record ? copy(record) : null;
  }

  async listForUser(userId: string, query: { before?: { at: Date; roomId: string }; limit: number }): Promise<ConversationRecord[]> {
    return [...this.#rooms.values()]
      .filter((r) => r.memberIds.includes(userId) && (!query.before || isBefore(r, query.before)))
      .sort((a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || (a.roomId < b.roomId ? 1 : -1))
      .slice(0, query.limit)
      .map(copy);
  }

  async markRead(roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }> {
    const key = readKey(roomId, userId);
    const current = this.#readMarks.get(key)?.seq ?? 0;
    if (seq <= current) return { seq: current, moved: false };
    this.#readMarks.set(key, { roomId, userId, seq });
    this.#onChange();
    return { seq, moved: true };
  }

  async readSeq(roomId: string, userId: string): Promise<number> {
    return this.#readMarks.get(readKey(roomId, userId))?.seq ?? 0;
  }
}
