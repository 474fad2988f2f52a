import { describe, expect, it, vi } from 'vitest';
import { reactive } from 'vue';
import type { MessageDto, MessagePage, MessageStateDto } from '@confab/shared';
import type { Result } from '../services/request';
import { fileAttachment, imageAttachment } from '../testing/attachments';
import { ALICE, BOB, message } from '../testing/factories';
import { applyStates, collectStates, isChangeEntry, quoteOf } from './messageChanges';
import { createRoomMessages, REPLY_RECALLED_MESSAGE, type RoomTransport } from './roomMessages';
import { buildTimeline, type TimelineMessage } from './timeline';

const EDITED_AT = new Date(Date.UTC(2026, 2, 1, 12, 5)).toISOString();
const RECALLED_AT = new Date(Date.UTC(2026, 2, 1, 12, 6)).toISOString();
const page = (messages: MessageDto[], hasMore = false): Result<MessagePage> => ({ ok: true, data: { messages, hasMore } });

/** The change entry the server appends (with seq `seq`) when `target` changes to `state`. */
function changeEntry(seq: number, target: MessageDto, state: MessageStateDto, type: 'edit' | 'reaction' = 'edit'): MessageDto {
  return message(seq, { author: target.author, body: '', change: { type, messageId: target.id, seq: target.seq, state } });
}
function recallEntry(seq: number, target: MessageDto): MessageDto {
  return message(seq, { author: target.author, body: '', createdAt: RECALLED_AT, recall: { messageId: target.id, seq: target.seq } });
}
const edited = (body: string, at = EDITED_AT): MessageStateDto => ({ body, editedAt: at });
const thumbs = (...users: { id: string; name: string }[]): MessageStateDto => ({ body: 'hello', reactions: [{ emoji: '👍', users }] });

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
const byId = (messages: MessageDto[], id: string) => messages.find((m) => m.id === id)!;

