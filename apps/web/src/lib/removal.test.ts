import { describe, expect, it, vi } from 'vitest';
import { reactive } from 'vue';
import type { MessageDto, MessagePage } from '@confab/shared';
import type { Result } from '../services/request';
import { fileAttachment } from '../testing/attachments';
import { ALICE, ALICE_BOB_ROOM, BOB, conversation, message, roomSummary } from '../testing/factories';
import { previewText } from './conversations';
import { applyStates, collectStates, quoteOf } from './messageChanges';
import { createRoomMessages } from './roomMessages';
import { noteEntry, summaryPreview } from './rooms';
import { buildTimeline, type TimelineMessage } from './timeline';

const REMOVED_AT = new Date(Date.UTC(2026, 2, 1, 12, 30)).toISOString();
const page = (messages: MessageDto[]): Result<MessagePage> => ({ ok: true, data: { messages, hasMore: false } });

/** The entry the server appends when a moderator removes `target` (its author is the target's, as for a recall). */
function removalEntry(seq: number, target: MessageDto): MessageDto {
  return message(seq, { roomId: target.roomId, author: target.author, body: '', createdAt: REMOVED_AT, recall: { messageId: target.id, seq: target.seq, byModerator: true } });
}
function recallEntry(seq: number, target: MessageDto): MessageDto {
  return message(seq, { roomId: target.roomId, author: target.author, body: '', createdAt: REMOVED_AT, recall: { messageId: target.id, seq: target.seq } });
}

/** Applies entries the way a room does: collect, then apply to what is held. */
function run(held: MessageDto[], ...batches: MessageDto[][]): MessageDto[] {
  let states = collectStates(new Map(), []);
  let messages = held;
  for (const batch of batches) {
    states = collectStates(states, batch);
    messages = applyStates([...messages, ...batch.filter((m) => !messages.some((h) => h.id === m.id))].sort((a, b) => a.seq - b.seq), states);
  }
  return messages;
}
const rowOf = (messages: MessageDto[], id: string) =>
  buildTimeline(messages, [], { id: ALICE.id, name: ALICE.name }, new Date(Date.UTC(2026, 2, 1, 13))).find((e): e is TimelineMessage => e.kind === 'message' && e.id === id)!;

