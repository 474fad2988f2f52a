/** Runs tasks one after another; a key already waiting or running is not queued twice. */
export function createSerialQueue() {
  let tail: Promise<void> = Promise.resolve();
  const keys = new Set<string>();

  function push(key: string, task: () => Promise<void>): void {
    if (keys.has(key)) return;
    keys.add(key);
    tail = tail.then(async () => {
      try {
        await task();
      } catch {
        // A failing task must not stall the ones behind it; tasks report their own failures.
      } finally {
        keys.delete(key);
      }
    });
  }

  /** Forgets the keys, so they may be queued again; tasks already queued still run. */
  function clear(): void {
    keys.clear();
  }

  return { push, clear };
}