describe('change entries', () => {
  it('an edit entry replaces the target\'s text and sets editedAt, and is itself a stream entry that is never a row', () => {
    const target = message(1, { author: ALICE, body: 'helo' });
    const entry = changeEntry(2, target, edited('hello'));
    const result = run([target], [entry]);
    expect(byId(result, target.id)).toMatchObject({ body: 'hello', editedAt: EDITED_AT });
    expect(isChangeEntry(entry)).toBe(true);
    expect(isChangeEntry(target)).toBe(false);
  });

  it('entries arriving out of order end in the state of the highest seq', () => {
    const target = message(1, { author: ALICE, body: 'v1' });
    const second = changeEntry(3, target, edited('v3'));
    const first = changeEntry(2, target, edited('v2'));
    expect(byId(run([target], [second], [first]), target.id).body).toBe('v3');
    expect(byId(run([target], [first], [second]), target.id).body).toBe('v3');
  });

  it('an entry that arrives before its target applies once the target arrives', () => {
    const target = message(1, { author: ALICE, body: 'draft' });
    const result = run([], [changeEntry(2, target, edited('final'))], [target]);
    expect(byId(result, target.id)).toMatchObject({ body: 'final', editedAt: EDITED_AT });
  });

  it('a reaction entry replaces the reactions; taking the last one back removes them', () => {
    const target = message(1, { body: 'hello' });
    const added = run([target], [changeEntry(2, target, thumbs(ALICE, BOB), 'reaction')]);
    expect(byId(added, target.id).reactions).toEqual([{ emoji: '👍', users: [ALICE, BOB] }]);
    const removed = run(added, [changeEntry(3, target, { body: 'hello' }, 'reaction')]);
    expect(byId(removed, target.id).reactions).toBeUndefined();
  });

  it('an edit after a recall (in seq or in arrival order) never brings the text back', () => {
    const target = message(1, { author: ALICE, body: 'secret' });
    const edit = changeEntry(2, target, edited('still secret'));
    const recall = recallEntry(3, target);
    for (const batches of [[[edit], [recall]], [[recall], [edit]], [[recall, edit]]]) {
      const result = byId(run([target], ...batches), target.id);
      expect(result).toMatchObject({ body: '', recalledAt: RECALLED_AT });
      expect(result.editedAt).toBeUndefined();
    }
  });

  it('a target handed back by history already recalled stays a tombstone whatever change entries say', () => {
    const target = message(1, { author: ALICE, body: '', recalledAt: RECALLED_AT });
    const result = run([], [changeEntry(5, { ...target, body: 'x' }, edited('x'))], [target]);
    expect(byId(result, target.id)).toMatchObject({ body: '', recalledAt: RECALLED_AT });
  });

  it('a held reply\'s quote follows the original\'s edits, and shows as recalled once it is recalled', () => {
    const original = message(1, { author: ALICE, body: 'Meet at 5' });
    const reply = message(2, { author: BOB, body: 'OK', replyTo: { messageId: original.id, seq: 1, author: ALICE, excerpt: 'Meet at 5' } });
    const afterEdit = run([original, reply], [changeEntry(3, original, edited(`Meet at 6 ${'and bring snacks '.repeat(20)}`))]);
    const quote = byId(afterEdit, reply.id).replyTo!;
    expect(quote.excerpt.startsWith('Meet at 6 and bring snacks')).toBe(true);
    expect(quote.excerpt.endsWith('…')).toBe(true);
    expect([...new Intl.Segmenter().segment(quote.excerpt.slice(0, -1))].length).toBeLessThanOrEqual(120);
    const afterRecall = run(afterEdit, [recallEntry(4, original)]);
    expect(byId(afterRecall, reply.id).replyTo).toMatchObject({ messageId: original.id, excerpt: '', recalled: true });
    expect(byId(afterRecall, reply.id).body).toBe('OK');
  });

  it('a quote updates even when the original itself is not held (it is older than the loaded pages)', () => {
    const original = message(1, { author: ALICE, body: 'old text' });
    const reply = message(60, { author: BOB, body: 'Indeed', replyTo: { messageId: original.id, seq: 1, author: ALICE, excerpt: 'old text' } });
    const result = run([reply], [changeEntry(61, original, edited('new text'))]);
    expect(byId(result, reply.id).replyTo?.excerpt).toBe('new text');
  });

  it('a message served in a history or sync page is current as of that page: an older change entry, held before or arriving after, never overwrites it', () => {
    const target = message(5, { author: ALICE, body: 'v1' });
    const fresh = { ...target, body: 'v3', editedAt: EDITED_AT };
    const older = changeEntry(8, target, edited('v2'));
    /** Like run(), a page at a time, each current as of `asOf`. */
    const pages = (...batches: [MessageDto[], number | undefined][]) => {
      let states = collectStates(new Map(), []);
      let messages: MessageDto[] = [];
      for (const [batch, asOf] of batches) {
        states = collectStates(states, batch, asOf);
        messages = applyStates([...messages, ...batch.filter((m) => !messages.some((h) => h.id === m.id))].sort((a, b) => a.seq - b.seq), states);
      }
      return byId(messages, target.id);
    };
    // Held from a live entry, then the page (served when the room was at seq 20) brings the fresh copy.
    expect(pages([[older], undefined], [[fresh], 20])).toMatchObject({ body: 'v3', editedAt: EDITED_AT });
    // The page first; the older entry arrives late (a slow sync of an earlier range).
    expect(pages([[fresh], 20], [[older], undefined])).toMatchObject({ body: 'v3' });
    // A copy already held is brought up to date by a fresher page's copy (mergeMessages keeps the held object).
    expect(pages([[target], 6], [[fresh], 20]).body).toBe('v3');
    // A change after the page still applies.
    expect(pages([[fresh], 20], [[changeEntry(21, target, edited('v4'))], undefined]).body).toBe('v4');
  });

  it('a pending reply\'s quote is built from the original as held, else from its newest known state, and shows as recalled once it is', () => {
    const original = message(1, { author: ALICE, body: 'Meet at 5' });
    const ref = { messageId: original.id, seq: 1, author: ALICE };
    const none = new Map();
    expect(quoteOf(ref, [original], none)).toEqual({ ...ref, excerpt: 'Meet at 5' });
    const held = run([original], [changeEntry(2, original, edited('Meet at 6'))]);
    expect(quoteOf(ref, held, none).excerpt).toBe('Meet at 6');
    const known = collectStates(none, [changeEntry(2, original, edited('Meet at 7'))]);
    expect(quoteOf(ref, [], known).excerpt).toBe('Meet at 7');
    expect(quoteOf(ref, [], collectStates(known, [recallEntry(3, original)]))).toEqual({ ...ref, excerpt: '', recalled: true });
    expect(quoteOf(ref, run(held, [recallEntry(3, original)]), none)).toEqual({ ...ref, excerpt: '', recalled: true });
    // Neither held nor known (older than the loaded pages): no text rather than a stale one.
    expect(quoteOf(ref, [], none)).toEqual({ ...ref, excerpt: '' });
  });

  it('applying the same states again returns the same array', () => {
    const target = message(1, { body: 'a' });
    const states = collectStates(new Map(), [changeEntry(2, target, edited('b'))]);
    const once = applyStates([target], states);
    expect(applyStates(once, states)).toBe(once);
    expect(collectStates(states, [])).toBe(states);
  });
});

