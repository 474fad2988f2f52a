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
    const coalescer = createCoalesceByKey<number>(100, async (key, requests) => {
      runs.push([key, requests]);
      await new Promise<void>((resolve) => pending.push(resolve));
    });
    /** Lets every run going now finish. */
    const release = () => pending.splice(0).forEach((resolve) => resolve());
    return { runs, coalesce: coalescer.request, close: coalescer.close, release };
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
    const { request: coalesce } = createCoalesceByKey<number>(100, async (_key, requests) => {
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

  it('runs nothing more once closed: what was waiting is dropped, a run going finishes, and later requests are ignored', async () => {
    const { runs, coalesce, close, release } = recorder();
    coalesce('room', 1);
    coalesce('room', 2);
    coalesce('quiet', 5);
    release();
    await vi.advanceTimersByTimeAsync(50);
    coalesce('busy', 7);
    close();
    coalesce('room', 3);
    coalesce('new', 9);
    release();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([['room', [1]], ['quiet', [5]], ['busy', [7]]]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
