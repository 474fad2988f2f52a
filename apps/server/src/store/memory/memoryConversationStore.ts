import type { ConversationRecord, ConversationStore } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

/** One user's read (or delivery) mark in one room. */
export interface ReadMark {
  roomId: string;
  userId: string;
  seq: number;
}

/** A conversation store's whole state, as `saved()` returns it. */
export interface SavedConversations {
  rooms: readonly ConversationRecord[];
  readMarks: readonly ReadMark[];
  deliveryMarks: readonly ReadMark[];
}

function copy(record: ConversationRecord): ConversationRecord {
  return { roomId: record.roomId, memberIds: [...record.memberIds], lastActivityAt: new Date(record.lastActivityAt) };
}

/** Marks that only move forward, by room, then user. */
class Marks {
  readonly #byRoom = new Map<string, Map<string, number>>();

  constructor(saved: readonly ReadMark[] = []) {
    for (const mark of saved) this.raise(mark.roomId, mark.userId, mark.seq);
  }

  get(roomId: string, userId: string): number {
    return this.#byRoom.get(roomId)?.get(userId) ?? 0;
  }

  /** Moves the mark up to `seq`; whether it moved. */
  raise(roomId: string, userId: string, seq: number): boolean {
    if (!(seq > this.get(roomId, userId))) return false;
    let room = this.#byRoom.get(roomId);
    if (!room) this.#byRoom.set(roomId, (room = new Map()));
    room.set(userId, seq);
    return true;
  }

  of(roomId: string): { userId: string; seq: number }[] {
    return [...(this.#byRoom.get(roomId) ?? [])].map(([userId, seq]) => ({ userId, seq }));
  }

  all(): ReadMark[] {
    return [...this.#byRoom].flatMap(([roomId, users]) => [...users].map(([userId, seq]) => ({ roomId, userId, seq })));
  }
}

/** Newest activity first; the room id breaks ties so paging is stable. */
function isBefore(record: ConversationRecord, cursor: { at: Date; roomId: string }): boolean {
  const at = record.lastActivityAt.getTime();
  return at < cursor.at.getTime() || (at === cursor.at.getTime() && record.roomId < cursor.roomId);
}

export class MemoryConversationStore implements ConversationStore {
  readonly #rooms = new Map<string, ConversationRecord>();
  readonly #readMarks: Marks;
  readonly #deliveryMarks: Marks;
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<SavedConversations> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const record of options.saved?.rooms ?? []) this.#rooms.set(record.roomId, copy(record));
    this.#readMarks = new Marks(options.saved?.readMarks);
    this.#deliveryMarks = new Marks(options.saved?.deliveryMarks);
  }

  /** Every room, read mark and delivery mark, for writing out; read it before the next await. */
  saved(): SavedConversations {
    return {
      rooms: [...this.#rooms.values()],
      readMarks: this.#readMarks.all(),
      deliveryMarks: this.#deliveryMarks.all(),
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
    return this.#raise(this.#readMarks, roomId, userId, seq);
  }

  async readSeq(roomId: string, userId: string): Promise<number> {
    return this.#readMarks.get(roomId, userId);
  }

  async readMarks(roomId: string): Promise<{ userId: string; seq: number }[]> {
    return this.#readMarks.of(roomId);
  }

  async markDelivered(roomId: string, userId: string, seq: number): Promise<{ seq: number; moved: boolean }> {
    return this.#raise(this.#deliveryMarks, roomId, userId, seq);
  }

  async deliveredSeq(roomId: string, userId: string): Promise<number> {
    return this.#deliveryMarks.get(roomId, userId);
  }

  #raise(marks: Marks, roomId: string, userId: string, seq: number): { seq: number; moved: boolean } {
    if (!marks.raise(roomId, userId, seq)) return { seq: marks.get(roomId, userId), moved: false };
    this.#onChange();
    return { seq, moved: true };
  }
}
