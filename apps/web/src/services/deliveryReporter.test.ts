import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReadMarkDto } from '@confab/shared';
import { ALICE, ALICE_BOB_ROOM } from '../testing/factories';
import type { Result } from './request';
import { createDeliveryReporter, type DeliveryReporter, type OwnReadMark } from './deliveryReporter';

const OTHER_ROOM = `dm:${ALICE.id}:${'c'.repeat(24)}`;

/** A server stand-in for the reporter's one dependency: records each report and answers when told. */
function scriptedServer() {
  const calls: { roomId: string; seq: number; answer: (res: Result<ReadMarkDto>) => void }[] = [];
  const send = (roomId: string, seq: number) => new Promise<Result<ReadMarkDto>>((answer) => calls.push({ roomId, seq, answer }));
  const ack = (i: number, seq = calls[i]!.seq) => calls[i]!.answer({ ok: true, data: { roomId: calls[i]!.roomId, userId: ALICE.id, seq } });
  return { calls, send, ack };
}

describe('delivery reports', () => {
  let server: ReturnType<typeof scriptedServer>;
  let reporter: DeliveryReporter;
  // Our own read marks, as the conversation list and the read marker know them.
  let reads: Record<string, OwnReadMark>;

  beforeEach(() => {
    vi.useFakeTimers();
    server = scriptedServer();
    reads = {};
    reporter = createDeliveryReporter(server.send, (roomId) => reads[roomId] ?? { seq: 0, sendingSeq: 0 }, 100);
  });
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst into one report of the highest seq, per room', async () => {
    reporter.note(ALICE_BOB_ROOM, 3);
    reporter.note(ALICE_BOB_ROOM, 5);
    reporter.note(ALICE_BOB_ROOM, 4);
    reporter.note(OTHER_ROOM, 2);
    expect(server.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls.map((c) => [c.roomId, c.seq])).toEqual([
      [ALICE_BOB_ROOM, 5],
      [OTHER_ROOM, 2],
    ]);
  });

  it('keeps one report in flight per room, then sends what arrived meanwhile; never a seq at or below the held mark', async () => {
    reporter.note(ALICE_BOB_ROOM, 5);
    await vi.advanceTimersByTimeAsync(100);
    reporter.note(ALICE_BOB_ROOM, 7);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.calls).toHaveLength(1);
    server.ack(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls.map((c) => c.seq)).toEqual([5, 7]);
    server.ack(1);
    await vi.advanceTimersByTimeAsync(0);
    reporter.note(ALICE_BOB_ROOM, 6);
    reporter.note(ALICE_BOB_ROOM, 7);
    // Another device of ours reported further (its dm:delivered reached us).
    reporter.acknowledge(ALICE_BOB_ROOM, 9);
    reporter.note(ALICE_BOB_ROOM, 8);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.calls).toHaveLength(2);
  });

  it('what our own read mark covers counts as delivered: no report for it, and a read mark on its way holds the report until its answer', async () => {
    // The conversation is on screen: the read marker marked it read before the report was due.
    reporter.note(ALICE_BOB_ROOM, 4);
    reads[ALICE_BOB_ROOM] = { seq: 4, sendingSeq: 0 };
    await vi.advanceTimersByTimeAsync(500);
    expect(server.calls).toHaveLength(0);

    // A read mark for 6 is on its way: nothing yet; its ack makes the report needless.
    reporter.note(ALICE_BOB_ROOM, 6);
    reads[ALICE_BOB_ROOM] = { seq: 4, sendingSeq: 6 };
    await vi.advanceTimersByTimeAsync(300);
    expect(server.calls).toHaveLength(0);
    reads[ALICE_BOB_ROOM] = { seq: 6, sendingSeq: 0 };
    await vi.advanceTimersByTimeAsync(300);
    expect(server.calls).toHaveLength(0);

    // One for 8 fails: the entry did reach us, so it is reported after all.
    reporter.note(ALICE_BOB_ROOM, 8);
    reads[ALICE_BOB_ROOM] = { seq: 6, sendingSeq: 8 };
    await vi.advanceTimersByTimeAsync(300);
    reads[ALICE_BOB_ROOM] = { seq: 6, sendingSeq: 0 };
    await vi.advanceTimersByTimeAsync(300);
    expect(server.calls.map((c) => c.seq)).toEqual([8]);
  });

  it('a report that failed goes again on resume, and nothing of a previous user survives a reset', async () => {
    reporter.note(ALICE_BOB_ROOM, 5);
    await vi.advanceTimersByTimeAsync(100);
    server.calls[0]!.answer({ ok: false, error: { code: 'disconnected', message: 'You are offline.' } });
    await vi.advanceTimersByTimeAsync(500);
    expect(server.calls).toHaveLength(1);
    reporter.resume();
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls.map((c) => c.seq)).toEqual([5, 5]);

    reporter.reset();
    server.ack(1);
    reporter.note(OTHER_ROOM, 1);
    reporter.resume();
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls.map((c) => [c.roomId, c.seq])).toEqual([
      [ALICE_BOB_ROOM, 5],
      [ALICE_BOB_ROOM, 5],
      [OTHER_ROOM, 1],
    ]);
  });
});
