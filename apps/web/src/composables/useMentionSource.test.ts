import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UserDto, UserPage } from '@confab/shared';
import type { Result } from '../services/request';
import { searchUsers } from '../services/dm';
import { createMentionSource, MENTION_SEARCH_DEBOUNCE_MS } from './useMentionSource';

// The directory request is the one thing replaced: a unit test has no server to ask.
vi.mock('../services/dm', () => ({ searchUsers: vi.fn() }));

const BOB: UserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob Baker' };
const ANN: UserDto = { id: 'd'.repeat(24), username: 'ann', displayName: 'Ann Bolt' };

/** Each search waits for its answer until the test gives it. */
function pendingSearches() {
  const answers: ((res: Result<UserPage>) => void)[] = [];
  vi.mocked(searchUsers).mockImplementation(() => new Promise((answer) => answers.push(answer)));
  return (i: number, users: UserDto[]) => answers[i]!({ ok: true, data: { users } as UserPage });
}

describe('the lobby\'s mention source', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.mocked(searchUsers).mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('asks the directory once typing pauses, for the last query only; the calls it overtook answer null', async () => {
    const answer = pendingSearches();
    const source = createMentionSource({ kind: 'lobby' });
    const results = ['b', 'bo', 'bob'].map((query) => source(query));
    await vi.advanceTimersByTimeAsync(MENTION_SEARCH_DEBOUNCE_MS - 1);
    expect(searchUsers).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.mocked(searchUsers).mock.calls.map(([payload]) => payload.query)).toEqual(['bob']);
    answer(0, [BOB]);
    expect(await Promise.all(results)).toEqual([null, null, [BOB]]);
  });

  it('drops an answer that arrives after a later query was sent', async () => {
    const answer = pendingSearches();
    const source = createMentionSource({ kind: 'lobby' });
    const first = source('a');
    await vi.advanceTimersByTimeAsync(MENTION_SEARCH_DEBOUNCE_MS);
    const second = source('an');
    await vi.advanceTimersByTimeAsync(MENTION_SEARCH_DEBOUNCE_MS);
    expect(searchUsers).toHaveBeenCalledTimes(2);
    answer(1, [ANN]);
    answer(0, [BOB, ANN]);
    expect(await first).toBeNull();
    expect(await second).toEqual([ANN]);
  });
});
