import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import type { LockHolder } from './storeLock.js';

// The lock file itself: creating it only where there is none, reading it, and removing a dead
// holder's. What a holder is and whether it lives is storeLock.ts's business.

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    const isHolder =
      (value.kind === 'server' || value.kind === 'cli') &&
      Number.isInteger(value.pid) &&
      typeof value.machine === 'string' &&
      (value.pidNamespace === undefined || typeof value.pidNamespace === 'string') &&
      typeof value.token === 'string';
    return isHolder ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** The lock file's holder; `null` when there is no lock; undefined when the file names nobody readable. */
export function readLock(path: string): LockHolder | undefined | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  return parseHolder(text);
}

const holderText = (holder: LockHolder) => `${JSON.stringify(holder)}\n`;

/** A file written whole under a temporary name in the same folder, for `link` or `rename` into place. */
export function writeTemporary(path: string, holder: LockHolder): string {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, holderText(holder), { mode: 0o600, flag: 'wx' });
  return temporary;
}

// What link() says on a file system without hard links: some Docker Desktop and VirtualBox shared
// folders, CIFS, exFAT.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

// Without hard links: open(…, 'wx') also fails when the name exists, but for a moment the file is
// empty. A reader then finds a lock naming nobody, which counts as held: it is refused, never
// takes the lock over.
function tryCreateOpen(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, holderText(holder));
  } catch (err) {
    unlinkSync(path);
    throw err;
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Creates the lock naming `holder` unless there is one; false when there is. */
export function tryCreate(path: string, holder: LockHolder): boolean {
  // link() fails when the name exists, like open(…, 'wx'), but the lock appears with its content
  // whole: nobody ever reads a lock file half written.
  const temporary = writeTemporary(path, holder);
  try {
    linkSync(temporary, path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(errorCode(err) ?? '')) throw err;
  } finally {
    unlinkSync(temporary);
  }
  return tryCreateOpen(path, holder);
}

// A takeover holds its file for a read and an unlink: one older than this was left by a process
// killed in between, and stays until someone deletes it.
const ABANDONED_TAKEOVER_MS = 10_000;

/** Where takeovers of the lock at `path` are serialised. */
export const takeoverPathOf = (path: string) => `${path}.takeover`;

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Removes a dead holder's lock, unless it is no longer that holder's (`changed`). `busy`: another
 * process is taking over at this moment (read the lock again); `abandoned`: a takeover file was
 * left behind.
 */
export function removeStale(path: string, stale: LockHolder): 'removed' | 'changed' | 'busy' | 'abandoned' {
  // Reading the lock and removing it are two steps: between them another process may have taken
  // the dead lock over, and removing its live lock would let a third one in beside it (two
  // holders). So takeovers take turns, through a file only one process can create, and the one
  // whose turn it is removes the lock only while it still carries the dead holder's token. Apart
  // from takeovers, only a holder removes a lock, its own.
  const takeover = takeoverPathOf(path);
  try {
    closeSync(openSync(takeover, 'wx', 0o600));
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(takeover).mtimeMs > ABANDONED_TAKEOVER_MS) return 'abandoned';
    } catch (statErr) {
      if (errorCode(statErr) !== 'ENOENT') throw statErr;
    }
    pause(20);
    return 'busy';
  }
  try {
    if (readLock(path)?.token !== stale.token) return 'changed';
    unlinkSync(path);
    return 'removed';
  } finally {
    unlinkSync(takeover);
  }
}
