import { LIMITS, excerpt, type MessageDto } from '@confab/shared';

/**
 * What a client shows after applying a room's entries in seq order, as docs/protocol.md tells
 * clients to: a change entry replaces its target's state, a recall entry tombstones its target,
 * and neither is a row. Messages come back in seq order with only what a user sees.
 */
export function applyEntries(entries: readonly MessageDto[]): Pick<MessageDto, 'id' | 'seq' | 'body' | 'editedAt' | 'recalledAt' | 'replyTo' | 'mentions' | 'reactions'>[] {
  const rows = new Map<string, MessageDto>();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (entry.change) {
      const target = rows.get(entry.change.messageId);
      if (!target) continue;
      const { body, editedAt, recalledAt, mentions, reactions } = entry.change.state;
      const { editedAt: _e, recalledAt: _r, mentions: _m, reactions: _x, ...rest } = target;
      rows.set(target.id, { ...rest, body, ...(editedAt ? { editedAt } : {}), ...(recalledAt ? { recalledAt } : {}), ...(mentions ? { mentions } : {}), ...(reactions ? { reactions } : {}) });
      requote(rows, target.id, recalledAt ? null : body);
    } else if (entry.recall) {
      const target = rows.get(entry.recall.messageId);
      if (target) {
        const { mentions: _m, reactions: _x, ...rest } = target;
        rows.set(target.id, { ...rest, body: '', recalledAt: target.recalledAt ?? entry.createdAt });
      }
      requote(rows, entry.recall.messageId, null);
    } else if (!entry.event) {
      rows.set(entry.id, entry);
    }
  }
  return [...rows.values()].map(({ id, seq, body, editedAt, recalledAt, replyTo, mentions, reactions }) => ({
    id,
    seq,
    body,
    ...(editedAt ? { editedAt } : {}),
    ...(recalledAt ? { recalledAt } : {}),
    ...(replyTo ? { replyTo: { messageId: replyTo.messageId, seq: replyTo.seq, author: replyTo.author, excerpt: replyTo.excerpt, ...(replyTo.recalled ? { recalled: true } : {}) } } : {}),
    ...(mentions ? { mentions } : {}),
    ...(reactions ? { reactions } : {}),
  }));
}

/** Replies held to `messageId` quote its new text (null: it was recalled). */
function requote(rows: Map<string, MessageDto>, messageId: string, body: string | null): void {
  for (const row of rows.values()) {
    if (row.replyTo?.messageId !== messageId) continue;
    const { recalled: _r, ...quote } = row.replyTo;
    rows.set(row.id, { ...row, replyTo: body === null ? { ...quote, excerpt: '', recalled: true } : { ...quote, excerpt: excerpt(body, LIMITS.replyExcerptGraphemes) } });
  }
}
