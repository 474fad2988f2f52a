import { beforeEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_BOB_ROOM, BOB } from '../testing/factories';
import { MAX_DRAFTS, MAX_DRAFT_LENGTH, clearStoredDrafts, loadDraft, saveDraft } from './draftStorage';

describe('drafts kept in this browser', () => {
  beforeEach(() => localStorage.clear());

  it('keeps one draft per room and per user', () => {
    saveDraft(ALICE.id, 'lobby', 'for everyone');
    saveDraft(ALICE.id, ALICE_BOB_ROOM, 'for Bob only');
    saveDraft(BOB.id, ALICE_BOB_ROOM, 'for Alice');
    expect(loadDraft(ALICE.id, 'lobby')).toBe('for everyone');
    expect(loadDraft(ALICE.id, ALICE_BOB_ROOM)).toBe('for Bob only');
    expect(loadDraft(BOB.id, ALICE_BOB_ROOM)).toBe('for Alice');
    expect(loadDraft(BOB.id, 'lobby')).toBe('');
  });

  it('deletes a draft emptied (a send) or left blank', () => {
    saveDraft(ALICE.id, 'lobby', 'hello');
    saveDraft(ALICE.id, 'lobby', '');
    saveDraft(ALICE.id, ALICE_BOB_ROOM, ' \n ');
    expect(localStorage.length).toBe(0);
  });

  it(`keeps at most ${MAX_DRAFTS} rooms per user, dropping the least recently touched`, () => {
    for (let i = 0; i <= MAX_DRAFTS; i += 1) saveDraft(ALICE.id, `room${i}`, `draft ${i}`, 1_000 + i);
    saveDraft(ALICE.id, 'room1', 'touched again', 5_000);
    saveDraft(ALICE.id, 'one more', 'newest', 6_000);
    expect(loadDraft(ALICE.id, 'room0')).toBe('');
    expect(loadDraft(ALICE.id, 'room2')).toBe('');
    expect(loadDraft(ALICE.id, 'room1')).toBe('touched again');
    expect(loadDraft(ALICE.id, 'one more')).toBe('newest');
    expect(localStorage.length).toBe(MAX_DRAFTS);
  });

  it('cuts an over-long draft between whole characters', () => {
    saveDraft(ALICE.id, 'lobby', `${'a'.repeat(MAX_DRAFT_LENGTH - 1)}👩🏽‍💻 and more`);
    expect(loadDraft(ALICE.id, 'lobby')).toBe('a'.repeat(MAX_DRAFT_LENGTH - 1));
  });

  it('a sign-out clears that user\'s drafts only', () => {
    saveDraft(ALICE.id, 'lobby', 'mine');
    saveDraft(BOB.id, 'lobby', 'his');
    clearStoredDrafts(ALICE.id);
    expect(loadDraft(ALICE.id, 'lobby')).toBe('');
    expect(loadDraft(BOB.id, 'lobby')).toBe('his');
  });

  it('ignores what it cannot read', () => {
    localStorage.setItem(`confab:draft:${ALICE.id}:lobby`, '{not json');
    expect(loadDraft(ALICE.id, 'lobby')).toBe('');
  });
});
