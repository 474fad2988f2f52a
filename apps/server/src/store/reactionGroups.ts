import type { ReactionDto } from '@confab/shared';
import type { NewReaction } from './ports.js';

/**
 * One message's reactions as clients see them: per emoji in the order of its earliest reaction,
 * users earliest first (ties: the order stored). Both stores answer with this.
 */
export function grouped(reactions: readonly Pick<NewReaction, 'user' | 'emoji' | 'at'>[]): ReactionDto[] {
  const byEmoji = new Map<string, ReactionDto>();
  // A stable sort: equal times keep the order given.
  for (const reaction of [...reactions].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    let entry = byEmoji.get(reaction.emoji);
    if (!entry) byEmoji.set(reaction.emoji, (entry = { emoji: reaction.emoji, users: [] }));
    entry.users.push({ id: reaction.user.id, name: reaction.user.name });
  }
  return [...byEmoji.values()];
}
