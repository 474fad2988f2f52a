import { describe, expect, it } from 'vitest';
import { ALICE, BOB, message } from '../testing/factories';
import { readTarget, seenSeq, shouldMarkRead } from './readState';

const mine = (seq: number) => message(seq, { author: ALICE });
const theirs = (seq: number) => message(seq, { author: BOB });

describe('"Seen"', () => {
  it('goes under the last of our messages the peer has read, and only that one', () => {
    const messages = [mine(1), mine(2), theirs(3), mine(4), mine(5)];
    expect(seenSeq(messages, ALICE.id, BOB.id, 4)).toBe(4);
    expect(seenSeq(messages, ALICE.id, BOB.id, 5)).toBe(5);
    expect(seenSeq(messages, ALICE.id, BOB.id, 3)).toBe(2);
    expect(seenSeq(messages, ALICE.id, BOB.id, 0)).toBeNull();
  });

  it('is never shown in notes-to-self or without a signed-in user', () => {
    expect(seenSeq([mine(1)], ALICE.id, ALICE.id, 1)).toBeNull();
    expect(seenSeq([mine(1)], undefined, BOB.id, 1)).toBeNull();
  });
});

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
