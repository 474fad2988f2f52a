import type { MessageDto } from '@confab/shared';

/**
 * How far to mark a room read: the newest message on screen, but only when the peer wrote
 * something after our read mark. Our own messages count as read (the server marks them when
 * stored), so writing never triggers a `dm:read` of its own.
 */
export function readTarget(messages: readonly MessageDto[], myId: string | undefined, myReadSeq: number): number | null {
  const newest = messages.at(-1);
  if (!newest || newest.seq <= myReadSeq) return null;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > myReadSeq; i -= 1) {
    if (messages[i]!.author.id !== myId) return newest.seq;
  }
  return null;
}

export interface ReadConditions {
  /** The tab is visible and the window focused: someone is looking. */
  isAttentive: boolean;
  /** The list shows its newest message (scrolled to the bottom). */
  isAtBottom: boolean;
  /** From `readTarget`. */
  target: number | null;
  /** A mark already sent (or being sent) for this seq or later. */
  sentSeq: number;
}

/** Whether to send a read mark now. A hidden tab never marks anything read. */
export function shouldMarkRead(conditions: ReadConditions): boolean {
  const { isAttentive, isAtBottom, target, sentSeq } = conditions;
  return isAttentive && isAtBottom && target !== null && target > sentSeq;
}
