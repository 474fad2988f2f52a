/** socket.io never retries a handshake the server refused; for passing refusals we do, this often. */
export const REFUSED_RETRY_MS = 5_000;

/**
 * After the server ends a socket (its session ended) we connect again this soon: the handshake is
 * then refused as unauthorized (→ sign-in) if the session is gone. Not at once: a server that is
 * shutting down ends sockets the same way, and an immediate attempt would race its close.
 */
export const KICK_RETRY_MS = 500;

/**
 * A `resync` reaches every client of an instance at the same moment; each waits a random part of
 * this before catching up, so they do not all ask at once.
 */
export const RESYNC_SPREAD_MS = 2_000;

/** Runs `work` after a random delay under `spreadMs`. */
export function afterRandomDelay(work: () => void, spreadMs: number): void {
  setTimeout(work, Math.random() * spreadMs);
}

/** One pending reconnection attempt at a time: scheduling replaces the previous one. */
export function createRetryTimer(attempt: () => void) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  function clear(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }
  function schedule(delayMs: number): void {
    clear();
    timer = setTimeout(() => {
      timer = null;
      attempt();
    }, delayMs);
  }
  return { schedule, clear };
}
