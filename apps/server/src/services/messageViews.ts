import { LIMITS, excerpt, type AuthorDto, type MessageDto, type MessagePage, type MessageStateDto, type ReactionDto, type ReplyQuoteDto } from '@confab/shared';
import type { MessageStore, ReactionStore, StoredMessage, StoredPage } from '../store/ports.js';

const isMessage = (entry: StoredMessage) => !entry.change && !entry.recall && !entry.event;

/**
 * Stream entries as clients see them: what a store keeps only once is read where it lives when
 * an entry is served, so no entry ever carries an old text. A change entry gets its target's
 * current state, a reply the current quote of its original, a message its reactions, a recall
 * entry whether a moderator removed its message (`recall.byModerator`, from the message, so the
 * entry agrees with it even when an author's recall and a removal raced), and every author who is
 * deactivated now is marked so. One read of the targets and one of the reactions per page,
 * whatever its length.
 */
export function createMessageViews(deps: {
  messages: Pick<MessageStore, 'findByIds'>;
  reactions: Pick<ReactionStore, 'of'>;
  /** Whether the user's account is deactivated now (see services/admin/deactivatedUsers.ts); none are without it. */
  isDeactivated?: (userId: string) => boolean;
}) {
  const isDeactivated = deps.isDeactivated ?? (() => false);
  const authorAsNow = (author: AuthorDto): AuthorDto => (isDeactivated(author.id) ? { id: author.id, name: author.name, deactivated: true } : { id: author.id, name: author.name });

  /**
   * `fresh`: the entries were stored just now, so no message of theirs has reactions yet (saves a
   * read per send); `known`: entries the caller has just read (a reply's original), not read again.
   */
  async function many(entries: readonly StoredMessage[], options: { fresh?: boolean; known?: readonly StoredMessage[] } = {}): Promise<MessageDto[]> {
    if (entries.length === 0) return [];
    const held = new Map([...(options.known ?? []), ...entries].map((entry) => [entry.id, entry]));
    const wanted = new Set<string>();
    for (const entry of entries) {
      const target = entry.change?.messageId ?? entry.replyTo?.messageId ?? entry.recall?.messageId;
      if (target && !held.has(target)) wanted.add(target);
    }
    for (const target of wanted.size > 0 ? await deps.messages.findByIds([...wanted]) : []) held.set(target.id, target);
    // Reactions of the page's messages and of the change entries' targets (a reply's quote shows
    // none); recalled messages have none to show.
    const changed = new Set(entries.flatMap((entry) => (entry.change ? [entry.change.messageId] : [])));
    const reacted = [...held.values()]
      .filter((entry) => (changed.has(entry.id) || (entries.includes(entry) && !options.fresh)) && isMessage(entry) && !entry.recalledAt)
      .map((entry) => entry.id);
    const reactions = reacted.length > 0 ? await deps.reactions.of(reacted) : new Map<string, ReactionDto[]>();

    const stateOf = (target: StoredMessage): MessageStateDto => ({
      body: target.body,
      ...(target.editedAt ? { editedAt: target.editedAt } : {}),
      ...(target.recalledAt ? { recalledAt: target.recalledAt } : {}),
      ...(target.recalledAt && target.removedByModerator ? { removedByModerator: true as const } : {}),
      ...(target.mentions?.length ? { mentions: target.mentions } : {}),
      ...(reactions.has(target.id) ? { reactions: reactions.get(target.id)! } : {}),
    });

    return entries.map((entry): MessageDto => {
      const { change, replyTo, recall, removedByModerator, author, ...rest } = entry;
      const base = { ...rest, author: authorAsNow(author) };
      if (change) {
        const target = held.get(change.messageId);
        // A target that is gone reads as recalled: nothing of it is left to show.
        const state: MessageStateDto = target ? stateOf(target) : { body: '', recalledAt: entry.createdAt };
        return { ...base, change: { ...change, state } };
      }
      const dto: MessageDto = base;
      if (recall) {
        const isRemoval = recall.byModerator === true || held.get(recall.messageId)?.removedByModerator === true;
        dto.recall = { messageId: recall.messageId, seq: recall.seq, ...(isRemoval ? { byModerator: true as const } : {}) };
      }
      if (entry.recalledAt && removedByModerator) dto.removedByModerator = true;
      if (replyTo) dto.replyTo = quoteOf(replyTo, held.get(replyTo.messageId), authorAsNow);
      const own = reactions.get(entry.id);
      if (own && !entry.recalledAt) dto.reactions = own;
      return dto;
    });
  }

  async function one(entry: StoredMessage, options: { fresh?: boolean; known?: readonly StoredMessage[] } = {}): Promise<MessageDto> {
    return (await many([entry], options))[0]!;
  }

  async function page(stored: StoredPage): Promise<MessagePage> {
    return { messages: await many(stored.messages), hasMore: stored.hasMore };
  }

  return { one, many, page };
}

function quoteOf(ref: { messageId: string; seq: number }, original: StoredMessage | undefined, authorAsNow: (author: AuthorDto) => AuthorDto): ReplyQuoteDto {
  if (!original || original.recalledAt) {
    return {
      messageId: ref.messageId,
      seq: ref.seq,
      author: original ? authorAsNow(original.author) : { id: '', name: '' },
      excerpt: '',
      recalled: true,
      ...(original?.removedByModerator ? { removedByModerator: true as const } : {}),
    };
  }
  const quote: ReplyQuoteDto = { messageId: ref.messageId, seq: ref.seq, author: authorAsNow(original.author), excerpt: excerpt(original.body, LIMITS.replyExcerptGraphemes) };
  if (original.attachments?.length) quote.attachments = original.attachments.map(({ name, kind }) => ({ name, kind }));
  return quote;
}

export type MessageViews = ReturnType<typeof createMessageViews>;
