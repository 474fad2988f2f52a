/**
 * Runs `task` for a key at most once per `intervalMs`, with every request made since the last run.
 * A request for a quiet key runs at once; requests made while a run is going, or within
 * `intervalMs` of its start, are merged into one more run when the interval is over. So the last
 * run always starts after the last request, and a busy key costs one run per interval however
 * many requests it gets. `task` must not reject. After `close`, requests are ignored and nothing
 * pending runs (a run already going finishes).
 */
export function createCoalesceByKey<T>(intervalMs: number, task: (key: string, requests: T[]) => Promise<void>) {
  const keys = new Map<string, { requests: T[]; isBusy: boolean }>();
  const timers = new Set<NodeJS.Timeout>();
  let isClosed = false;

  function run(key: string, state: { requests: T[]; isBusy: boolean }): void {
    const requests = state.requests;
    state.requests = [];
    state.isBusy = true;
    const startedAt = Date.now();
    void task(key, requests).then(() => {
      if (isClosed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (state.requests.length > 0) run(key, state);
        else keys.delete(key);
      }, Math.max(0, startedAt + intervalMs - Date.now()));
      timers.add(timer);
      // A pending run never keeps the process alive.
      timer.unref();
    });
  }

  function request(key: string, request: T): void {
    if (isClosed) return;
    let state = keys.get(key);
    if (!state) {
      state = { requests: [], isBusy: false };
      keys.set(key, state);
    }
    state.requests.push(request);
    if (!state.isBusy) run(key, state);
  }

  function close(): void {
    isClosed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    keys.clear();
  }

  return { request, close };
}
