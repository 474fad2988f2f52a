/**
 * Runs tasks with the same key one after another, in call order; tasks with different keys run
 * concurrently. A failed task does not stop the ones queued behind it.
 */
export function createSerialByKey() {
  const tails = new Map<string, Promise<void>>();

  return function serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
