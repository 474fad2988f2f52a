import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { loadDraft, saveDraft } from '../lib/draftStorage';
import { roomOutboxStorage } from '../lib/outboxStorage';
import { signOut } from '../services/auth';
import { ALICE, ALICE_USER, BOB, outboxItem } from '../testing/factories';
import { useSessionStore } from './session';

vi.mock('../services/auth', () => ({ signOut: vi.fn() }));

const lobbyOutbox = roomOutboxStorage('lobby');

describe('session store and what this browser keeps', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    lobbyOutbox.save(ALICE.id, outboxItem('a1'));
    lobbyOutbox.save(ALICE.id, outboxItem('a2'));
    saveDraft(ALICE.id, 'lobby', 'half a thought');
    lobbyOutbox.save(BOB.id, outboxItem('b1'));
    saveDraft(BOB.id, 'lobby', 'his draft');
  });

  it('counts the unsent messages of the signed-in user, to ask before signing out', () => {
    expect(useSessionStore().unsentCount()).toBe(2);
  });

  it('signing out deletes that user\'s unsent messages and drafts, even when the server cannot be told, and no one else\'s', async () => {
    vi.mocked(signOut).mockRejectedValue(new Error('offline'));
    const session = useSessionStore();
    await expect(session.signOut()).rejects.toThrow('offline');
    expect(session.user).toBeNull();
    expect(lobbyOutbox.load(ALICE.id)).toEqual([]);
    expect(loadDraft(ALICE.id, 'lobby')).toBe('');
    expect(lobbyOutbox.load(BOB.id).map((i) => i.clientId)).toEqual(['b1']);
    expect(loadDraft(BOB.id, 'lobby')).toBe('his draft');
  });

  it('a session that ended keeps them for the next sign-in', () => {
    const session = useSessionStore();
    session.forget();
    expect(lobbyOutbox.load(ALICE.id).map((i) => i.clientId)).toEqual(['a1', 'a2']);
    expect(loadDraft(ALICE.id, 'lobby')).toBe('half a thought');
  });
});
