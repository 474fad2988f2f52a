import type { Logger } from '../logger.js';

/** What the server may log about one client (a socket): warnings and errors with their context. */
export interface ClientLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  /** Writes the summary of what was suppressed, if anything was; call when the client goes away. */
  flush(): void;
}

/** How many lines one client may cause per window; the rest are counted, not written. */
export interface ClientLogLimit {
  lines: number;
  windowMs: number;
}

/** 20 lines a minute per socket: enough to see what a client does wrong, too few to flood the log. */
export const DEFAULT_CLIENT_LOG_LIMIT: ClientLogLimit = { lines: 20, windowMs: 60_000 };

/** Log lines kept out of the log by a client's limit since start-up, exported as the metric confab_client_log_lines_suppressed_total. */
export const suppressedLogLines = { count: 0 };

type Level = 'warn' | 'error';

/**
 * A client's log: the first `limit.lines` lines of each window are written as usual; the rest
 * are counted, and one `warn` line reports how many (by level) when the window ends or the
 * client goes away, whichever comes first. A client that sends thousands of bad events so
 * costs the log a bounded number of lines, and the operator still learns that it did.
 */
export function createClientLog(logger: Logger, limit: ClientLogLimit = DEFAULT_CLIENT_LOG_LIMIT, now: () => number = Date.now): ClientLog {
  let windowStart = 0;
  let written = 0;
  let suppressed: Record<Level, number> = { warn: 0, error: 0 };
  let summaryTimer: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(summaryTimer);
    summaryTimer = undefined;
    const total = suppressed.warn + suppressed.error;
    if (total > 0) {
      logger.warn({ suppressed, windowMs: limit.windowMs, limit: limit.lines }, `suppressed ${total} log lines from this client`);
    }
    suppressed = { warn: 0, error: 0 };
  }

  function log(level: Level, fields: object, message: string): void {
    const at = now();
    if (at - windowStart >= limit.windowMs) {
      flush();
      windowStart = at;
      written = 0;
    }
    if (written < limit.lines) {
      written += 1;
      logger[level](fields, message);
      return;
    }
    suppressed[level] += 1;
    suppressedLogLines.count += 1;
    if (!summaryTimer) {
      summaryTimer = setTimeout(flush, Math.max(0, windowStart + limit.windowMs - at));
      summaryTimer.unref();
    }
  }

  return {
    warn: (fields, message) => log('warn', fields, message),
    error: (fields, message) => log('error', fields, message),
    flush,
  };
}
