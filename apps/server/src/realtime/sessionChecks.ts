import type { Logger } from '../logger.js';
import type { AccountService } from '../services/accountService.js';

export interface SessionChecks {
  /** Checks one session now (a socket of it just joined its rooms). */
  checkNow(sessionId: string): void;
  /**
   * Checks these sessions in the current pass, or in one more pass right after it: a session
   * asked for while its check is in flight is checked again, since that check may have read the
   * store before the end it is asked for.
   */
  request(sessionIds: Iterable<string>): void;
  stop(): void;
}

/**
 * Asks the store whether sessions of this instance's sockets are still active, and ends the
 * sockets of those that are not. A check the store could not answer is not an answer: it is
 * retried every `retryMs` until the store answers it, and the other sessions are checked
 * meanwhile. Passes check one session at a time, so a recheck of thousands of sessions does not
 * flood a store that just came back.
 */
export function createSessionChecks(deps: {
  accounts: Pick<AccountService, 'isSessionActive'>;
  retryMs: number;
  logger: Logger;
  /** Whether the session still has a socket on this instance; a session without one is not checked. */
  isLocal(sessionId: string): boolean;
  /** Ends this instance's sockets of a session found inactive. */
  end(sessionId: string): void;
}): SessionChecks {
  const queued = new Set<string>();
  const failed = new Set<string>();
  let isRunning = false;
  let isStopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  let isFailing = false;
  /** False when the store could not answer. */
  async function check(sessionId: string): Promise<boolean> {
    try {
      if (deps.isLocal(sessionId) && !(await deps.accounts.isSessionActive(sessionId))) deps.end(sessionId);
    } catch (err) {
      if (!isFailing) deps.logger.warn({ err: (err as Error).message }, 'session check failed; retrying each interval until the store answers');
      isFailing = true;
      failed.add(sessionId);
      return false;
    }
    failed.delete(sessionId);
    if (isFailing && failed.size === 0) deps.logger.info('the store answers session checks again');
    isFailing = failed.size > 0;
    return true;
  }

  function retryLater(): void {
    if (retryTimer || failed.size === 0 || isStopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      request([...failed]);
    }, deps.retryMs);
    retryTimer.unref();
  }

  async function run(): Promise<void> {
    if (isRunning) return;
    isRunning = true;
    try {
      while (queued.size > 0 && !isStopped) {
        const sessionId = queued.values().next().value!;
        queued.delete(sessionId);
        await check(sessionId);
      }
    } finally {
      isRunning = false;
    }
    retryLater();
  }

  function request(sessionIds: Iterable<string>): void {
    if (isStopped) return;
    for (const sessionId of sessionIds) queued.add(sessionId);
    void run();
  }

  return {
    checkNow(sessionId) {
      if (isStopped) return;
      void check(sessionId).then((answered) => answered || retryLater());
    },
    request,
    stop() {
      isStopped = true;
      clearTimeout(retryTimer);
    },
  };
}
