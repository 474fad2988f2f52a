import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalesceByKey } from '../src/realtime/coalesceByKey.js';

describe('coalescing requests by key', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder() {
    const runs: [string, number[]][] = [];
    const pending: (() => void)[] = [];
    const coalesce = createCoalesceByKey<number>(100, async (key, requests) => {
      runs.push([key, requests]);
      await new Promise<void>((resolve) => pending.push(resolve));
    });
    /** Lets every run going now finish. */
    const release = () => pending.splice(0).forEach((resolve) => resolve());
    return { runs, coalesce, release };
  }

  it('runs a quiet key at once, then merges what comes during the run and the interval into one more run after it', async () => {
    const { runs, coalesce, release } = recorder();
    coalesce('room', 1);
    expect(runs).toEqual([['room', [1]]]);
    coalesce('room', 2);
    coalesce('other', 9);
    release();
    await vi.advanceTimersByTimeAsync(50);
    coalesce('room', 3);
    expect(runs).toEqual([['room', [1]], ['other', [9]]]);
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toEqual([['room', [1]], ['other', [9]], ['room', [2, 3]]]);
  });

  it('many requests to a busy key cost one run per interval, and the last run comes after the last request', async () => {
    let runs = 0;
    let lastSeen = 0;
    const coalesce = createCoalesceByKey<number>(100, async (_key, requests) => {
      runs += 1;
      lastSeen = requests.at(-1)!;
    });
    for (let i = 1; i <= 1_000; i += 1) {
      coalesce('room', i);
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toBeLessThanOrEqual(11);
    expect(lastSeen).toBe(1_000);
  });

  it('forgets a key once it has been quiet for an interval: the next request runs at once', async () => {
    const { runs, coalesce, release } = recorder();
    coalesce('room', 1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    coalesce('room', 2);
    expect(runs).toEqual([['room', [1]], ['room', [2]]]);
  });
});
