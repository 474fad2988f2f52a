import type { MentionDto, MessageDto } from '@confab/shared';

/** Whether a message (or an edit's new state) mentions the user. */
export function mentionsUser(target: { mentions?: readonly MentionDto[] }, userId: string | undefined): boolean {
  return userId !== undefined && (target.mentions ?? []).some((m) => m.id === userId);
}

/**
 * What a tab knows about one room's unread mentions beyond the server's count. The server sends a
 * room's counts only in snapshots (`room:list`, and `room:update` after a read mark or a
 * membership change), never after a message, so between snapshots the tab counts live entries
 * itself: it knows exactly which entries after `since` mention the reader, and so can take one
 * back when it is recalled or edited. Entries up to `since` were counted by the server, message by
 * message unknown here: a change to one of those waits for the next snapshot.
 */
export interface MentionLedger {
  /** The newest seq of the snapshot the count came from. */
  since: number;
  /** Unread messages by others that mention the reader, counted in the summary's `mentionCount`. */
  seqs: readonly number[];
}

export const EMPTY_LEDGER: MentionLedger = { since: 0, seqs: [] };

export interface MentionState {
  mentionCount: number;
  ledger: MentionLedger;
}

/**
 * A live entry's effect on a room's mention count: a new message mentioning the reader adds one;
 * its recall, or an edit that drops the mention, takes it back; an edit that adds a mention to an
 * unread message the tab saw arrive counts it. `myReadSeq` is the reader's mark before the entry.
 */
export function noteMention(state: MentionState, message: MessageDto, myReadSeq: number, myId: string | undefined): MentionState {
  const { ledger } = state;
  if (!myId || message.author.id === myId || message.event) return state;
  const without = (seq: number): MentionState =>
    ledger.seqs.includes(seq) ? { mentionCount: Math.max(0, state.mentionCount - 1), ledger: { ...ledger, seqs: ledger.seqs.filter((s) => s !== seq) } } : state;
  const withSeq = (seq: number): MentionState => ({ mentionCount: state.mentionCount + 1, ledger: { ...ledger, seqs: [...ledger.seqs, seq] } });

  if (message.recall) return without(message.recall.seq);
  const change = message.change;
  if (change) {
    // Only edits change mentions, and only the author edits: the entry's author is the message's.
    if (change.type !== 'edit') return state;
    const isMention = mentionsUser(change.state, myId) && !change.state.recalledAt;
    if (!isMention) return without(change.seq);
    const isKnownUncounted = change.seq > ledger.since && change.seq > myReadSeq && !ledger.seqs.includes(change.seq);
    return isKnownUncounted ? withSeq(change.seq) : state;
  }
  if (message.recalledAt || message.seq <= myReadSeq || !mentionsUser(message, myId)) return state;
  return withSeq(message.seq);
}

/**
 * The reader's own mark moved to `readSeq`: the mentions it covers are read. A mark covering the
 * newest entry clears the count; a partial one takes off the ones the tab knows it covers (the
 * `room:update` that follows a mark brings the server's count).
 */
export function readMentions(state: MentionState, readSeq: number, coversNewest: boolean): MentionState {
  if (coversNewest) return { mentionCount: 0, ledger: { ...state.ledger, seqs: [] } };
  const read = state.ledger.seqs.filter((s) => s <= readSeq).length;
  if (read === 0) return state;
  return { mentionCount: Math.max(0, state.mentionCount - read), ledger: { ...state.ledger, seqs: state.ledger.seqs.filter((s) => s > readSeq) } };
}

/**
 * A snapshot's count replaced the held one: the server counted every entry up to `lastSeq`, so the
 * ledger now starts there. Seqs already known to count stay known (a later recall of one is still
 * taken back); those the reader has read go.
 */
export function rebaseMentions(ledger: MentionLedger, lastSeq: number, myReadSeq: number): MentionLedger {
  return { since: Math.max(ledger.since, lastSeq), seqs: ledger.seqs.filter((s) => s > myReadSeq) };
}
