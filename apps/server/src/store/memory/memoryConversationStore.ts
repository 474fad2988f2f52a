import type { ConversationRecord, ConversationStore } from '../ports.js';

function copy(record: ConversationRecord): ConversationRecord {
  return { roomId: record.roomId, memberIds: [...record.memberIds], lastActivityAt: new Date(record.lastActivityAt) };
}

/** Newest activity first; the room id breaks ties so paging is stable. */
function isBefore(record: ConversationRecord, cursor: { at: Date; roomId: string }): boolean {
  const at = record.lastActivityAt.getTime();
  return at < cursor.at.getTime() || (at === cursor.at.getTime() && record.roomId < cursor.roomId);
}

export class MemoryConversationStore implements ConversationStore {
  readonly #rooms = new Map<string, ConversationRecord>();
  readonly #readSeqs = new Map<string, number>();

  async touch(roomId: string, memberIds: readonly [string, string], at: Date): Promise<void> {
    const existing = this.#rooms.get(roomId);
    if (!existing) {
      this.#rooms.set(roomId, { roomId, memberIds: [memberIds[0], memberIds[1]], lastActivityAt: new Date(at) });
    } else if (at > existing.lastActivityAt) {
      existing.lastActivityAt = new Date(at);
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
    const key = `${roomId}\u0000${userId}`;
    const current = this.#readSeqs.get(key) ?? 0;
    if (seq <= current) return { seq: current, moved: false };
    this.#readSeqs.set(key, seq);
    return { seq, moved: true };
  }

  async readSeq(roomId: string, userId: string): Promise<number> {
    return this.#readSeqs.get(`${roomId}\u0000${userId}`) ?? 0;
  }
}
