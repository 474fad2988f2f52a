import { describe, expect, it } from 'vitest';
import { clientIdSchema } from '@confab/shared';
import { ALICE, BOB, message, outboxItem } from '../testing/factories';
import { contiguousSeq, isRetryable, mergeMessages, newClientId, settleOutbox } from './messages';

const seqs = (list: { seq: number }[]) => list.map((m) => m.seq);

describe('mergeMessages', () => {
  it('appends newer messages in seq order', () => {
    expect(seqs(mergeMessages([message(1), message(2)], [message(4), message(3)]))).toEqual([1, 2, 3, 4]);
  });

  it('places older and in-between messages by seq', () => {
    expect(seqs(mergeMessages([message(5), message(8)], [message(7), message(2), message(6)]))).toEqual([2, 5, 6, 7, 8]);
  });

  it('drops a message it already holds, whether matched by id or by seq', () => {
    const existing = [message(1), message(2), message(3)];
    const merged = mergeMessages(existing, [message(2), message(3, { id: 'f'.repeat(24) }), message(4), message(4)]);
    expect(seqs(merged)).toEqual([1, 2, 3, 4]);
    expect(merged[2]).toBe(existing[2]);
  });

  it('returns the same array when nothing is new, so callers can skip a write', () => {
    const existing = [message(1), message(2)];
    expect(mergeMessages(existing, [])).toBe(existing);
    expect(mergeMessages(existing, [message(1), message(2)])).toBe(existing);
  });

  it('merges into an empty list', () => {
    expect(seqs(mergeMessages([], [message(3), message(1), message(3)]))).toEqual([1, 3]);
  });
});

describe('contiguousSeq', () => {
  it('is the last seq before the first hole', () => {
    expect(contiguousSeq([message(1), message(2), message(3), message(5)], 0)).toBe(3);
  });

  it('starts from the given floor, ignoring messages at or below it', () => {
    expect(contiguousSeq([message(41), message(42)], 40)).toBe(42);
    expect(contiguousSeq([message(40), message(41)], 40)).toBe(41);
  });

  it('stays at the floor when the first message held is already past a hole', () => {
    expect(contiguousSeq([message(3), message(4)], 0)).toBe(0);
    expect(contiguousSeq([], 7)).toBe(7);
  });
});

describe('settleOutbox', () => {
  const outbox = [outboxItem('one'), outboxItem('two')];

  it('removes the entry our stored message acknowledges', () => {
    const settled = settleOutbox(outbox, message(9, { author: ALICE, clientId: 'two' }), ALICE.id);
    expect(settled.map((i) => i.clientId)).toEqual(['one']);
  });

  it('ignores another author using the same clientId', () => {
    expect(settleOutbox(outbox, message(9, { author: BOB, clientId: 'two' }), ALICE.id)).toBe(outbox);
  });

  it('ignores our messages that are not in the outbox, and everything while signed out', () => {
    expect(settleOutbox(outbox, message(9, { author: ALICE, clientId: 'three' }), ALICE.id)).toBe(outbox);
    expect(settleOutbox(outbox, message(9, { author: ALICE, clientId: 'one' }), undefined)).toBe(outbox);
  });
});

describe('isRetryable', () => {
  it('retries transport failures and server hiccups', () => {
    for (const code of ['timeout', 'disconnected', 'rate_limited', 'unavailable', 'internal'] as const) {
      expect(isRetryable({ code, message: '' })).toBe(true);
    }
    expect(isRetryable(undefined)).toBe(true);
  });

  it('does not retry refusals that would fail again', () => {
    for (const code of ['invalid_payload', 'unauthorized', 'forbidden', 'not_found'] as const) {
      expect(isRetryable({ code, message: '' })).toBe(false);
    }
  });
});

describe('newClientId', () => {
  it('makes distinct ids the server accepts', () => {
    const ids = Array.from({ length: 50 }, newClientId);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(clientIdSchema.safeParse(id).success).toBe(true);
  });
});
