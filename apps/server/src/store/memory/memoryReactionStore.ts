import type { ReactionDto } from '@confab/shared';
import type { NewReaction, ReactionStore } from '../ports.js';
import { grouped } from '../reactionGroups.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

function copy(reaction: NewReaction): NewReaction {
  return { messageId: reaction.messageId, roomId: reaction.roomId, user: { id: reaction.user.id, name: reaction.user.name }, emoji: reaction.emoji, at: new Date(reaction.at) };
}

const reactionKey = (messageId: string, userId: string, emoji: string) => `${messageId}\u0000${emoji}\u0000${userId}`;

export class MemoryReactionStore implements ReactionStore {
  // By message, in the order added (which `of` keeps among equal times).
  readonly #byMessage = new Map<string, NewReaction[]>();
  readonly #keys = new Set<string>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly NewReaction[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const reaction of options.saved ?? []) this.#add(copy(reaction));
  }

  /** Every reaction, in the order added, for writing out; read it before the next await. */
  saved(): readonly NewReaction[] {
    return [...this.#byMessage.values()].flat();
  }

  #add(reaction: NewReaction): boolean {
    const key = reactionKey(reaction.messageId, reaction.user.id, reaction.emoji);
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    const list = this.#byMessage.get(reaction.messageId) ?? [];
    this.#byMessage.set(reaction.messageId, list);
    list.push(reaction);
    return true;
  }

  async add(reaction: NewReaction): Promise<boolean> {
    const isAdded = this.#add(copy(reaction));
    if (isAdded) this.#onChange();
    return isAdded;
  }

  async remove(messageId: string, userId: string, emoji: string): Promise<boolean> {
    if (!this.#keys.delete(reactionKey(messageId, userId, emoji))) return false;
    const list = this.#byMessage.get(messageId)!;
    const rest = list.filter((r) => !(r.user.id === userId && r.emoji === emoji));
    if (rest.length > 0) this.#byMessage.set(messageId, rest);
    else this.#byMessage.delete(messageId);
    this.#onChange();
    return true;
  }

  async of(messageIds: readonly string[]): Promise<Map<string, ReactionDto[]>> {
    const result = new Map<string, ReactionDto[]>();
    for (const messageId of new Set(messageIds)) {
      const list = typeof messageId === 'string' ? this.#byMessage.get(messageId) : undefined;
      if (list) result.set(messageId, grouped(list));
    }
    return result;
  }

  async addedAt(messageId: string, userId: string, emoji: string): Promise<Date | null> {
    const found = (typeof messageId === 'string' ? this.#byMessage.get(messageId) : undefined)?.find((r) => r.user.id === userId && r.emoji === emoji);
    return found ? new Date(found.at) : null;
  }

  async emojiOf(messageId: string): Promise<string[]> {
    const list = typeof messageId === 'string' ? this.#byMessage.get(messageId) : undefined;
    return [...new Set((list ?? []).map((r) => r.emoji))];
  }
}
