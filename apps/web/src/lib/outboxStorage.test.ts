import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ALICE, ALICE_BOB_ROOM, BOB, outboxItem } from '../testing/factories';
import { loadDraft, saveDraft } from './draftStorage';
import { clearStoredOutbox, roomOutboxStorage, roomsWithStoredOutbox, saveOutboxChanges, storedOutboxCount } from './outboxStorage';

const lobby = roomOutboxStorage('lobby');
const aliceBob = roomOutboxStorage(ALICE_BOB_ROOM);

describe('the outbox kept in this browser', () => {
  beforeEach(() => localStorage.clear());

  it('keeps each user\'s unsent messages under that user, per room, with what it takes to send them again', () => {
    const failed = outboxItem('c2', { status: 'failed', error: { code: 'forbidden', message: 'No.' }, heldUntil: 123 });
    lobby.save(ALICE.id, outboxItem('c1'));
    aliceBob.save(ALICE.id, failed);
    lobby.save(BOB.id, outboxItem('c3'));

    expect(lobby.load(ALICE.id)).toEqual([outboxItem('c1')]);
    expect(aliceBob.load(ALICE.id)).toEqual([{ clientId: 'c2', body: 'draft c2', createdAt: failed.createdAt, status: 'failed', error: failed.error }]);
    expect(roomsWithStoredOutbox(ALICE.id)).toEqual(['lobby', ALICE_BOB_ROOM]);
    expect(storedOutboxCount(ALICE.id)).toBe(2);
    expect(lobby.load(BOB.id).map((i) => i.clientId)).toEqual(['c3']);
  });

  it('keeps what a pending reply names (id, seq, author) but never the original\'s text, so that it is still sent as a reply after a reload; a reference of another shape is dropped', () => {
    const replyTo = { messageId: 'a'.repeat(24), seq: 7, author: { id: BOB.id, name: 'Bob' } };
    // Handed a full quote, it keeps only the reference: an excerpt would go stale after an edit.
    lobby.save(ALICE.id, outboxItem('reply', { replyTo: { ...replyTo, excerpt: 'the question' } as typeof replyTo }));
    expect(localStorage.getItem(`confab:outbox:${ALICE.id}`)).not.toContain('the question');
    expect(lobby.load(ALICE.id)).toEqual([{ ...outboxItem('reply'), replyTo }]);
    // An excerpt an earlier version kept is dropped when read back.
    const kept = JSON.parse(localStorage.getItem(`confab:outbox:${ALICE.id}`)!) as { items: { replyTo: unknown }[] };
    kept.items[0]!.replyTo = { ...replyTo, excerpt: 'the question' };
    localStorage.setItem(`confab:outbox:${ALICE.id}`, JSON.stringify(kept));
    expect(lobby.load(ALICE.id)).toEqual([{ ...outboxItem('reply'), replyTo }]);
    kept.items[0]!.replyTo = { messageId: 42 };
    localStorage.setItem(`confab:outbox:${ALICE.id}`, JSON.stringify(kept));
    expect(lobby.load(ALICE.id)).toEqual([outboxItem('reply')]);
  });

  it('keeps the files a message carries, so that after a reload it goes with the same uploads; a list of another shape is not taken back', () => {
    const photo = { id: 'c'.repeat(24), name: 'cat.png', contentType: 'image/png', size: 2048, kind: 'image' as const, width: 640, height: 480, thumbnail: { width: 640, height: 480 } };
    const report = { id: 'd'.repeat(24), name: 'report.pdf', contentType: 'application/pdf', size: 90_000, kind: 'file' as const };
    lobby.save(ALICE.id, outboxItem('files', { body: '', attachments: [photo, report] }));
    expect(lobby.load(ALICE.id)).toEqual([{ ...outboxItem('files', { body: '' }), attachments: [photo, report] }]);

    const kept = JSON.parse(localStorage.getItem(`confab:outbox:${ALICE.id}`)!) as { items: { attachments: unknown[] }[] };
    kept.items[0]!.attachments[1] = { id: 'd'.repeat(24), name: 'report.pdf' };
    localStorage.setItem(`confab:outbox:${ALICE.id}`, JSON.stringify(kept));
    // Sent without one of its files, the message would say less than its author wrote.
    expect(lobby.load(ALICE.id)).toEqual([]);
  });

  it('two tabs of one user each write only their own changes, so neither drops the other\'s messages', () => {
    // Tab 1 and tab 2 each queue a message, then tab 1's is acked.
    saveOutboxChanges(lobby, ALICE.id, [], [outboxItem('tab1')]);
    saveOutboxChanges(lobby, ALICE.id, [], [outboxItem('tab2')]);
    saveOutboxChanges(lobby, ALICE.id, [outboxItem('tab1')], []);
    expect(lobby.load(ALICE.id).map((i) => i.clientId)).toEqual(['tab2']);
  });

  it('writes a status change but not a mere rate-limit hold', () => {
    const item = outboxItem('c1');
    saveOutboxChanges(lobby, ALICE.id, [], [item]);
    const before = localStorage.getItem(`confab:outbox:${ALICE.id}`);
    saveOutboxChanges(lobby, ALICE.id, [item], [{ ...item, heldUntil: 99 }]);
    expect(localStorage.getItem(`confab:outbox:${ALICE.id}`)).toBe(before);
    saveOutboxChanges(lobby, ALICE.id, [item], [{ ...item, status: 'failed', error: { code: 'timeout', message: 'slow' } }]);
    expect(lobby.load(ALICE.id)[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
  });

  it('a sign-out clears that user\'s outbox only', () => {
    lobby.save(ALICE.id, outboxItem('c1'));
    lobby.save(BOB.id, outboxItem('c2'));
    clearStoredOutbox(ALICE.id);
    expect(storedOutboxCount(ALICE.id)).toBe(0);
    expect(storedOutboxCount(BOB.id)).toBe(1);
  });

  it('ignores a kept outbox it cannot read, or items that lack what a send needs', () => {
    localStorage.setItem(`confab:outbox:${ALICE.id}`, 'not json');
    expect(lobby.load(ALICE.id)).toEqual([]);
    localStorage.setItem(`confab:outbox:${ALICE.id}`, JSON.stringify({ v: 1, items: [{ clientId: 'x', roomId: 'lobby', status: 'pending' }, null] }));
    expect(lobby.load(ALICE.id)).toEqual([]);
  });

  it('when the browser\'s storage is full, gives up the user\'s kept drafts to keep a message', () => {
    saveDraft(ALICE.id, 'lobby', 'x'.repeat(1000));
    const setItem = localStorage.setItem.bind(localStorage);
    // A quota that the drafts already fill: any write fails until something is removed.
    const spy = vi.spyOn(localStorage, 'setItem').mockImplementation((key: string, value: string) => {
      if (loadDraft(ALICE.id, 'lobby') !== '') throw new DOMException('full', 'QuotaExceededError');
      setItem(key, value);
    });
    try {
      lobby.save(ALICE.id, outboxItem('c1'));
    } finally {
      spy.mockRestore();
    }
    expect(lobby.load(ALICE.id).map((i) => i.clientId)).toEqual(['c1']);
    expect(loadDraft(ALICE.id, 'lobby')).toBe('');
  });
});
