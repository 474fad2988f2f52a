import type { AttachmentDto, MentionDto, RoomEventDto } from '@confab/shared';
import type { AppendResult, MessageStore, NewMessage, StoredMessage, StoredPage } from '../ports.js';
import { newObjectIdHex } from '../ids.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

function copyEvent(event: RoomEventDto): RoomEventDto {
  return { ...event, ...(event.user ? { user: { ...event.user } } : {}) };
}

function copy(message: StoredMessage): StoredMessage {
  return {
    ...message,
    author: { ...message.author },
    ...(message.recall ? { recall: { ...message.recall } } : {}),
    ...(message.event ? { event: copyEvent(message.event) } : {}),
    ...(message.change ? { change: { ...message.change } } : {}),
    ...(message.replyTo ? { replyTo: { ...message.replyTo } } : {}),
    ...(message.mentions ? { mentions: message.mentions.map((m) => ({ ...m })) } : {}),
    ...(message.attachments ? { attachments: copyAttachments(message.attachments) } : {}),
  };
}

function copyAttachments(attachments: readonly AttachmentDto[]): AttachmentDto[] {
  return attachments.map((a) => ({ ...a, ...(a.thumbnail ? { thumbnail: { ...a.thumbnail } } : {}) }));
}

/** A message a user can be mentioned in: not a recall, change or event entry. */
const isMessage = (entry: StoredMessage) => !entry.recall && !entry.change && !entry.event;
/** An entry whose erasure, without a recall entry, leaves the unread counts to correct. */
const isCounted = (entry: StoredMessage) => !entry.recall && !entry.change;

/** One room's stream, with what `countUnread` needs to answer without walking it. */
interface Room {
  /** The entries in seq order: entries[seq - 1] holds seq. */
  entries: StoredMessage[];
  /** Each author's messages and room events (recall and change entries excluded), as ascending seqs. */
  sentSeqs: Map<string, number[]>;
  /** The recall entries, ascending by seq, with the author of the message each recalls (a moderator's removal has another). */
  recalls: { seq: number; target: number; authorId: string }[];
  /** Erased messages whose recall entry was never appended (a recall the caller did not finish). */
  erasedWithoutEntry: Set<StoredMessage>;
  /** The seq of the newest entry that is not a change entry (0: none). */
  newestShownSeq: number;
  /** The seqs of every entry that is not a change entry, ascending. */
  shownSeqs: number[];
  /** By user id: the messages that mention them now (not recalled). */
  mentioning: Map<string, Set<StoredMessage>>;
}

