import type mongoose from 'mongoose';
import { expect } from 'vitest';
import type { StoredMessage } from '../../src/store/ports.js';
import { countsOf, type CountedEntry } from '../../src/store/mongo/streamCounts.js';

/** Every stored entry of the room has seq 1..n, and every entry's stored counts equal the counts of the stream up to it. */
export async function expectStoredCountsExact(raw: mongoose.Connection, roomId: string): Promise<void> {
  const docs = await raw.collection('messages').find({ roomId }).sort({ seq: 1 }).toArray();
  expect(docs.map((d) => d.seq)).toEqual(docs.map((_, i) => i + 1));
  const entries = docs.map((d) => ({ seq: d.seq as number, author: { id: d.author.id as string }, recall: d.recall ?? null, change: d.change ?? null })) as CountedEntry[];
  for (const [i, doc] of docs.entries()) {
    if (doc.counts) expect(doc.counts, `counts at seq ${doc.seq}`).toEqual(countsOf(entries.slice(0, i + 1)));
  }
}

/** The unread count by its definition, walking the stream: others' messages after `after` (not change entries), not recalled by an entry in the stream. */
export function walkedUnread(stream: readonly StoredMessage[], readerId: string, after: number): number {
  const recalled = new Set(stream.filter((m) => m.recall).map((m) => m.recall!.messageId));
  return stream.filter((m) => m.seq > after && !m.recall && !m.change && m.author.id !== readerId && !recalled.has(m.id)).length;
}
