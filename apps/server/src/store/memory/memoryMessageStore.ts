import type { MessageDto, MessagePage } from '@confab/shared';
import type { AppendResult, MessageStore, NewMessage } from '../ports.js';
import { newObjectIdHex } from '../ids.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

function copy(message: MessageDto): MessageDto {
  return { ...message, author: { ...message.author }, ...(message.recall ? { recall: { ...message.recall } } : {}) };
}

export class MemoryMessageStore implements MessageStore {
  // Each room's messages in seq order: rooms[roomId][seq - 1] holds seq.
  readonly #rooms = new Map<string, MessageDto[]>();
  readonly #byAuthorClientId = new Map<string, MessageDto>();
  readonly #byId = new Map<string, MessageDto>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly MessageDto[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const message of [...(options.saved ?? [])].sort((a, b) => a.seq - b.seq).map(copy)) {
      const room = this.#rooms.get(message.roomId) ?? [];
      this.#rooms.set(message.roomId, room);
      // The seq is the position in the room: a gap or a repeat would make history lie.
      if (message.seq !== room.length + 1) throw new Error(`room ${message.roomId} has seq ${message.seq} where ${room.length + 1} belongs`);
      const key = `${message.author.id}\u0000${message.clientId}`;
      if (this.#byAuthorClientId.has(key) || this.#byId.has(message.id)) throw new Error(`message ${message.id} appears twice`);
      room.push(message);
      this.#byAuthorClientId.set(key, message);
      this.#byId.set(message.id, message);
    }
  }

  /** Every message, room by room in seq order, for writing out; read it before the next await. */
  saved(): readonly MessageDto[] {
    return [...this.#rooms.values()].flat();
  }

  async append(input: NewMessage): Promise<AppendResult> {
    const key = `${input.author.id}\u0000${input.clientId}`;
    const existing = this.#byAuthorClientId.get(key);
    if (existing) return { message: copy(existing), isNew: false };
    const room = this.#rooms.get(input.roomId) ?? [];
    this.#rooms.set(input.roomId, room);
    const message: MessageDto = {
      id: newObjectIdHex(),
      roomId: input.roomId,
      seq: room.length + 1,
      clientId: input.clientId,
      author: { ...input.author },
      body: input.body,
      createdAt: input.createdAt.toISOString(),
      ...(input.recall ? { recall: { ...input.recall } } : {}),
    };
    room.push(message);
    this.#byAuthorClientId.set(key, message);
    this.#byId.set(message.id, message);
    this.#onChange();
    return { message: copy(message), isNew: true };
  }

  async history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    const room = this.#rooms.get(roomId) ?? [];
    const end = Math.min(query.beforeSeq === undefined ? room.length : query.beforeSeq - 1, room.length);
    const start = Math.max(0, end - query.limit);
    return { messages: room.slice(start, end).map(copy), hasMore: start > 0 };
  }

  async since(roomId: string, query: { afterSeq: number; limit: number }): Promise<MessagePage> {
    const room = this.#rooms.get(roomId) ?? [];
    const start = Math.min(query.afterSeq, room.length);
    const end = Math.min(start + query.limit, room.length);
    return { messages: room.slice(start, end).map(copy), hasMore: end < room.length };
  }

  async countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string }): Promise<number> {
    const room = this.#rooms.get(roomId) ?? [];
    return room.slice(query.afterSeq).filter((m) => m.author.id !== query.excludeAuthorId && !m.recalledAt && !m.recall).length;
  }

  async findById(id: string): Promise<MessageDto | null> {
    const message = this.#byId.get(id);
    return message ? copy(message) : null;
  }

  async erase(id: string, at: Date): Promise<void> {
    const message = this.#byId.get(id);
    if (!message) return;
    message.body = '';
    message.recalledAt ??= at.toISOString();
    this.#onChange();
  }
}