/** How many of `items`, ascending by `seqOf`, have a seq of at most `limit`. */
function countUpTo<T>(items: readonly T[], limit: number, seqOf: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (seqOf(items[mid]!) <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

function copyMentions(mentions: readonly MentionDto[]): MentionDto[] {
  return mentions.map((m) => ({ id: m.id, username: m.username }));
}

const itself = (seq: number) => seq;
const recallSeq = (recall: Room['recalls'][number]) => recall.seq;
const clientKey = (authorId: string, clientId: string) => `${authorId}\u0000${clientId}`;

export class MemoryMessageStore implements MessageStore {
  readonly #rooms = new Map<string, Room>();
  readonly #byAuthorClientId = new Map<string, StoredMessage>();
  readonly #byId = new Map<string, StoredMessage>();
  /** By author: their messages (not recall, event or change entries), in the order stored. */
  readonly #byAuthor = new Map<string, StoredMessage[]>();
  /** The messages a recall entry names (whoever wrote it: the author, or a moderator). */
  readonly #recalledIds = new Set<string>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly StoredMessage[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const message of [...(options.saved ?? [])].sort((a, b) => a.seq - b.seq).map(copy)) {
      const room = this.#room(message.roomId);
      // The seq is the position in the room: a gap or a repeat would make history lie.
      if (message.seq !== room.entries.length + 1) throw new Error(`room ${message.roomId} has seq ${message.seq} where ${room.entries.length + 1} belongs`);
      const key = clientKey(message.author.id, message.clientId);
      if (this.#byAuthorClientId.has(key) || this.#byId.has(message.id)) throw new Error(`message ${message.id} appears twice`);
      this.#add(room, message);
      this.#byAuthorClientId.set(key, message);
    }
    for (const message of this.#byId.values()) {
      if (message.recalledAt && isCounted(message) && !this.#hasRecallEntry(message)) this.#room(message.roomId).erasedWithoutEntry.add(message);
    }
  }

  #hasRecallEntry(message: StoredMessage): boolean {
    return this.#recalledIds.has(message.id);
  }

  /** Every message, room by room in seq order, for writing out; read it before the next await. */
  saved(): readonly StoredMessage[] {
    return [...this.#rooms.values()].flatMap((room) => room.entries);
  }

  #room(roomId: string): Room {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = { entries: [], sentSeqs: new Map(), recalls: [], erasedWithoutEntry: new Set(), newestShownSeq: 0, shownSeqs: [], mentioning: new Map() };
      this.#rooms.set(roomId, room);
    }
    return room;
  }

  #add(room: Room, message: StoredMessage): void {
    room.entries.push(message);
    this.#byId.set(message.id, message);
    if (!message.change) {
      room.newestShownSeq = message.seq;
      room.shownSeqs.push(message.seq);
    }
    if (message.recall) {
      const target = this.#byId.get(message.recall.messageId);
      room.recalls.push({ seq: message.seq, target: message.recall.seq, authorId: target?.author.id ?? message.author.id });
      this.#recalledIds.add(message.recall.messageId);
      if (target) room.erasedWithoutEntry.delete(target);
    } else if (!message.change) {
      // A change entry (an edit, a reaction) never counts as unread, so it is left out of the counts.
      const seqs = room.sentSeqs.get(message.author.id) ?? [];
      room.sentSeqs.set(message.author.id, seqs);
      seqs.push(message.seq);
    }
    if (isMessage(message)) {
      const authored = this.#byAuthor.get(message.author.id) ?? [];
      this.#byAuthor.set(message.author.id, authored);
      authored.push(message);
    }
    this.#indexMentions(room, message, true);
  }

  /** Adds the message to (or takes it from) the sets of the users it mentions. */
  #indexMentions(room: Room, message: StoredMessage, isAdded: boolean): void {
    if (!isMessage(message) || message.recalledAt) return;
    for (const { id } of message.mentions ?? []) {
      let set = room.mentioning.get(id);
      if (isAdded) {
        if (!set) room.mentioning.set(id, (set = new Set()));
        set.add(message);
      } else if (set) {
        set.delete(message);
        if (set.size === 0) room.mentioning.delete(id);
      }
    }
  }

  async append(input: NewMessage): Promise<AppendResult> {
    const key = clientKey(input.author.id, input.clientId);
    const existing = this.#byAuthorClientId.get(key);
    if (existing) return { message: copy(existing), isNew: false };
    const room = this.#room(input.roomId);
    const message: StoredMessage = {
      id: newObjectIdHex(),
      roomId: input.roomId,
      seq: room.entries.length + 1,
      clientId: input.clientId,
      author: { ...input.author },
      body: input.body,
      createdAt: input.createdAt.toISOString(),
      ...(input.recall
        ? { recall: { messageId: input.recall.messageId, seq: input.recall.seq, ...(input.recall.byModerator ? { byModerator: true as const } : {}) } }
        : {}),
      ...(input.event ? { event: copyEvent(input.event) } : {}),
      ...(input.change ? { change: { ...input.change } } : {}),
      ...(input.replyTo ? { replyTo: { messageId: input.replyTo.messageId, seq: input.replyTo.seq } } : {}),
      ...(input.mentions?.length ? { mentions: copyMentions(input.mentions) } : {}),
      ...(input.attachments?.length ? { attachments: copyAttachments(input.attachments) } : {}),
    };
    this.#add(room, message);
    this.#byAuthorClientId.set(key, message);
    this.#onChange();
    return { message: copy(message), isNew: true };
  }

  async newest(roomId: string): Promise<StoredMessage | null> {
    const last = this.#rooms.get(roomId)?.entries.at(-1);
    return last ? copy(last) : null;
  }

  async newestShown(roomId: string): Promise<StoredMessage | null> {
    const room = this.#rooms.get(roomId);
    const shown = room && room.newestShownSeq > 0 ? room.entries[room.newestShownSeq - 1] : undefined;
    return shown ? copy(shown) : null;
  }

  async upToNewest(roomId: string, seq: number): Promise<number> {
    return Math.min(seq, this.#rooms.get(roomId)?.entries.length ?? 0);
  }

  async history(roomId: string, query: { beforeSeq?: number; limit: number }): Promise<StoredPage> {
    const room = this.#rooms.get(roomId)?.entries ?? [];
    const end = Math.min(query.beforeSeq === undefined ? room.length : query.beforeSeq - 1, room.length);
    const start = Math.max(0, end - query.limit);
    return { messages: room.slice(start, end).map(copy), hasMore: start > 0 };
  }

  async since(roomId: string, query: { afterSeq: number; limit: number }): Promise<StoredPage> {
    const room = this.#rooms.get(roomId)?.entries ?? [];
    const start = Math.min(query.afterSeq, room.length);
    const end = Math.min(start + query.limit, room.length);
    return { messages: room.slice(start, end).map(copy), hasMore: end < room.length };
  }

  /** From each author's seqs and the recall entries: no walk over the range. */
  async countUnread(roomId: string, query: { afterSeq: number; excludeAuthorId: string; throughSeq?: number }): Promise<number> {
    const room = this.#rooms.get(roomId);
    if (!room) return 0;
    const after = query.afterSeq;
    const through = Math.min(query.throughSeq ?? room.entries.length, room.entries.length);
    if (through <= after) return 0;
    let unread = 0;
    for (const [authorId, seqs] of room.sentSeqs) {
      if (authorId !== query.excludeAuthorId) unread += countUpTo(seqs, through, itself) - countUpTo(seqs, after, itself);
    }
    // A recall entry comes after the message it recalls, so one recalling a message in the range lies in it too.
    for (let i = countUpTo(room.recalls, after, recallSeq); i < countUpTo(room.recalls, through, recallSeq); i += 1) {
      const recall = room.recalls[i]!;
      if (recall.target > after && recall.authorId !== query.excludeAuthorId) unread -= 1;
    }
    for (const erased of room.erasedWithoutEntry) {
      if (erased.seq > after && erased.seq <= through && erased.author.id !== query.excludeAuthorId) unread -= 1;
    }
    return unread;
  }

  async findById(id: string): Promise<StoredMessage | null> {
    const message = this.#byId.get(id);
    return message ? copy(message) : null;
  }

  async findByClientId(authorId: string, clientId: string): Promise<StoredMessage | null> {
    const message = this.#byAuthorClientId.get(clientKey(authorId, clientId));
    return message ? copy(message) : null;
  }

  async findByIds(ids: readonly string[]): Promise<StoredMessage[]> {
    const found: StoredMessage[] = [];
    for (const id of new Set(ids)) {
      const message = typeof id === 'string' ? this.#byId.get(id) : undefined;
      if (message) found.push(copy(message));
    }
    return found;
  }

  async edit(id: string, change: { body: string; mentions: MentionDto[]; editedAt: Date }): Promise<StoredMessage | null> {
    const message = typeof id === 'string' ? this.#byId.get(id) : undefined;
    if (!message) return null;
    if (message.recalledAt) return copy(message);
    const room = this.#room(message.roomId);
    this.#indexMentions(room, message, false);
    message.body = change.body;
    if (change.mentions.length > 0) message.mentions = copyMentions(change.mentions);
    else delete message.mentions;
    message.editedAt = change.editedAt.toISOString();
    this.#indexMentions(room, message, true);
    this.#onChange();
    return copy(message);
  }

  async erase(id: string, at: Date, options: { byModerator?: boolean } = {}): Promise<void> {
    const message = typeof id === 'string' ? this.#byId.get(id) : undefined;
    if (!message) return;
    const room = this.#room(message.roomId);
    this.#indexMentions(room, message, false);
    // Whom the text mentioned, and the files sent with it, go with the text.
    message.body = '';
    delete message.mentions;
    delete message.attachments;
    message.recalledAt ??= at.toISOString();
    if (options.byModerator) message.removedByModerator = true;
    if (isCounted(message) && !this.#hasRecallEntry(message)) room.erasedWithoutEntry.add(message);
    this.#onChange();
  }

  async authoredBy(authorId: string, query: { afterId?: string; limit: number }): Promise<StoredMessage[]> {
    const after = query.afterId;
    return (this.#byAuthor.get(authorId) ?? [])
      .filter((m) => !m.recalledAt && (after === undefined || m.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, query.limit)
      .map(copy);
  }

  /** From the set of messages that mention the user now: no walk over the range. */
  async shownWindowStart(roomId: string, query: { throughSeq: number; count: number }): Promise<number> {
    const shown = this.#rooms.get(roomId)?.shownSeqs ?? [];
    const upTo = countUpTo(shown, query.throughSeq, itself);
    return upTo > query.count ? shown[upTo - query.count - 1]! : 0;
  }

  async countMentions(roomId: string, query: { userId: string; afterSeq: number; throughSeq: number }): Promise<number> {
    const mentioning = this.#rooms.get(roomId)?.mentioning.get(query.userId);
    let count = 0;
    for (const message of mentioning ?? []) {
      if (message.seq > query.afterSeq && message.seq <= query.throughSeq && message.author.id !== query.userId) count += 1;
    }
    return count;
  }
}
