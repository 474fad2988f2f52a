import { describe, expect, it } from 'vitest';
import { ALICE, BOB, message, outboxItem } from '../testing/factories';
import { buildTimeline, countNewMessages, GROUP_WINDOW_MS, type TimelineEntry, type TimelineMessage } from './timeline';

const now = new Date(2026, 2, 10, 15, 0);
const at = (day: number, hour: number, minute = 0, second = 0) => new Date(2026, 2, day, hour, minute, second).toISOString();
const rows = (entries: TimelineEntry[]) => entries.filter((e): e is TimelineMessage => e.kind === 'message');
const shape = (entries: TimelineEntry[]) =>
  entries.map((e) => (e.kind === 'day' ? `day:${e.label}` : e.kind === 'event' ? `event:${e.event.type}` : `${e.body}${e.isGroupStart ? ' *' : ''}`));

describe('buildTimeline', () => {
  it('shows a room event as a line of its own that no message groups across, and never as a message', () => {
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'a1', createdAt: at(10, 9, 0) }),
        message(2, { author: BOB, body: '', event: { type: 'joined' }, createdAt: at(10, 9, 1) }),
        message(3, { author: ALICE, body: 'a2', createdAt: at(10, 9, 2) }),
      ],
      [],
      ALICE,
      now,
    );
    expect(shape(entries)).toEqual(['day:Today', 'a1 *', 'event:joined', 'a2 *']);
    expect(rows(entries).map((r) => r.seq)).toEqual([1, 3]);
    expect(countNewMessages(entries, 0)).toBe(0);
  });

  it('groups consecutive messages by one author within the window', () => {
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'a1', createdAt: at(10, 9, 0) }),
        message(2, { author: ALICE, body: 'a2', createdAt: at(10, 9, 4) }),
        message(3, { author: BOB, body: 'b1', createdAt: at(10, 9, 5) }),
        message(4, { author: ALICE, body: 'a3', createdAt: at(10, 9, 6) }),
      ],
      [],
      ALICE,
      now,
    );
    expect(shape(entries)).toEqual(['day:Today', 'a1 *', 'a2', 'b1 *', 'a3 *']);
  });

  it('starts a new group when the same author pauses for the window or longer', () => {
    const first = new Date(2026, 2, 10, 9, 0);
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'a1', createdAt: first.toISOString() }),
        message(2, { author: ALICE, body: 'a2', createdAt: new Date(first.getTime() + GROUP_WINDOW_MS - 1).toISOString() }),
        message(3, { author: ALICE, body: 'a3', createdAt: new Date(first.getTime() + 2 * GROUP_WINDOW_MS).toISOString() }),
      ],
      [],
      ALICE,
      now,
    );
    expect(shape(entries)).toEqual(['day:Today', 'a1 *', 'a2', 'a3 *']);
  });

  it('puts a separator before each new local day and restarts grouping after it', () => {
    const entries = buildTimeline(
      [
        message(1, { author: ALICE, body: 'old', createdAt: at(2, 23, 58) }),
        message(2, { author: ALICE, body: 'yesterday', createdAt: at(9, 23, 59) }),
        message(3, { author: ALICE, body: 'today', createdAt: at(10, 0, 1) }),
      ],
      [],
      null,
      now,
    );
    const labels = entries.filter((e) => e.kind === 'day').map((e) => e.label);
    expect(labels).toHaveLength(3);
    expect(labels.slice(1)).toEqual(['Yesterday', 'Today']);
    expect(labels[0]).toContain('March');
    expect(rows(entries).every((r) => r.isGroupStart)).toBe(true);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('shows the outbox last, in writing order, as our own pending or failed messages', () => {
    const entries = buildTimeline(
      [message(1, { author: BOB, body: 'from bob', createdAt: at(10, 14, 0) })],
      [
        outboxItem('x', { body: 'first draft', createdAt: at(10, 14, 1) }),
        outboxItem('y', { body: 'refused', createdAt: at(10, 14, 2), status: 'failed', error: { code: 'invalid_payload', message: 'body: too long' } }),
        outboxItem('z', { body: 'failed without reason', createdAt: at(10, 14, 3), status: 'failed' }),
      ],
      ALICE,
      now,
    );
    const [bob, ...mine] = rows(entries);
    expect(bob).toMatchObject({ body: 'from bob', status: 'sent', isOwn: false, seq: 1 });
    expect(mine.map((r) => [r.body, r.status, r.errorMessage, r.isOwn, r.seq, r.authorName])).toEqual([
      ['first draft', 'pending', null, true, null, 'Alice Archer'],
      ['refused', 'failed', 'body: too long', true, null, 'Alice Archer'],
      ['failed without reason', 'failed', 'Not delivered', true, null, 'Alice Archer'],
    ]);
    expect(mine.map((r) => r.isGroupStart)).toEqual([true, false, false]);
  });

  it('keeps a message\'s key when it moves from the outbox to the stored list', () => {
    const pending = rows(buildTimeline([], [outboxItem('k1', { createdAt: at(10, 14) })], ALICE, now))[0]!;
    const stored = rows(buildTimeline([message(5, { author: ALICE, clientId: 'k1', createdAt: at(10, 14) })], [], ALICE, now))[0]!;
    expect(stored.key).toBe(pending.key);
    expect(stored.status).toBe('sent');
  });
});

describe('countNewMessages', () => {
  const old = message(1, { author: ALICE, body: 'old' });
  /** Alice's recall of `target`, the entry the server appends with seq `seq`. */
  const recallOf = (seq: number, target: typeof old) =>
    message(seq, { author: target.author, body: '', recall: { messageId: target.id, seq: target.seq } });
  const count = (messages: Parameters<typeof buildTimeline>[0], seenSeq: number, outbox: Parameters<typeof buildTimeline>[1] = []) =>
    countNewMessages(buildTimeline(messages, outbox, BOB, now), seenSeq);

  it('counts messages by others stored after what the reader saw', () => {
    expect(count([old, message(2, { author: ALICE }), message(3, { author: ALICE })], 1)).toBe(2);
    expect(count([old, message(2, { author: ALICE })], 2)).toBe(0);
  });

  it('never counts a recall entry, though it is stored after what the reader saw', () => {
    expect(count([{ ...old, body: '', recalledAt: at(10, 14) }, recallOf(2, old)], 1)).toBe(0);
  });

  it('stops counting a new message once it is recalled', () => {
    const fresh = message(3, { author: ALICE, body: 'fresh' });
    const seen = [{ ...old, body: '', recalledAt: at(10, 14) }, recallOf(2, old)];
    expect(count([...seen, fresh], 1)).toBe(1);
    expect(count([...seen, { ...fresh, body: '', recalledAt: at(10, 14) }, recallOf(4, fresh)], 1)).toBe(0);
  });

  it('never counts the reader\'s own messages, stored or still in the outbox', () => {
    expect(count([old, message(2, { author: BOB })], 1, [outboxItem('p1')])).toBe(0);
  });
});
