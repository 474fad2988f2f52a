/**
 * Running counts of a room's stream up to and including one entry, stored with that entry in rooms
 * that count authors. Entries are never renumbered and their counts never rewritten, so the
 * counts at any seq are fixed once stored: unread counts are the difference between two of them.
 */
export interface StreamCounts {
  /** Messages and room events (recall and change entries excluded) per author. */
  sent: { authorId: string; count: number }[];
  /** Recall entries. */
  recalls: number;
  /** The newest recall entries, oldest first, at most RECENT_RECALLS of them, each with the recalled message's author. */
  recentRecalls: { seq: number; target: number; authorId: string }[];
}

/**
 * How many recall entries each entry carries. Between a reader's mark and the newest entry there
 * are rarely more; when there are, the recalls are counted from the stream instead.
 */
export const RECENT_RECALLS = 8;

/** The counts before a room's first entry. */
export const EMPTY_COUNTS: StreamCounts = { sent: [], recalls: 0, recentRecalls: [] };

export interface CountedEntry {
  seq: number;
  author: { id: string };
  /** Set on recall entries; `authorId` is the recalled message's author (see MessageDoc.recall). */
  recall?: { seq: number; authorId?: string } | null;
  /** Set on change entries (edits, reactions), which never count as unread. */
  change?: unknown;
}

/** The counts after `entry`, given the counts after the entry before it. */
export function countsAfter(previous: StreamCounts, entry: CountedEntry): StreamCounts {
  // A change entry still carries counts (the next entry reads them), the same as the entry before it.
  if (entry.change) return previous;
  if (entry.recall) {
    return {
      sent: previous.sent,
      recalls: previous.recalls + 1,
      recentRecalls: [...previous.recentRecalls, { seq: entry.seq, target: entry.recall.seq, authorId: entry.recall.authorId ?? entry.author.id }].slice(-RECENT_RECALLS),
    };
  }
  const isKnown = previous.sent.some((s) => s.authorId === entry.author.id);
  return {
    sent: isKnown
      ? previous.sent.map((s) => (s.authorId === entry.author.id ? { authorId: s.authorId, count: s.count + 1 } : s))
      : [...previous.sent, { authorId: entry.author.id, count: 1 }],
    recalls: previous.recalls,
    recentRecalls: previous.recentRecalls,
  };
}

/** The counts after the last of `entries`, which must be a room's whole stream up to it, in seq order. */
export function countsOf(entries: readonly CountedEntry[]): StreamCounts {
  return entries.reduce(countsAfter, EMPTY_COUNTS);
}

/**
 * Messages in `(mark, head]` not written by `readerId` and not recalled by an entry in that range,
 * from the counts at both ends; null when the head's recent recalls do not reach back to the mark.
 */
export function unreadBetween(mark: { seq: number; counts: StreamCounts }, head: { seq: number; counts: StreamCounts }, readerId: string): number | null {
  const sentBy = (counts: StreamCounts, authorId: string) => counts.sent.find((s) => s.authorId === authorId)?.count ?? 0;
  let unread = 0;
  for (const { authorId, count } of head.counts.sent) {
    if (authorId !== readerId) unread += count - sentBy(mark.counts, authorId);
  }
  const recallsSince = head.counts.recalls - mark.counts.recalls;
  if (recallsSince > head.counts.recentRecalls.length) return null;
  // A recall entry comes after the message it recalls, so one recalling a message after the mark is after it too.
  for (const recall of head.counts.recentRecalls.slice(head.counts.recentRecalls.length - recallsSince)) {
    if (recall.target > mark.seq && recall.authorId !== readerId) unread -= 1;
  }
  return unread;
}
