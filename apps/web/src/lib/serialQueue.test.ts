import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serialQueue';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createSerialQueue', () => {
  it('starts a task only after the one before it finished', async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    let release!: () => void;
    queue.push('a', async () => {
      log.push('a start');
      await new Promise<void>((resolve) => (release = resolve));
      log.push('a end');
    });
    queue.push('b', async () => void log.push('b'));
    await flush();
    expect(log).toEqual(['a start']);
    release();
    await flush();
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('ignores a key that is already waiting, and accepts it again once done', async () => {
    const queue = createSerialQueue();
    let runs = 0;
    queue.push('k', async () => void (runs += 1));
    queue.push('k', async () => void (runs += 1));
    await flush();
    expect(runs).toBe(1);
    queue.push('k', async () => void (runs += 1));
    await flush();
    expect(runs).toBe(2);
  });

  it('keeps going after a task throws', async () => {
    const queue = createSerialQueue();
    let hasRun = false;
    queue.push('bad', async () => {
      throw new Error('boom');
    });
    queue.push('good', async () => void (hasRun = true));
    await flush();
    expect(hasRun).toBe(true);
  });
});
