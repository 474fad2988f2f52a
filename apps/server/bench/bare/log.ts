/** A message as the bare server sends it: the same fields as Confab's MessageDto, so clients read both alike. */
export interface BareMessage {
  id: string;
  roomId: string;
  seq: number;
  clientId: string;
  author: { id: string; name: string };
  body: string;
  createdAt: string;
}

/** Every message of every room in memory, numbered per room; shared by the instances of one process. */
export class MessageLog {
  readonly #rooms = new Map<string, BareMessage[]>();

  append(message: Omit<BareMessage, 'seq'>): BareMessage {
    const room = this.#rooms.get(message.roomId) ?? [];
    this.#rooms.set(message.roomId, room);
    const stored = { ...message, seq: room.length + 1 };
    room.push(stored);
    return stored;
  }

  /** As Confab's `message:sync`: up to `limit` messages after `afterSeq`, and whether more follow. */
  since(roomId: string, afterSeq: number, limit: number): { messages: BareMessage[]; hasMore: boolean } {
    const room = this.#rooms.get(roomId) ?? [];
    const messages = room.slice(afterSeq, afterSeq + limit);
    return { messages, hasMore: afterSeq + limit < room.length };
  }
}