describe('a message removed by a moderator', () => {
  it('a removal entry erases the text and files and reads as removed, not as recalled by its author', () => {
    const target = message(1, { author: BOB, body: 'buy cheap pills', attachments: [fileAttachment()] });
    const held = run([target], [removalEntry(2, target)]);
    const erased = held.find((m) => m.id === target.id)!;
    expect(erased).toMatchObject({ body: '', recalledAt: REMOVED_AT, removedByModerator: true });
    expect(erased.attachments).toBeUndefined();
    expect(rowOf(held, target.id)).toMatchObject({ isRecalled: true, isRemoved: true, body: '', attachments: [] });

    const recalled = run([target], [recallEntry(2, target)]);
    expect(rowOf(recalled, target.id)).toMatchObject({ isRecalled: true, isRemoved: false });
  });

  it('applies whether the removal arrives before or after its target, and a history copy already removed reads the same', () => {
    const target = message(1, { author: BOB, body: 'spam' });
    expect(rowOf(run([], [removalEntry(2, target)], [target]), target.id).isRemoved).toBe(true);
    const served = { ...target, body: '', recalledAt: REMOVED_AT, removedByModerator: true as const };
    expect(rowOf(run([], [served]), target.id).isRemoved).toBe(true);
  });

  it('an edit entry that reads its removed target only as recalled never hides the removal, in either order', () => {
    const target = message(1, { author: BOB, body: 'spam' });
    const staleChange = message(3, { author: BOB, body: '', change: { type: 'edit', messageId: target.id, seq: 1, state: { body: '', recalledAt: REMOVED_AT } } });
    for (const batches of [[[staleChange], [removalEntry(2, target)]], [[removalEntry(2, target)], [staleChange]]]) {
      expect(rowOf(run([target], ...batches), target.id)).toMatchObject({ isRecalled: true, isRemoved: true });
    }
  });

  it('a reply quoting it says the original was removed, live and as history serves it', () => {
    const original = message(1, { author: BOB, body: 'spam' });
    const reply = message(2, { author: ALICE, body: 'what?', replyTo: { messageId: original.id, seq: 1, author: BOB, excerpt: 'spam' } });
    const live = run([original, reply], [removalEntry(3, original)]);
    expect(rowOf(live, reply.id).replyTo).toMatchObject({ isRecalled: true, isRemoved: true, text: '' });

    const served = message(2, { author: ALICE, body: 'what?', replyTo: { messageId: original.id, seq: 1, author: BOB, excerpt: '', recalled: true, removedByModerator: true } });
    expect(rowOf([served], served.id).replyTo).toMatchObject({ isRecalled: true, isRemoved: true });
    // A reply being written to it: the reply bar says so too.
    const states = collectStates(new Map(), [removalEntry(3, original)]);
    expect(quoteOf({ messageId: original.id, seq: 1, author: BOB }, [original], states)).toMatchObject({ recalled: true, removedByModerator: true });
  });

  it('a room applies the removal its ack returns at once, and a report goes out with its reason', async () => {
    const target = message(1, { author: BOB, body: 'spam' });
    const remove = vi.fn(async () => ({ ok: true as const, data: removalEntry(2, target) }));
    const report = vi.fn(async () => ({ ok: true as const, data: null }));
    const room = reactive(
      createRoomMessages({ send: vi.fn(), history: vi.fn(async () => page([target])), sync: vi.fn(async () => page([])), recall: vi.fn(), edit: vi.fn(), react: vi.fn(), remove, report }, () => ALICE.id),
    );
    await room.catchUp();
    expect((await room.report(target.id, 'spam')).ok).toBe(true);
    expect(report).toHaveBeenCalledWith({ id: target.id, reason: 'spam' });
    expect(room.messages[0]!.body).toBe('spam');
    await room.remove(target.id);
    expect(remove).toHaveBeenCalledWith({ id: target.id });
    expect(room.messages.find((m) => m.id === target.id)).toMatchObject({ body: '', removedByModerator: true });
  });

  it('a refused removal changes nothing held', async () => {
    const target = message(1, { author: BOB, body: 'fine' });
    const remove = vi.fn(async () => ({ ok: false as const, error: { code: 'forbidden' as const, message: 'no' } }));
    const room = reactive(
      createRoomMessages({ send: vi.fn(), history: vi.fn(async () => page([target])), sync: vi.fn(async () => page([])), recall: vi.fn(), edit: vi.fn(), react: vi.fn(), remove, report: vi.fn() }, () => ALICE.id),
    );
    await room.catchUp();
    const res = await room.remove(target.id);
    expect(res.ok).toBe(false);
    expect(room.messages).toEqual([target]);
  });
});

describe('previews of a removed message', () => {
  it('the room list says a message was removed by a moderator, naming no one', () => {
    const summary = roomSummary({ lastSeq: 4 });
    const removed = noteEntry(summary, removalEntry(5, summary.lastMessage!), ALICE.id);
    expect(summaryPreview(removed, ALICE.id)).toBe('Message removed by a moderator');
    const served = roomSummary({ lastSeq: 4, lastMessage: message(4, { body: '', recalledAt: REMOVED_AT, removedByModerator: true }) });
    expect(summaryPreview(served, ALICE.id)).toBe('Message removed by a moderator');
    // A recall still names who recalled.
    const recalled = summaryPreview(noteEntry(summary, recallEntry(5, summary.lastMessage!), ALICE.id), ALICE.id);
    expect(recalled).toContain('Bob Baker');
    expect(recalled).toContain('recalled a message');
  });

  it('a removal of an unread message by someone else takes it back from the unread count; one of one\'s own does not', () => {
    const summary = roomSummary({ lastSeq: 4, myReadSeq: 2, unreadCount: 1 });
    expect(noteEntry(summary, removalEntry(5, summary.lastMessage!), ALICE.id).unreadCount).toBe(0);
    // Bob's message 4 is unread; Alice's own message 3 is removed: Bob's stays unread.
    const own = message(3, { roomId: summary.room.id, author: ALICE });
    expect(noteEntry(summary, removalEntry(5, own), ALICE.id).unreadCount).toBe(1);
  });

  it('the conversation list says the same, whoever wrote it', () => {
    const mine = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM, author: ALICE, body: '', recall: { messageId: '1', seq: 1, byModerator: true } }) });
    const theirs = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', recalledAt: REMOVED_AT, removedByModerator: true }) });
    expect(previewText(mine, ALICE.id)).toBe('Message removed by a moderator');
    expect(previewText(theirs, ALICE.id)).toBe('Message removed by a moderator');
    expect(previewText(conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', recalledAt: REMOVED_AT }) }), ALICE.id)).toBe('Bob Baker recalled a message');
  });
});
