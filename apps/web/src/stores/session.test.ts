import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { UserDto } from '@confab/shared';
import { loadDraft, saveDraft } from '../lib/draftStorage';
import { roomOutboxStorage } from '../lib/outboxStorage';
import { fetchMe, signIn, signOut } from '../services/auth';
import { ApiError } from '../services/http';
import { ALICE, ALICE_USER, BOB, outboxItem } from '../testing/factories';
import { useSessionStore } from './session';

vi.mock('../services/auth', () => ({ signOut: vi.fn(), signIn: vi.fn(), fetchMe: vi.fn() }));

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

describe('starting while the server is out of reach', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
  });

  /** A new page load: a fresh store, with what this browser kept. */
  async function reloadWith(answer: () => Promise<UserDto | null>) {
    setActivePinia(createPinia());
    vi.mocked(fetchMe).mockImplementation(answer);
    const session = useSessionStore();
    await session.ensureLoaded();
    return session;
  }

  const unreachable = (status: number) => () => Promise.reject(new ApiError(status, { code: 'unavailable', message: 'down' }));

  it('goes on as the user last signed in here, offline or behind a proxy whose server is down', async () => {
    await reloadWith(async () => ALICE_USER);
    for (const status of [0, 502, 503]) {
      const session = await reloadWith(unreachable(status));
      expect(session.user, String(status)).toEqual(ALICE_USER);
      expect(session.status).toBe('error');
    }
  });

  it('keeps only what others see of the user', async () => {
    vi.mocked(signIn).mockResolvedValue({ ...ALICE_USER, email: 'alice@example.org' } as UserDto);
    await useSessionStore().signIn({ username: ALICE_USER.username, password: 'correct horse battery' });
    expect(Object.keys(JSON.parse(localStorage.getItem('confab:last-user')!) as object).sort()).toEqual(['displayName', 'id', 'username']);
  });

  it('a session the server ended, a sign-out or a refusal from the server leaves nobody to go on as', async () => {
    await reloadWith(async () => ALICE_USER);
    await reloadWith(async () => null);
    expect((await reloadWith(unreachable(0))).user).toBeNull();

    const session = await reloadWith(async () => ALICE_USER);
    await session.signOut();
    expect((await reloadWith(unreachable(0))).user).toBeNull();

    (await reloadWith(async () => ALICE_USER)).forget();
    expect((await reloadWith(unreachable(0))).user).toBeNull();

    await reloadWith(async () => ALICE_USER);
    const refused = () => Promise.reject(new ApiError(403, { code: 'forbidden', message: 'no' }));
    expect((await reloadWith(refused)).user).toBeNull();
  });
});

describe('a session ended by deactivation', () => {
  const deactivated = () => Promise.reject(new ApiError(403, { code: 'account_deactivated', message: 'This account is deactivated.' }));

  beforeEach(() => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('on start: nobody is signed in, and the store says why, for the sign-in page', async () => {
    vi.mocked(fetchMe).mockImplementationOnce(async () => ALICE_USER);
    await useSessionStore().ensureLoaded();
    setActivePinia(createPinia());
    vi.mocked(fetchMe).mockImplementation(deactivated);
    const session = useSessionStore();
    await session.ensureLoaded();
    expect(session.user).toBeNull();
    expect(session.status).toBe('done');
    expect(session.endReason).toBe('deactivated');
  });

  it('after the sockets were refused: asks the server why, and learns only what it says', async () => {
    const session = useSessionStore();
    vi.mocked(fetchMe).mockResolvedValue(null);
    await session.explainEnd();
    expect(session.endReason).toBeNull();
    vi.mocked(fetchMe).mockImplementation(deactivated);
    await session.explainEnd();
    expect(session.endReason).toBe('deactivated');
    // Signing in again (as someone whose account is active) clears it.
    vi.mocked(signIn).mockResolvedValue(ALICE_USER);
    await session.signIn({ username: 'alice', password: 'correct horse battery' });
    expect(session.endReason).toBeNull();
  });
});

describe('reading the user again (session:changed)', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('takes the new role, keeps the user when the server is out of reach, and asks nothing when nobody is signed in', async () => {
    const session = useSessionStore();
    await session.refresh();
    expect(fetchMe).not.toHaveBeenCalled();

    session.user = { ...ALICE_USER, role: 'member' };
    vi.mocked(fetchMe).mockResolvedValue({ ...ALICE_USER, role: 'admin' });
    await session.refresh();
    expect(session.user).toEqual({ ...ALICE_USER, role: 'admin' });

    vi.mocked(fetchMe).mockRejectedValue(new ApiError(0, { code: 'unavailable', message: 'offline' }));
    await session.refresh();
    expect(session.user).toEqual({ ...ALICE_USER, role: 'admin' });
    expect(session.endReason).toBeNull();
  });
});
