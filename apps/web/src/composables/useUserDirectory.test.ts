import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import type { UserPage } from '@confab/shared';
import { searchUsers } from '../services/dm';
import type { Result } from '../services/request';
import { ALICE_USER, BOB_USER } from '../testing/factories';
import { SEARCH_DEBOUNCE_MS, useUserDirectory } from './useUserDirectory';

vi.mock('../services/dm', () => ({ searchUsers: vi.fn() }));

const found = (users: UserPage['users'], nextCursor?: string): Result<UserPage> => ({ ok: true, data: { users, ...(nextCursor ? { nextCursor } : {}) } });

describe('user directory', () => {
  const scope = effectScope();
  let directory: ReturnType<typeof useUserDirectory>;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetAllMocks();
    directory = scope.run(() => useUserDirectory())!;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('searches once typing pauses, with the trimmed query', async () => {
    vi.mocked(searchUsers).mockResolvedValue(found([BOB_USER]));
    for (const text of ['b', 'bo', 'bob ']) {
      directory.query.value = text;
      await nextTick();
      vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 50);
    }
    expect(searchUsers).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50);
    expect(vi.mocked(searchUsers).mock.calls).toEqual([[{ query: 'bob', limit: 20 }]]);
    expect(directory.users.value).toEqual([BOB_USER]);
    expect(directory.status.value).toBe('done');
  });

  it('an answer for a query since replaced is dropped, whatever order they arrive in', async () => {
    const answers: ((value: Result<UserPage>) => void)[] = [];
    vi.mocked(searchUsers).mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
    directory.query.value = 'a';
    void directory.search();
    directory.query.value = 'b';
    void directory.search();
    answers[1]!(found([BOB_USER]));
    answers[0]!(found([ALICE_USER]));
    await vi.advanceTimersByTimeAsync(0);
    expect(directory.users.value).toEqual([BOB_USER]);
  });

  it('"Load more" asks for the next page with the cursor and appends it', async () => {
    vi.mocked(searchUsers).mockResolvedValueOnce(found([ALICE_USER], 'alice')).mockResolvedValueOnce(found([BOB_USER]));
    await directory.search();
    expect(directory.nextCursor.value).toBe('alice');
    await directory.loadMore();
    expect(vi.mocked(searchUsers).mock.calls[1]![0]).toEqual({ query: '', limit: 20, cursor: 'alice' });
    expect(directory.users.value).toEqual([ALICE_USER, BOB_USER]);
    expect(directory.nextCursor.value).toBeUndefined();
    await directory.loadMore();
    expect(searchUsers).toHaveBeenCalledTimes(2);
  });

  it('reset clears the results without searching again', async () => {
    vi.mocked(searchUsers).mockResolvedValue(found([BOB_USER]));
    directory.query.value = 'bob';
    await directory.search();
    directory.reset();
    await nextTick();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(searchUsers).toHaveBeenCalledTimes(1);
    expect(directory.users.value).toEqual([]);
    expect(directory.status.value).toBe('idle');
  });
});
