import type { RedisClientType } from 'redis';
import type { Logger } from '../logger.js';

/** A session end, as every instance reads it from the feed. */
export type Revocation =
  | { kind: 'session'; sessionId: string }
  /** A password change: every session of the user ended, except the one that replaced the caller's; a deactivation: every one (`exceptSessionId` empty). */
  | { kind: 'user'; userId: string; exceptSessionId: string }
  /** More ends than the feed could list: every session must be checked against the store. */
  | { kind: 'all' };

export const REVOCATION_STREAM = 'confab:revocations';

/**
 * Entries the stream keeps (XADD MAXLEN ~ keeps at least this many). A reader that finds this
 * many new entries at once may have lost older ones to trimming, and so may a queue this long.
 */
export const KEPT_REVOCATIONS = 5_000;

export interface RevocationFeed {
  /**
   * Appends to the stream. Resolves once Redis holds it, or once Redis refused it: it is then
   * queued and written again when the connection is ready and at each `sync`. Never rejects.
   */
  publish(revocation: Revocation): Promise<void>;
  /** Writes what is queued, then reads what was appended since the last read (one XREAD). */
  sync(): Promise<void>;
  /** The next read starts at the stream's end (entries up to there are skipped) and calls `onRepositioned` first. */
  reposition(): void;
  stop(): void;
}

function toFields(revocation: Revocation): Record<string, string> {
  if (revocation.kind === 'session') return { session: revocation.sessionId };
  if (revocation.kind === 'user') return { user: revocation.userId, except: revocation.exceptSessionId };
  return { all: '1' };
}

function fromFields(fields: Record<string, string>): Revocation | undefined {
  if (fields.session) return { kind: 'session', sessionId: fields.session };
  // `except` is empty when no session is spared (an admin's deactivation of the user).
  if (fields.user && fields.except !== undefined) return { kind: 'user', userId: fields.user, exceptSessionId: fields.except };
  if (fields.all) return { kind: 'all' };
  return undefined;
}

/**
 * The durable path of session ends between instances, beside the adapter's broadcast (the fast
 * path, which a PUBLISH lost on a connection reset drops for good): a Redis stream every instance
 * appends to and reads from its own position. A store write always precedes its entry, so
 * whoever skips entries (a new reader, a reposition, a possible trimming gap) must check the
 * store afterwards: `onRepositioned` and `{ kind: 'all' }` say when.
 */
export function createRevocationFeed(
  client: RedisClientType,
  deps: { logger: Logger; onRevoked(revocations: Revocation[]): void; onRepositioned(): void; kept?: number },
): RevocationFeed {
  const kept = deps.kept ?? KEPT_REVOCATIONS;
  const queue: Revocation[] = [];
  let isStopped = false;

  // One flush at a time, in order; each sees what was queued before it started.
  let flushed: Promise<void> = Promise.resolve();
  let isWriteFailing = false;
  async function drain(): Promise<void> {
    while (queue.length > 0 && !isStopped) {
      const next = queue[0]!;
      try {
        await client.xAdd(REVOCATION_STREAM, '*', toFields(next), { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: kept } });
      } catch (err) {
        if (!isWriteFailing) deps.logger.warn({ err: (err as Error).message, queued: queue.length }, 'session ends are queued until Redis takes them');
        isWriteFailing = true;
        return;
      }
      // Not shift(): the queue may have been collapsed into `all` meanwhile.
      const at = queue.indexOf(next);
      if (at >= 0) queue.splice(at, 1);
      if (isWriteFailing) deps.logger.info('queued session ends are written again');
      isWriteFailing = false;
    }
  }
  const flush = (): Promise<void> => (flushed = flushed.then(drain));
  const onReady = () => void (queue.length > 0 && flush());
  client.on('ready', onReady);

  let cursor = '0-0';
  let mustReposition = true;
  let isReading = false;
  let readAgain = false;
  let isReadFailing = false;
  async function readOnce(): Promise<void> {
    const isRepositioning = mustReposition;
    mustReposition = false;
    try {
      if (isRepositioning) {
        const newest = (await client.xRevRange(REVOCATION_STREAM, '+', '-', { COUNT: 1 }))?.[0];
        cursor = newest?.id ?? '0-0';
        deps.onRepositioned();
      } else {
        const streams = (await client.xRead({ key: REVOCATION_STREAM, id: cursor })) as { messages: { id: string; message: Record<string, string> }[] }[] | null;
        const entries = streams?.[0]?.messages ?? [];
        if (entries.length > 0) {
          cursor = entries.at(-1)!.id;
          const revocations = entries.length >= kept ? [{ kind: 'all' } as const] : entries.flatMap((e) => fromFields(e.message) ?? []);
          deps.onRevoked(revocations);
        }
      }
      if (isReadFailing) deps.logger.info('the session-end feed is read again');
      isReadFailing = false;
    } catch (err) {
      if (isRepositioning) mustReposition = true;
      if (!isReadFailing) deps.logger.warn({ err: (err as Error).message }, 'cannot read the session-end feed; retrying each interval');
      isReadFailing = true;
    }
  }
  async function read(): Promise<void> {
    if (isReading) return void (readAgain = true);
    isReading = true;
    try {
      do {
        readAgain = false;
        await readOnce();
      } while (readAgain && !isStopped);
    } finally {
      isReading = false;
    }
  }

  void read();
  return {
    async publish(revocation) {
      // A long outage of this instance's link: one entry that sends every instance to the store.
      if (queue.length >= kept) queue.splice(0, queue.length, { kind: 'all' });
      queue.push(revocation);
      await flush();
    },
    async sync() {
      if (queue.length > 0) await flush();
      await read();
    },
    reposition() {
      mustReposition = true;
      void read();
    },
    stop() {
      isStopped = true;
      client.off('ready', onReady);
    },
  };
}
