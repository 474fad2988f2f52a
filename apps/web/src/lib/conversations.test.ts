import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_BOB_ROOM, ALICE_USER, BOB, conversation, message } from '../testing/factories';
import { loadLocale } from '../i18n';
import { applyDeliveredMark, applyReadMark, conversationName, mergeConversation, peerEntrySeq, previewParts, previewText, sortConversations, totalUnread } from './conversations';

const CAROL = { id: 'c'.repeat(24), username: 'carol', displayName: 'Carol Chu' };
const CAROL_ROOM = `dm:${ALICE.id}:${CAROL.id}`;
const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, second)).toISOString();

describe('conversation list', () => {
  it('lists conversations with messages only, newest activity first, ties by room id as the server pages them', () => {
    const bob = conversation({ lastActivityAt: at(5) });
    const carol = conversation({ roomId: CAROL_ROOM, peer: CAROL, lastActivityAt: at(9) });
    const empty = conversation({ roomId: `dm:${ALICE.id}:${'d'.repeat(24)}`, lastMessage: null, lastActivityAt: at(30) });
    expect(sortConversations([bob, empty, carol]).map((c) => c.roomId)).toEqual([CAROL_ROOM, ALICE_BOB_ROOM]);

    const tie = conversation({ roomId: CAROL_ROOM, peer: CAROL, lastActivityAt: at(5) });
    expect(sortConversations([bob, tie]).map((c) => c.roomId)).toEqual([CAROL_ROOM, ALICE_BOB_ROOM]);
    expect(sortConversations([tie, bob]).map((c) => c.roomId)).toEqual([CAROL_ROOM, ALICE_BOB_ROOM]);
  });

  it('an update replaces the entry, and a list page fetched before it cannot undo it', () => {
    const listed = conversation();
    const update = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM }), lastActivityAt: at(2), unreadCount: 2 });
    expect(mergeConversation(undefined, listed)).toBe(listed);
    expect(mergeConversation(listed, update)).toEqual({ ...update, peerDeliveredSeq: 0 });
    // The stale page answered late: behind on every counter.
    expect(mergeConversation(update, listed)).toBe(update);
    // Same counters but other facts (a new display name): the incoming one wins.
    const renamed = { ...update, peer: { ...update.peer, displayName: 'Robert Baker' } };
    expect(mergeConversation(update, renamed).peer.displayName).toBe('Robert Baker');
  });

  it('read marks never move back when two snapshots disagree', () => {
    const readByMe = conversation({ myReadSeq: 1, unreadCount: 0 });
    const newerMessageOlderMark = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM }), myReadSeq: 0, peerReadSeq: 2, unreadCount: 2 });
    expect(mergeConversation(readByMe, newerMessageOlderMark)).toMatchObject({ myReadSeq: 1, peerReadSeq: 2, lastMessage: { seq: 2 } });
  });

  it('our own read mark clears the count when it covers the newest message; the peer\'s moves "Seen"', () => {
    const c = conversation({ lastMessage: message(3, { roomId: ALICE_BOB_ROOM }), unreadCount: 3, peerReadSeq: 3 });
    expect(applyReadMark(c, { roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 3 }, ALICE.id)).toMatchObject({ myReadSeq: 3, unreadCount: 0 });
    // Part of the way: the count waits for the server's conversation:update.
    expect(applyReadMark(c, { roomId: ALICE_BOB_ROOM, userId: ALICE.id, seq: 2 }, ALICE.id)).toMatchObject({ myReadSeq: 2, unreadCount: 3 });
    const mine = conversation({ peerReadSeq: 0 });
    expect(applyReadMark(mine, { roomId: ALICE_BOB_ROOM, userId: mine.peer.id, seq: 1 }, ALICE.id)).toMatchObject({ peerReadSeq: 1, myReadSeq: 0 });
    // Older marks and other rooms change nothing.
    expect(applyReadMark(c, { roomId: ALICE_BOB_ROOM, userId: c.peer.id, seq: 1 }, ALICE.id)).toBe(c);
    expect(applyReadMark(c, { roomId: CAROL_ROOM, userId: ALICE.id, seq: 9 }, ALICE.id)).toBe(c);
  });

  it('delivery marks never move back, in snapshots or marks, and the peer reading counts as delivered', () => {
    const delivered = conversation({ peerReadSeq: 0, peerDeliveredSeq: 3, lastMessage: message(3, { roomId: ALICE_BOB_ROOM, author: ALICE }) });
    // A newer message, but a snapshot read before the delivery mark moved.
    const later = conversation({ peerReadSeq: 0, peerDeliveredSeq: 1, lastMessage: message(4, { roomId: ALICE_BOB_ROOM, author: ALICE }) });
    expect(mergeConversation(delivered, later)).toMatchObject({ peerDeliveredSeq: 3, lastMessage: { seq: 4 } });
    // Behind only on the delivery mark: stale.
    const staleDelivery = { ...delivered, peerDeliveredSeq: 2 };
    expect(mergeConversation(delivered, staleDelivery)).toBe(delivered);
    expect(mergeConversation(staleDelivery, delivered)).toEqual(delivered);

    const peerMark = (seq: number) => ({ roomId: ALICE_BOB_ROOM, userId: BOB.id, seq });
    expect(applyDeliveredMark(delivered, peerMark(4), ALICE.id)).toMatchObject({ peerDeliveredSeq: 4 });
    expect(applyDeliveredMark(delivered, peerMark(2), ALICE.id)).toBe(delivered);
    // Our own devices' marks and other rooms' say nothing about the peer.
    expect(applyDeliveredMark(delivered, { ...peerMark(9), userId: ALICE.id }, ALICE.id)).toBe(delivered);
    expect(applyDeliveredMark(delivered, { ...peerMark(9), roomId: CAROL_ROOM }, ALICE.id)).toBe(delivered);
    expect(applyReadMark(delivered, peerMark(5), ALICE.id)).toMatchObject({ peerReadSeq: 5, peerDeliveredSeq: 5 });
    expect(applyReadMark(delivered, peerMark(2), ALICE.id)).toMatchObject({ peerReadSeq: 2, peerDeliveredSeq: 3 });
  });

  it('knows which newest entry by the peer this device should report as delivered', () => {
    expect(peerEntrySeq(conversation({ lastMessage: message(4, { roomId: ALICE_BOB_ROOM, author: BOB }), myReadSeq: 2 }), ALICE.id)).toBe(4);
    // Our own newest, one already read, or notes-to-self: nothing to report.
    expect(peerEntrySeq(conversation({ lastMessage: message(4, { roomId: ALICE_BOB_ROOM, author: ALICE }) }), ALICE.id)).toBe(0);
    expect(peerEntrySeq(conversation({ lastMessage: message(4, { roomId: ALICE_BOB_ROOM, author: BOB }), myReadSeq: 4 }), ALICE.id)).toBe(0);
    const notes = conversation({ roomId: `dm:${ALICE.id}:${ALICE.id}`, peer: ALICE_USER, lastMessage: message(2, { author: ALICE }), myReadSeq: 0 });
    expect(peerEntrySeq(notes, ALICE.id)).toBe(0);
    expect(peerEntrySeq(conversation({ lastMessage: null }), ALICE.id)).toBe(0);
  });

  it('sums unread counts', () => {
    expect(totalUnread([conversation({ unreadCount: 2 }), conversation({ roomId: CAROL_ROOM, unreadCount: 3 })])).toBe(5);
    expect(totalUnread([])).toBe(0);
  });

  it('previews the newest message on one line, with "You:" before our own, and names notes-to-self', () => {
    expect(previewText(conversation({ lastMessage: message(1, { body: 'two\nlines' }) }), ALICE.id)).toBe('two lines');
    const own = message(2, { author: ALICE, body: 'on my way' });
    expect(previewText(conversation({ lastMessage: own }), ALICE.id)).toBe('You: on my way');
    const notes = conversation({ roomId: `dm:${ALICE.id}:${ALICE.id}`, peer: ALICE_USER, lastMessage: own });
    expect(previewText(notes, ALICE.id)).toBe('on my way');
    expect(conversationName(notes, ALICE.id)).toBe('Notes to self');
    expect(conversationName(conversation(), ALICE.id)).toBe('Bob Baker');
    expect(previewText(conversation({ lastMessage: null }), ALICE.id)).toBe('');
  });

  it('keeps a recaller\'s name apart from the words after it, so it cannot turn them around', () => {
    const recalled = conversation({ peer: { ...conversation().peer, displayName: 'Bob\u202E' }, lastMessage: message(1, { author: { id: conversation().peer.id, name: 'Bob\u202E' }, body: '', recalledAt: at(3) }) });
    expect(previewParts(recalled, ALICE.id)).toEqual({ actor: 'Bob\u202E' });
    expect(previewText(recalled, ALICE.id)).toBe('Bob\u202E recalled a message');
    expect(previewText(recalled, ALICE.id, true)).toBe('\u2068Bob\u2069 recalled a message');
    const mine = conversation({ lastMessage: message(1, { author: ALICE, body: '', recalledAt: at(3) }) });
    expect(previewParts(mine, ALICE.id)).toEqual({ actor: null, text: 'You recalled a message' });
  });

  describe('in Chinese', () => {
    afterEach(() => loadLocale('en'));

    it('previews our own message, a recall, and notes-to-self in Chinese, names in their place in the sentence', async () => {
      await loadLocale('zh-CN');
      expect(previewText(conversation({ lastMessage: message(2, { author: ALICE, body: 'on my way' }) }), ALICE.id)).toBe('你：on my way');
      const recalledByBob = conversation({ lastMessage: message(1, { author: { id: conversation().peer.id, name: 'Bob\u202E' }, body: '', recalledAt: at(3) }) });
      expect(previewText(recalledByBob, ALICE.id)).toBe('Bob\u202E 撤回了一条消息');
      expect(previewText(recalledByBob, ALICE.id, true)).toBe('\u2068Bob\u2069 撤回了一条消息');
      const recalledByMe = conversation({ lastMessage: message(1, { author: ALICE, body: '', recalledAt: at(3) }) });
      expect(previewText(recalledByMe, ALICE.id)).toBe('你撤回了一条消息');
      expect(conversationName(conversation({ roomId: `dm:${ALICE.id}:${ALICE.id}`, peer: ALICE_USER }), ALICE.id)).toBe('给自己的备忘');
    });
  });
});
