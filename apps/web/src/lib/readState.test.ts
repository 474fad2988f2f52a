import { describe, expect, it } from 'vitest';
import { ALICE, BOB, message } from '../testing/factories';
import { readTarget, shouldMarkRead } from './readState';

const mine = (seq: number) => message(seq, { author: ALICE });
const theirs = (seq: number) => message(seq, { author: BOB });

describe('marking read', () => {
  it('targets the newest message once the peer wrote after our mark, and never for our own messages alone', () => {
    expect(readTarget([mine(1), theirs(2), mine(3)], ALICE.id, 1)).toBe(3);
    expect(readTarget([theirs(1), mine(2), mine(3)], ALICE.id, 1)).toBeNull();
    expect(readTarget([theirs(1), theirs(2)], ALICE.id, 2)).toBeNull();
    expect(readTarget([], ALICE.id, 0)).toBeNull();
  });

  it('waits for a visible, focused tab showing the newest message, and asks once per seq', () => {
    const base = { isAttentive: true, isAtBottom: true, target: 4, sentSeq: 0 };
    expect(shouldMarkRead(base)).toBe(true);
    expect(shouldMarkRead({ ...base, isAttentive: false })).toBe(false);
    expect(shouldMarkRead({ ...base, isAtBottom: false })).toBe(false);
    expect(shouldMarkRead({ ...base, target: null })).toBe(false);
    expect(shouldMarkRead({ ...base, sentSeq: 4 })).toBe(false);
    expect(shouldMarkRead({ ...base, sentSeq: 3 })).toBe(true);
  });
});
