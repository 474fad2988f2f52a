import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLiveBatch, FRAME_FALLBACK_MS, nextFrame, revealsGap } from './liveBatch';

/** A scheduler the test runs by hand: `run()` is the next frame. */
function manualFrames() {
  const pending: (() => void)[] = [];
  return {
    schedule: (run: () => void) => {
      pending.push(run);
      return () => pending.splice(pending.indexOf(run), 1);
    },
    run: () => pending.splice(0).forEach((run) => run()),
    get count() {
      return pending.length;
    },
  };
}

describe('createLiveBatch', () => {
  it('holds entries until the frame and hands each room its own, in arrival order, once', () => {
    const frames = manualFrames();
    const applied: [string, number[]][] = [];
    const batch = createLiveBatch<number>((key, entries) => applied.push([key, entries]), frames.schedule);
    batch.push('a', 1);
    batch.push('b', 7);
    batch.push('a', 2);
    batch.push('a', 3);
    expect(applied).toEqual([]);
    expect(frames.count).toBe(1);
    frames.run();
    expect(applied).toEqual([
      ['a', [1, 2, 3]],
      ['b', [7]],
    ]);
    frames.run();
    expect(applied).toHaveLength(2);
  });

  it('an entry queued while a batch is applied waits for the next frame', () => {
    const frames = manualFrames();
    const applied: number[][] = [];
    const batch = createLiveBatch<number>((_, entries) => {
      applied.push(entries);
      if (entries[0] === 1) batch.push('a', 2);
    }, frames.schedule);
    batch.push('a', 1);
    frames.run();
    expect(applied).toEqual([[1]]);
    frames.run();
    expect(applied).toEqual([[1], [2]]);
  });

  it('flush applies at once and cancels the frame; discard forgets one room or all', () => {
    const frames = manualFrames();
    const applied: [string, number[]][] = [];
    const batch = createLiveBatch<number>((key, entries) => applied.push([key, entries]), frames.schedule);
    batch.push('a', 1);
    batch.flush();
    expect(applied).toEqual([['a', [1]]]);
    expect(frames.count).toBe(0);

    batch.push('a', 2);
    batch.push('b', 3);
    batch.discard('a');
    frames.run();
    expect(applied).toEqual([
      ['a', [1]],
      ['b', [3]],
    ]);
    batch.push('c', 4);
    batch.discard();
    expect(frames.count).toBe(0);
    batch.flush();
    expect(applied).toHaveLength(2);
  });
});

describe('nextFrame', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('runs at the frame and not again on the timer; with no frame (a hidden tab) on the timer; never once cancelled', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);

    const atFrame = vi.fn();
    nextFrame(atFrame);
    frames.shift()!(0);
    expect(atFrame).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(FRAME_FALLBACK_MS);
    expect(atFrame).toHaveBeenCalledTimes(1);

    const hidden = vi.fn();
    nextFrame(hidden);
    vi.advanceTimersByTime(FRAME_FALLBACK_MS - 1);
    expect(hidden).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(hidden).toHaveBeenCalledTimes(1);
    frames.splice(0).forEach((callback) => callback(0));
    expect(hidden).toHaveBeenCalledTimes(1);

    const cancelled = vi.fn();
    nextFrame(cancelled)();
    vi.advanceTimersByTime(1_000);
    frames.splice(0).forEach((callback) => callback(0));
    expect(cancelled).not.toHaveBeenCalled();
  });
});

describe('revealsGap', () => {
  it('is true only when an entry lies past the last seq held without a hole, and never before the first page', () => {
    expect(revealsGap([{ seq: 104 }], { floorSeq: 50, syncedSeq: 100 })).toBe(true);
    expect(revealsGap([{ seq: 101 }, { seq: 102 }], { floorSeq: 50, syncedSeq: 102 })).toBe(false);
    expect(revealsGap([{ seq: 5 }], { floorSeq: null, syncedSeq: 0 })).toBe(false);
  });
});