describe('edits and reactions in the shared room logic', () => {
  function room(transport: Partial<RoomTransport> = {}) {
    return reactive(
      createRoomMessages(
        { send: vi.fn(), history: vi.fn(async () => page([])), sync: vi.fn(async () => page([])), recall: vi.fn(), edit: vi.fn(), react: vi.fn(), remove: vi.fn(), report: vi.fn(), ...transport },
        () => ALICE.id,
      ),
    );
  }

  it('a change entry counts for the contiguous seq like any entry, and a gap before it is noticed', async () => {
    const target = message(1, { author: ALICE, body: 'a' });
    const r = room({ history: vi.fn(async () => page([target])) });
    await r.catchUp();
    expect(r.receiveLive(changeEntry(2, target, edited('b')))).toBe(false);
    expect(r.syncedSeq).toBe(2);
    expect(r.receiveLive(changeEntry(4, target, edited('d')))).toBe(true);
    expect(r.syncedSeq).toBe(2);
    expect(r.messages[0]!.body).toBe('d');
  });

  it('edit() applies the acked entry at once; a refusal changes nothing and says why', async () => {
    const mine = message(1, { author: ALICE, body: 'teh' });
    const edit = vi
      .fn<RoomTransport['edit']>()
      .mockResolvedValueOnce({ ok: false, error: { code: 'edit_window_expired', message: 'Too late to edit.' } })
      .mockResolvedValueOnce({ ok: true, data: changeEntry(2, mine, edited('the')) });
    const r = room({ history: vi.fn(async () => page([mine])), edit });
    await r.catchUp();
    expect(await r.edit(mine.id, '  the  ')).toMatchObject({ ok: false, error: { message: 'Too late to edit.' } });
    expect(r.messages[0]!.body).toBe('teh');
    expect(await r.edit(mine.id, 'the')).toMatchObject({ ok: true });
    expect(edit).toHaveBeenLastCalledWith({ id: mine.id, body: 'the' });
    expect(r.messages[0]).toMatchObject({ body: 'the', editedAt: EDITED_AT });
  });

  it('edit() refuses a blank text without asking the server', async () => {
    const edit = vi.fn<RoomTransport['edit']>();
    const r = room({ edit });
    expect(await r.edit('f'.repeat(24), '   ')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(edit).not.toHaveBeenCalled();
  });

  it('react() asks for add or remove as told, and an acked null (nothing changed) changes nothing', async () => {
    const target = message(1, { body: 'hello' });
    const react = vi
      .fn<RoomTransport['react']>()
      .mockResolvedValueOnce({ ok: true, data: changeEntry(2, target, thumbs(ALICE), 'reaction') })
      .mockResolvedValueOnce({ ok: true, data: null });
    const r = room({ history: vi.fn(async () => page([target])), react });
    await r.catchUp();
    await r.react(target.id, '👍', true);
    expect(r.messages[0]!.reactions).toEqual([{ emoji: '👍', users: [ALICE] }]);
    await r.react(target.id, '👍', false);
    expect(react.mock.calls.map(([payload, add]) => [payload, add])).toEqual([
      [{ id: target.id, emoji: '👍' }, true],
      [{ id: target.id, emoji: '👍' }, false],
    ]);
    expect(r.messages[0]!.reactions).toEqual([{ emoji: '👍', users: [ALICE] }]);
  });

  it('a reply goes out with the id of the message it quotes, keeping only its id, seq and author', async () => {
    const send = vi.fn<RoomTransport['send']>(async () => ({ ok: false, error: { code: 'disconnected', message: 'offline' } }));
    const r = room({ send });
    const ref = { messageId: 'e'.repeat(24), seq: 7, author: BOB };
    r.resume();
    expect(r.send('Yes!', { ...ref, excerpt: 'Lunch?' } as typeof ref)).toBe(true);
    expect(r.outbox[0]!.replyTo).toEqual(ref);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(send).toHaveBeenCalledWith({ clientId: r.outbox[0]!.clientId, body: 'Yes!', replyTo: ref.messageId });
  });

  it('a pending reply\'s quote follows its original; once the original is recalled it fails at once, clearly, is not sent again by itself, and can go without the quote', async () => {
    const original = message(1, { author: BOB, body: 'Lunch?' });
    const ref = { messageId: original.id, seq: 1, author: BOB };
    const send = vi.fn<RoomTransport['send']>(async () => ({ ok: false, error: { code: 'disconnected', message: 'offline' } }));
    const r = room({ history: vi.fn(async () => page([original])), send });
    await r.catchUp();
    expect(r.send('Yes!', ref)).toBe(true);
    r.receiveLive(changeEntry(2, original, edited('Lunch at one?')));
    expect(r.quoteFor(ref).excerpt).toBe('Lunch at one?');

    r.receiveLive(recallEntry(3, original));
    expect(r.quoteFor(ref)).toMatchObject({ excerpt: '', recalled: true });
    r.resume();
    await vi.waitFor(() => expect(r.outbox[0]!.status).toBe('failed'));
    expect(r.outbox[0]!.error).toMatchObject({ field: 'replyTo', message: REPLY_RECALLED_MESSAGE });
    expect(send).not.toHaveBeenCalled();
    // Reconnecting does not try it again.
    r.pause();
    r.resume();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(send).not.toHaveBeenCalled();
    expect(r.outbox[0]!.status).toBe('failed');

    r.retry(r.outbox[0]!.clientId, true);
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0]![0]).toEqual({ clientId: r.outbox[0]!.clientId, body: 'Yes!' });
  });

  it('a reply the server refuses (its original recalled before this client knew) fails with the server\'s reason and is not sent again on reconnect', async () => {
    const refusal = { code: 'not_found' as const, field: 'replyTo', message: 'The message you reply to does not exist in this room or was recalled.' };
    const send = vi.fn<RoomTransport['send']>(async () => ({ ok: false, error: refusal }));
    const r = room({ send });
    r.resume();
    r.send('Yes!', { messageId: 'e'.repeat(24), seq: 7, author: BOB });
    await vi.waitFor(() => expect(r.outbox[0]!.status).toBe('failed'));
    expect(r.outbox[0]!.error).toEqual(refusal);
    r.pause();
    r.resume();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('a page asked for after a change entry was held is at least as new as that entry: its copy is not overwritten', async () => {
    const target = message(5, { author: ALICE, body: 'v1' });
    const older = changeEntry(60, target, edited('v2'));
    const history = vi
      .fn<RoomTransport['history']>()
      .mockResolvedValueOnce(page([message(59), older], true))
      // The older page, served after the message was edited again (entry 61 is still on its way).
      .mockResolvedValueOnce(page([{ ...target, body: 'v3', editedAt: EDITED_AT }], false));
    const r = room({ history });
    await r.catchUp();
    await r.loadOlder();
    expect(r.messages.find((m) => m.id === target.id)).toMatchObject({ body: 'v3', editedAt: EDITED_AT });
  });

  it('locate() loads older pages until the seq is held, and gives up after the bound or at the start', async () => {
    const history = vi.fn(async ({ beforeSeq }: { beforeSeq?: number; limit: number }) => {
      const end = (beforeSeq ?? 201) - 1;
      const start = Math.max(1, end - 49);
      return page(Array.from({ length: end - start + 1 }, (_, i) => message(start + i)), start > 1);
    });
    const r = room({ history });
    await r.catchUp();
    expect(r.floorSeq).toBe(150);
    expect(await r.locate(120)).toBe(true);
    expect(r.floorSeq).toBe(100);
    expect(await r.locate(3, 1)).toBe(false);
    expect(r.floorSeq).toBe(50);
    expect(await r.locate(3)).toBe(true);
    expect(r.messages[0]!.seq).toBe(1);
    expect(await r.locate(1)).toBe(true);
    expect(history).toHaveBeenCalledTimes(4);
  });
});

describe('attachments through changes, live entries, history and sync', () => {
  const files = [imageAttachment(), fileAttachment()];
  const timelineRow = (messages: MessageDto[], id: string) =>
    buildTimeline(messages, [], { id: BOB.id, name: BOB.name }, new Date(RECALLED_AT)).find((e): e is TimelineMessage => e.kind === 'message' && e.id === id)!;

  it('edits and reactions keep a message\'s files; its recall drops them, however the recall arrives', () => {
    const target = message(1, { author: ALICE, body: '', attachments: files });
    const kept = run([target], [changeEntry(2, target, edited('caption'))], [changeEntry(3, target, { ...thumbs(BOB), body: 'caption' }, 'reaction')]);
    expect(byId(kept, target.id)).toMatchObject({ body: 'caption', attachments: files });
    expect(timelineRow(kept, target.id).attachments).toEqual(files);

    for (const batches of [[[recallEntry(4, target)]], [[recallEntry(4, target)], [target]]]) {
      const recalled = run(batches.length === 1 ? kept : [], ...batches);
      expect(byId(recalled, target.id).attachments).toBeUndefined();
      expect(timelineRow(recalled, target.id)).toMatchObject({ isRecalled: true, body: '', attachments: [] });
    }
  });

  it('a row shows no files for a copy that history already hands back recalled, even one that still lists them', () => {
    const stale = message(1, { author: ALICE, body: '', recalledAt: RECALLED_AT, attachments: files });
    const result = run([], [stale]);
    expect(byId(result, stale.id).attachments).toBeUndefined();
    expect(timelineRow(result, stale.id).attachments).toEqual([]);
    // The row itself never shows a recalled message's files, whatever it is handed.
    expect(timelineRow([stale], stale.id)).toMatchObject({ isRecalled: true, attachments: [] });
  });

  it('a reply to a message with only files quotes them, and a served copy of that message does not blank the server\'s quote', () => {
    const original = message(1, { author: ALICE, body: '', attachments: [imageAttachment()] });
    const ref = { messageId: original.id, seq: 1, author: ALICE };
    expect(quoteOf(ref, [original], new Map())).toMatchObject({ excerpt: '', attachments: [{ name: 'cat.png', kind: 'image' }] });
    const served = { ...ref, excerpt: '', attachments: [{ name: 'cat.png', kind: 'image' as const }] };
    const reply = message(2, { author: BOB, body: 'Cute', replyTo: served });
    const states = collectStates(new Map(), [original, reply], 2);
    expect(byId(applyStates([original, reply], states), reply.id).replyTo).toMatchObject(served);
    // A reaction's state carries no files: the quote keeps naming them.
    const reacted = changeEntry(3, original, { body: '', reactions: [{ emoji: '👍', users: [BOB] }] }, 'reaction');
    const afterReaction = collectStates(new Map(), [original, reply, reacted], 3);
    expect(byId(applyStates([original, reply], afterReaction), reply.id).replyTo).toMatchObject(served);
  });

  it('the room keeps every message\'s files as they arrive live, from history and from sync', async () => {
    const fromHistory = message(1, { author: BOB, body: '', attachments: [files[0]!] });
    const fromSync = message(3, { author: BOB, body: 'two', attachments: files });
    const live = message(2, { author: BOB, body: '', attachments: [files[1]!] });
    const r = reactive(
      createRoomMessages(
        {
          send: vi.fn(),
          history: vi.fn(async () => page([fromHistory])),
          sync: vi.fn(async () => page([fromSync])),
          recall: vi.fn(),
          edit: vi.fn(),
          react: vi.fn(),
          remove: vi.fn(),
          report: vi.fn(),
        },
        () => ALICE.id,
      ),
    );
    await r.catchUp();
    r.receiveLive(live);
    await r.catchUp();
    expect(r.messages.map((m) => [m.seq, m.attachments])).toEqual([
      [1, [files[0]]],
      [2, [files[1]]],
      [3, files],
    ]);
  });
});
