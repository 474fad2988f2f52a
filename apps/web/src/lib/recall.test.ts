import { describe, expect, it, vi } from 'vitest';
import { reactive } from 'vue';
import type { MessageDto, MessagePage } from '@confab/shared';
import type { Result } from '../services/request';
import { ALICE, BOB, conversation, message } from '../testing/factories';
import { createRoomMessages, type RoomTransport } from './roomMessages';
import { buildTimeline, type TimelineMessage } from './timeline';
import { previewText } from './conversations';

const RECALLED_AT = new Date(Date.UTC(2026, 2, 1, 12, 1)).toISOString();
const page = (messages: MessageDto[], hasMore = false): Result<MessagePage> => ({ ok: true, data: { messages, hasMore } });

/** The entry the server appends when `target` is recalled, with seq `seq`. */
function recallEntry(seq: number, target: MessageDto): MessageDto {
  return message(seq, { author: target.author, body: '', createdAt: RECALLED_AT, recall: { messageId: target.id, seq: target.seq } });
}

function room(transport: Partial<RoomTransport> = {}) {
  return reactive(createRoomMessages(
    {
      send: vi.fn(),
      history: vi.fn(async () => page([])),
      sync: vi.fn(async () => page([])),
      recall: vi.fn(),
      edit: vi.fn(),
      react: vi.fn(),
      remove: vi.fn(),
      report: vi.fn(),
      ...transport,
    },
    () => ALICE.id,
  ));
}

describe('recall in the shared room logic', () => {
  it('a recall entry arriving after its target turns the target into a tombstone and counts for the contiguous seq', async () => {
    const target = message(2, { author: BOB, body: 'oops' });
    const r = room({ history: vi.fn(async () => page([message(1), target])) });
    await r.catchUp();
    expect(r.receiveLive(recallEntry(3, target))).toBe(false);
    expect(r.messages.find((m) => m.id === target.id)).toMatchObject({ body: '', recalledAt: RECALLED_AT });
    expect(r.syncedSeq).toBe(3);
  });

  it('a recall entry arriving before its target still erases the target once it arrives', async () => {
    const target = message(2, { author: BOB, body: 'oops' });
    const r = room({ history: vi.fn(async () => page([message(1)])) });
    await r.catchUp();
    // The entry overtook the message: a gap at 2, which a catch-up fills with the (unerased) copy.
    expect(r.receiveLive(recallEntry(3, target))).toBe(true);
    expect(r.syncedSeq).toBe(1);
    r.receive([target]);
    expect(r.messages.map((m) => [m.seq, m.body, m.recalledAt])).toEqual([
      [1, 'message 1', undefined],
      [2, '', RECALLED_AT],
      [3, '', undefined],
    ]);
    expect(r.syncedSeq).toBe(3);
  });

  it('a recall learnt through sync applies to the message held, and sync continues after the entry', async () => {
    const target = message(2, { author: BOB, body: 'secret' });
    const sync = vi.fn(async ({ afterSeq }: { afterSeq: number }) => page(afterSeq === 2 ? [message(3), recallEntry(4, target)] : []));
    const r = room({ history: vi.fn(async () => page([message(1), target])), sync });
    await r.catchUp();
    await r.catchUp();
    expect(r.messages.find((m) => m.id === target.id)?.body).toBe('');
    expect(r.syncedSeq).toBe(4);
    await r.catchUp();
    expect(sync.mock.calls.at(-1)![0]).toEqual({ afterSeq: 4 });
  });

  it('a held message is erased when history hands it back already recalled', async () => {
    const target = message(2, { author: BOB, body: 'secret' });
    const r = room({ history: vi.fn(async () => page([target])) });
    await r.catchUp();
    r.receive([{ ...target, body: '', recalledAt: RECALLED_AT }]);
    expect(r.messages[0]).toMatchObject({ body: '', recalledAt: RECALLED_AT });
  });

  it('recall() applies the acked entry at once and reports a refusal without changing anything', async () => {
    const mine = message(1, { author: ALICE, body: 'mine' });
    const recall = vi
      .fn<RoomTransport['recall']>()
      .mockResolvedValueOnce({ ok: false, error: { code: 'recall_window_expired', message: 'Too late.' } })
      .mockResolvedValueOnce({ ok: true, data: recallEntry(2, mine) });
    const r = room({ history: vi.fn(async () => page([mine])), recall });
    await r.catchUp();
    expect(await r.recall(mine.id)).toMatchObject({ ok: false });
    expect(r.messages[0]!.body).toBe('mine');
    expect(await r.recall(mine.id)).toMatchObject({ ok: true });
    expect(recall).toHaveBeenCalledWith({ id: mine.id });
    expect(r.messages[0]).toMatchObject({ body: '', recalledAt: RECALLED_AT });
  });
});

describe('recall in the timeline and previews', () => {
  const now = new Date(Date.UTC(2026, 2, 1, 15));
  const rows = (messages: MessageDto[]) => buildTimeline(messages, [], ALICE, now).filter((e): e is TimelineMessage => e.kind === 'message');

  it('a recalled message is a tombstone row without its body, and the recall entry is no row at all', () => {
    const target = message(2, { author: BOB, body: '', recalledAt: RECALLED_AT });
    const result = rows([message(1), target, message(3), recallEntry(4, target)]);
    expect(result.map((r) => [r.seq, r.isRecalled, r.body])).toEqual([
      [1, false, 'message 1'],
      [2, true, ''],
      [3, false, 'message 3'],
    ]);
    // A tombstone stands alone: neither it nor the next message by the same author joins a group.
    expect(result.map((r) => r.isGroupStart)).toEqual([true, true, true]);
  });

  it('the conversation preview says who recalled, for a recall entry or a recalled last message', () => {
    const target = message(1, { author: BOB, body: '', recalledAt: RECALLED_AT });
    expect(previewText(conversation({ lastMessage: recallEntry(2, target) }), ALICE.id)).toBe('Bob Baker recalled a message');
    expect(previewText(conversation({ lastMessage: target }), ALICE.id)).toBe('Bob Baker recalled a message');
    const mine = message(3, { author: ALICE, body: '', recalledAt: RECALLED_AT });
    expect(previewText(conversation({ lastMessage: mine }), ALICE.id)).toBe('You recalled a message');
  });
});
