import { describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { ALICE, ALICE_BOB_ROOM, BOB, CAROL_USER, DESIGN_ROOM, GROUP_ROOM, SECRET_ROOM, message } from '../testing/factories';
import { newestSeqBy, readersOf, receiptFor, receiptRoomKind, type ReceiptContext } from './receipts';

const own = (seq: number | null, status: 'sent' | 'pending' | 'failed' = 'sent') => ({ seq, status, isOwn: true, isRecalled: false });
const dm = (peerReadSeq: number, peerDeliveredSeq: number): ReceiptContext => ({ kind: 'dm', peerReadSeq, peerDeliveredSeq });

describe('receipts', () => {
  it('in a DM an own message goes sent → delivered → seen as the peer\'s marks pass it (before it is stored, the row says "Sending…")', () => {
    expect(receiptFor(own(null, 'pending'), dm(0, 0))).toBeNull();
    expect(receiptFor(own(5), dm(4, 4))).toEqual({ state: 'sent' });
    expect(receiptFor(own(5), dm(4, 5))).toEqual({ state: 'delivered' });
    expect(receiptFor(own(5), dm(5, 5))).toEqual({ state: 'seen' });
    // The read mark arrived before the delivery mark: read means it got there.
    expect(receiptFor(own(5), dm(6, 0))).toEqual({ state: 'seen' });
    expect(receiptFor(own(3), dm(5, 9))).toEqual({ state: 'seen' });
  });

  it('others\' messages, failed sends, recalled messages and notes to self carry no receipt', () => {
    expect(receiptFor({ ...own(5), isOwn: false }, dm(9, 9))).toBeNull();
    expect(receiptFor(own(null, 'failed'), dm(9, 9))).toBeNull();
    expect(receiptFor({ ...own(5), isRecalled: true }, dm(9, 9))).toBeNull();
    expect(receiptFor(own(5), { kind: 'self' })).toBeNull();
  });

  it('in the lobby and public channels only sent: nobody\'s read marks are shared there', () => {
    expect(receiptFor(own(null, 'pending'), { kind: 'public' })).toBeNull();
    expect(receiptFor(own(5), { kind: 'public' })).toEqual({ state: 'sent' });
  });

  it('in a group or private channel a message is seen by the other members whose mark reached it, named in order', () => {
    const names = { [BOB.id]: 'Bob Baker', [CAROL_USER.id]: 'Carol Chu', [ALICE.id]: 'Alice Archer' };
    const readers = readersOf({ [BOB.id]: 7, [CAROL_USER.id]: 9, [ALICE.id]: 12, ['d'.repeat(24)]: 12 }, names, ALICE.id);
    // Ourselves and members no longer named (gone from the room) are left out.
    expect(readers).toEqual([
      { name: 'Carol Chu', readSeq: 9 },
      { name: 'Bob Baker', readSeq: 7 },
    ]);
    const context: ReceiptContext = { kind: 'members', readers };
    expect(receiptFor(own(7), context)).toEqual({ state: 'seen', seenBy: ['Bob Baker', 'Carol Chu'] });
    expect(receiptFor(own(8), context)).toEqual({ state: 'seen', seenBy: ['Carol Chu'] });
    expect(receiptFor(own(10), context)).toEqual({ state: 'sent' });
    expect(receiptFor(own(null, 'pending'), context)).toBeNull();
  });

  it('names who has seen it in the order of the language on screen (Chinese names by their pinyin)', async () => {
    const readers = [
      { name: '张伟', readSeq: 9 },
      { name: '李娜', readSeq: 9 },
      { name: '王芳', readSeq: 9 },
    ];
    const context: ReceiptContext = { kind: 'members', readers };
    expect(receiptFor(own(9), context)).toEqual({ state: 'seen', seenBy: ['张伟', '李娜', '王芳'] });
    await loadLocale('zh-CN');
    try {
      expect(receiptFor(own(9), context)).toEqual({ state: 'seen', seenBy: ['李娜', '王芳', '张伟'] });
    } finally {
      await loadLocale('en');
    }
  });

  it('tells the kinds of room apart', () => {
    expect(receiptRoomKind(ALICE_BOB_ROOM, undefined, ALICE.id)).toBe('dm');
    expect(receiptRoomKind(`dm:${ALICE.id}:${ALICE.id}`, 'dm', ALICE.id)).toBe('self');
    expect(receiptRoomKind('lobby', 'lobby', ALICE.id)).toBe('public');
    expect(receiptRoomKind(DESIGN_ROOM, 'public_channel', ALICE.id)).toBe('public');
    expect(receiptRoomKind(DESIGN_ROOM, undefined, ALICE.id)).toBe('public');
    expect(receiptRoomKind(SECRET_ROOM, 'private_channel', ALICE.id)).toBe('members');
    expect(receiptRoomKind(GROUP_ROOM, undefined, ALICE.id)).toBe('members');
  });

  it('finds the newest entry by the peer among the messages held', () => {
    const messages = [message(1, { author: BOB }), message(2, { author: BOB }), message(3, { author: ALICE })];
    expect(newestSeqBy(messages, BOB.id)).toBe(2);
    expect(newestSeqBy(messages, CAROL_USER.id)).toBe(0);
    expect(newestSeqBy([], BOB.id)).toBe(0);
  });
});
