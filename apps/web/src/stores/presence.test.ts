import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { watch } from 'vue';
import type { PresenceDto } from '@confab/shared';
import { searchUsers } from '../services/dm';
import { fetchPresence } from '../services/lobby';
import { ALICE_USER, BOB_USER } from '../testing/factories';
import { usePresenceStore } from './presence';

vi.mock('../services/lobby', () => ({ fetchPresence: vi.fn() }));
vi.mock('../services/dm', () => ({ searchUsers: vi.fn() }));

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const many = (count: number, prefix: string, rev: (i: number) => number) => Array.from({ length: count }, (_, i) => p(`${prefix}${i}`, 'online', null, rev(i)));
const p = (userId: string, state: PresenceDto['state'], lastSeenAt: string | null = null, rev = 1): PresenceDto => ({ userId, state, lastSeenAt, rev });

describe('presence store', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    setActivePinia(createPinia());
    vi.mocked(searchUsers).mockResolvedValue({ ok: true, data: { users: [] } });
  });

  it('merges the snapshot and updates, names online people from the directory, and counts them', async () => {
    vi.mocked(searchUsers).mockResolvedValue({ ok: true, data: { users: [ALICE_USER, BOB_USER] } });
    vi.mocked(fetchPresence).mockResolvedValue({ ok: true, data: [] });
    const presence = usePresenceStore();
    presence.applySnapshot([p(ALICE_USER.id, 'online')], 1);
    await flush();
    expect(presence.online).toEqual([{ userId: ALICE_USER.id, name: ALICE_USER.displayName, state: 'online' }]);
    expect(presence.onlineCount).toBe(1);

    presence.applyUpdate(p(BOB_USER.id, 'away', null, 2));
    expect(presence.online.map((u) => u.state)).toEqual(['online', 'away']);
    expect(presence.onlineCount).toBe(1);
    presence.applyUpdate(p(ALICE_USER.id, 'offline', '2026-03-01T12:00:00.000Z', 3));
    expect(presence.online.map((u) => u.userId)).toEqual([BOB_USER.id]);
    expect(presence.byUserId[ALICE_USER.id]?.lastSeenAt).toBe('2026-03-01T12:00:00.000Z');
  });

  it('asks presence:get only for users it does not know, and an update newer than the answer wins', async () => {
    let answer!: (value: Awaited<ReturnType<typeof fetchPresence>>) => void;
    vi.mocked(fetchPresence).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const presence = usePresenceStore();
    presence.applyUpdate(p(ALICE_USER.id, 'online'));
    const asked = presence.ensure([ALICE_USER.id, BOB_USER.id]);
    expect(vi.mocked(fetchPresence).mock.calls).toEqual([[[BOB_USER.id]]]);
    presence.applyUpdate(p(BOB_USER.id, 'online', null, 5));
    answer({ ok: true, data: [p(BOB_USER.id, 'offline', '2026-03-01T11:00:00.000Z', 3)] });
    await asked;
    expect(presence.byUserId[BOB_USER.id]?.state).toBe('online');
  });

  it('a new snapshot marks people who dropped out of it offline and asks when they were last seen', async () => {
    vi.mocked(fetchPresence).mockResolvedValue({ ok: true, data: [p(BOB_USER.id, 'offline', '2026-03-01T11:00:00.000Z', 2)] });
    const presence = usePresenceStore();
    presence.applySnapshot([p(BOB_USER.id, 'online')], 1);
    presence.applySnapshot([], 2);
    expect(presence.byUserId[BOB_USER.id]?.state).toBe('offline');
    await flush();
    expect(vi.mocked(fetchPresence)).toHaveBeenLastCalledWith([BOB_USER.id]);
    expect(presence.byUserId[BOB_USER.id]?.lastSeenAt).toBe('2026-03-01T11:00:00.000Z');
  });

  it('names someone who comes online while a directory lookup is under way, with a second lookup', async () => {
    let answer!: (value: Awaited<ReturnType<typeof searchUsers>>) => void;
    vi.mocked(searchUsers)
      .mockReturnValueOnce(new Promise((resolve) => (answer = resolve)))
      .mockResolvedValue({ ok: true, data: { users: [ALICE_USER, BOB_USER] } });
    const presence = usePresenceStore();
    presence.applySnapshot([p(ALICE_USER.id, 'online')], 1);
    presence.applyUpdate(p(BOB_USER.id, 'online', null, 2));
    // The first page was read before Bob signed up.
    answer({ ok: true, data: { users: [ALICE_USER] } });
    await flush();
    await flush();
    expect(presence.online.map((u) => u.name)).toEqual([ALICE_USER.displayName, BOB_USER.displayName]);
    expect(vi.mocked(searchUsers)).toHaveBeenCalledTimes(2);
  });

  it('a 5,000-user snapshot and a 1,000-entry batch are one assignment each, and the batch starts no name lookup while one runs', () => {
    vi.mocked(searchUsers).mockReturnValue(new Promise(() => {}));
    vi.mocked(fetchPresence).mockResolvedValue({ ok: true, data: [] });
    const presence = usePresenceStore();
    let assignments = 0;
    watch(() => presence.byUserId, () => (assignments += 1), { flush: 'sync' });

    presence.applySnapshot(many(5000, 'u', () => 1), 1);
    expect(assignments).toBe(1);
    // An instance restarted: a thousand people connect within one batch, as a thousand changes.
    presence.applyUpdates([...many(1000, 'v', (i) => 10 + i), p('u0', 'offline', null, 2_000)]);
    expect(assignments).toBe(2);
    expect(presence.onlineCount).toBe(5999);
    expect(vi.mocked(searchUsers)).toHaveBeenCalledTimes(1);
  });

  it('presence:get answers for 5,000 people who left while the tab was away are one assignment per answer', async () => {
    const presence = usePresenceStore();
    presence.applySnapshot(many(5000, 'u', () => 1), 1);
    let assignments = 0;
    watch(() => presence.byUserId, () => (assignments += 1), { flush: 'sync' });
    vi.mocked(fetchPresence).mockImplementation(async (userIds) => ({ ok: true, data: userIds.map((id) => p(id, 'offline', '2026-03-01T11:00:00.000Z', 2)) }));

    presence.applySnapshot([], 2);
    await flush();
    // Asked 100 at a time: the snapshot's assignment, then one per answer.
    expect(vi.mocked(fetchPresence)).toHaveBeenCalledTimes(50);
    expect(assignments).toBe(1 + 50);
    expect(presence.byUserId.u4999?.lastSeenAt).toBe('2026-03-01T11:00:00.000Z');
  });

  it('shows everyone as unknown from a disconnect until the next snapshot', () => {
    vi.mocked(fetchPresence).mockResolvedValue({ ok: true, data: [] });
    const presence = usePresenceStore();
    // Connected, but the snapshot has not come yet: what an update says is not the whole picture.
    presence.applyUpdate(p(ALICE_USER.id, 'online', null, 3));
    expect(presence.stateOf(ALICE_USER.id)).toBe('unknown');
    presence.applySnapshot([p(ALICE_USER.id, 'online', null, 3), p(BOB_USER.id, 'away', null, 4)], 5);
    expect([presence.stateOf(ALICE_USER.id), presence.stateOf(BOB_USER.id), presence.stateOf('nobody')]).toEqual(['online', 'away', undefined]);
    expect(presence.onlineCount).toBe(1);

    presence.markUnknown();
    expect([presence.stateOf(ALICE_USER.id), presence.stateOf(BOB_USER.id)]).toEqual(['unknown', 'unknown']);
    expect(presence.online.map((u) => u.state)).toEqual(['unknown', 'unknown']);
    expect(presence.isKnown).toBe(false);

    // Alice left while we were away: the next snapshot says so, and presence is known again.
    presence.applySnapshot([p(BOB_USER.id, 'online', null, 7)], 8);
    expect([presence.stateOf(ALICE_USER.id), presence.stateOf(BOB_USER.id)]).toEqual(['offline', 'online']);
  });
});
