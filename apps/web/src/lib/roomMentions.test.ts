import { describe, expect, it } from 'vitest';
import type { MessageChangeDto } from '@confab/shared';
import { ALICE, BOB, DESIGN_ROOM, message } from '../testing/factories';
import { EMPTY_LEDGER, mentionsUser, noteMention, readMentions, rebaseMentions, type MentionState } from './roomMentions';

const ME = { id: ALICE.id, username: 'alice' };
const entry = (seq: number, overrides: Parameters<typeof message>[1] = {}) => message(seq, { roomId: DESIGN_ROOM, author: BOB, ...overrides });
const mentioning = (seq: number) => entry(seq, { body: 'hi @alice', mentions: [ME] });
const edit = (seq: number, target: number, mentions: (typeof ME)[] | undefined): ReturnType<typeof entry> => {
  const change: MessageChangeDto = { type: 'edit', messageId: entry(target).id, seq: target, state: { body: 'edited', editedAt: entry(seq).createdAt, ...(mentions ? { mentions } : {}) } };
  return entry(seq, { body: '', change });
};
const start: MentionState = { mentionCount: 0, ledger: { since: 4, seqs: [] } };

describe('mention counts', () => {
  it('a new message by someone else that mentions me adds one; mine, read ones, events and other mentions do not', () => {
    expect(mentionsUser(mentioning(5), ALICE.id)).toBe(true);
    expect(mentionsUser(entry(5), ALICE.id)).toBe(false);
    const one = noteMention(start, mentioning(5), 4, ALICE.id);
    expect(one).toEqual({ mentionCount: 1, ledger: { since: 4, seqs: [5] } });
    expect(noteMention(start, entry(5, { author: ALICE, mentions: [ME] }), 4, ALICE.id)).toBe(start);
    expect(noteMention(start, mentioning(5), 5, ALICE.id)).toBe(start);
    expect(noteMention(start, entry(5, { mentions: [{ id: BOB.id, username: 'bob' }] }), 4, ALICE.id)).toBe(start);
    expect(noteMention(start, entry(5, { body: '', event: { type: 'joined' }, mentions: [ME] }), 4, ALICE.id)).toBe(start);
  });

  it('a recall of a mention the tab counted takes it back; one it did not count changes nothing', () => {
    const one = noteMention(start, mentioning(5), 4, ALICE.id);
    const recall = (target: number) => entry(6, { body: '', recall: { messageId: entry(target).id, seq: target } });
    expect(noteMention(one, recall(5), 4, ALICE.id)).toEqual({ mentionCount: 0, ledger: { since: 4, seqs: [] } });
    // Counted by the server's snapshot (at or below `since`): unknown here, left to the next snapshot.
    expect(noteMention({ mentionCount: 1, ledger: start.ledger }, recall(3), 4, ALICE.id)).toEqual({ mentionCount: 1, ledger: start.ledger });
  });

  it('an edit that drops my mention takes it back; one that adds it to an unread message seen arriving counts it once', () => {
    const one = noteMention(start, mentioning(5), 4, ALICE.id);
    const dropped = noteMention(one, edit(6, 5, undefined), 4, ALICE.id);
    expect(dropped).toEqual({ mentionCount: 0, ledger: { since: 4, seqs: [] } });
    const added = noteMention(dropped, edit(7, 5, [ME]), 4, ALICE.id);
    expect(added).toEqual({ mentionCount: 1, ledger: { since: 4, seqs: [5] } });
    // Editing again with the mention kept counts nothing more.
    expect(noteMention(added, edit(8, 5, [ME]), 4, ALICE.id)).toBe(added);
    // Up to `since` the server counted, message by message unknown: an added mention waits for a snapshot.
    expect(noteMention(start, edit(6, 3, [ME]), 2, ALICE.id)).toBe(start);
    // A read message gains nothing either.
    expect(noteMention({ mentionCount: 0, ledger: EMPTY_LEDGER }, edit(6, 3, [ME]), 3, ALICE.id).mentionCount).toBe(0);
  });

  it('reactions never change mention counts', () => {
    const one = noteMention(start, mentioning(5), 4, ALICE.id);
    const change: MessageChangeDto = { type: 'reaction', messageId: entry(5).id, seq: 5, emoji: '👍', added: true, state: { body: 'hi @alice' } };
    expect(noteMention(one, entry(6, { body: '', change }), 4, ALICE.id)).toBe(one);
  });

  it('reading clears what the mark covers: all of it at the newest entry, the known ones before that', () => {
    const two = noteMention(noteMention({ mentionCount: 1, ledger: start.ledger }, mentioning(5), 4, ALICE.id), mentioning(7), 4, ALICE.id);
    expect(two.mentionCount).toBe(3);
    expect(readMentions(two, 6, false)).toEqual({ mentionCount: 2, ledger: { since: 4, seqs: [7] } });
    expect(readMentions(two, 4, false)).toBe(two);
    expect(readMentions(two, 9, true)).toEqual({ mentionCount: 0, ledger: { since: 4, seqs: [] } });
  });

  it('a snapshot moves where the server\'s count ends and forgets what was read, keeping the known ones', () => {
    expect(rebaseMentions({ since: 4, seqs: [5, 7] }, 8, 5)).toEqual({ since: 8, seqs: [7] });
    expect(rebaseMentions({ since: 9, seqs: [] }, 8, 5)).toEqual({ since: 9, seqs: [] });
  });
});
