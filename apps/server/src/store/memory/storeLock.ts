import { randomBytes } from 'node:crypto';
import { readlinkSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { readLock, removeStale, takeoverPathOf, tryCreate, writeTemporary } from './lockFile.js';

/**
 * Who holds the embedded store: the one server that keeps it in memory, or the command line while
 * it changes the file. Anyone else writing the file would be overwritten by the holder's next
 * write (or overwrite the holder's changes), so there is one holder at a time.
 */
export interface LockHolder {
  kind: 'server' | 'cli';
  pid: number;
  /** The machine's name: a pid says nothing about a process on another machine (a shared DATA_DIR). */
  machine: string;
  /**
   * The PID namespace (Linux, `pid:[4026531836]`): a container with the host's network or a fixed
   * hostname shares the machine's name but not its pids.
   */
  pidNamespace?: string;
  /** A server's address: `HOST` and `PORT` until it listens, then the port it really listens on. */
  host?: string;
  port?: number;
  /** The command line's command. */
  command?: string;
  /** ISO time the lock was taken. */
  since: string;
  /** This taking of the lock, so that a holder only ever removes its own. */
  token: string;
}

export interface StoreLock {
  readonly path: string;
  /** A holder that had died without releasing, whose lock this one took over. */
  readonly tookOverFrom: Readonly<LockHolder> | undefined;
  /** Records where the server really listens (`PORT=0` picks a port). */
  update(fields: Pick<LockHolder, 'host' | 'port'>): void;
  /** Removes the lock file if it is still this one's. Synchronous, so it can run in an `exit` handler. */
  release(): void;
}

/** The store is held by a live process (or by one this machine cannot check). */
export class StoreLockedError extends Error {
  constructor(
    readonly lockPath: string,
    /** Undefined when the lock file cannot be read (someone edited it). */
    readonly holder: LockHolder | undefined,
  ) {
    super(`${lockPath} is held by ${holder ? describeHolder(holder) : 'a process it does not name'}`);
  }

  /** Who holds it, for a sentence: `a Confab server (pid …)`. */
  get by(): string {
    return this.holder ? describeHolder(this.holder) : `a process the lock file ${this.lockPath} does not name readably`;
  }
}

/** The lock file beside the embedded store's file. */
export const lockPathOf = (storeFile: string) => `${storeFile}.lock`;

// Tokens held by this process: a lock naming this pid but none of these was left by an earlier
// process that had the same pid (in a container the server is often pid 1 on every start).
const heldTokens = new Set<string>();

function readPidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

const PID_NAMESPACE = readPidNamespace();

/** Whether the holder's pid means a process here: same machine name and same PID namespace. */
const isOnThisMachine = (holder: LockHolder) => holder.machine === hostname() && holder.pidNamespace === PID_NAMESPACE;

/** `a Confab server (pid 4242 on 127.0.0.1:3001, since …)` or `the command line (pid 4242, create-admin, since …)`. */
export function describeHolder(holder: LockHolder): string {
  const elsewhere = holder.machine !== hostname() ? ` on the machine ${holder.machine}` : isOnThisMachine(holder) ? '' : ` in another container on ${holder.machine}`;
  if (holder.kind === 'cli') return `the command line (pid ${holder.pid}${elsewhere}, ${holder.command ?? 'a command'}, since ${holder.since})`;
  // Port 0 until a server that was told to pick one listens.
  const address = holder.port ? ` listening on ${holder.host ?? ''}:${holder.port}` : '';
  return `a Confab server (pid ${holder.pid}${elsewhere}${address}, since ${holder.since})`;
}

/** Whether the holder may still be running. Another machine's process cannot be checked: it may. */
function isAlive(holder: LockHolder): boolean {
  if (!isOnThisMachine(holder)) return true;
  if (holder.pid === process.pid) return heldTokens.has(holder.token);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the embedded store in `storeFile`, if any (a dead holder's lock holds nothing). */
export function liveHolderOf(storeFile: string): LockHolder | undefined {
  const holder = readLock(lockPathOf(storeFile));
  if (holder === null) return undefined;
  if (holder === undefined) throw new StoreLockedError(lockPathOf(storeFile), undefined);
  return isAlive(holder) ? holder : undefined;
}

/**
 * Takes the embedded store's lock (`<storeFile>.lock`, 0600, JSON naming the holder), taking over
 * the lock of a holder that died without releasing it. Throws StoreLockedError when a live
 * process holds it. The store's folder must exist.
 */
export function takeStoreLock(storeFile: string, who: Pick<LockHolder, 'kind' | 'host' | 'port' | 'command'>): StoreLock {
  const path = lockPathOf(storeFile);
  let holder: LockHolder = { ...who, pid: process.pid, machine: hostname(), ...(PID_NAMESPACE ? { pidNamespace: PID_NAMESPACE } : {}), since: new Date().toISOString(), token: randomBytes(12).toString('base64url') };
  let tookOverFrom: LockHolder | undefined;
  // A few rounds: each ends with the lock taken, refused, a dead holder's lock removed, or another
  // process's takeover of it let through first.
  for (let round = 0; round < 5; round += 1) {
    if (tryCreate(path, holder)) {
      heldTokens.add(holder.token);
      return {
        path,
        tookOverFrom,
        update(fields) {
          if (!heldTokens.has(holder.token)) return;
          holder = { ...holder, ...fields };
          renameSync(writeTemporary(path, holder), path);
        },
        release() {
          if (!heldTokens.delete(holder.token)) return;
          if (readLock(path)?.token !== holder.token) return;
          try {
            unlinkSync(path);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          }
        },
      };
    }
    const found = readLock(path);
    if (found === null) continue;
    if (found === undefined || isAlive(found)) throw new StoreLockedError(path, found);
    const takeover = removeStale(path, found);
    if (takeover === 'abandoned') throw new StoreLockedError(takeoverPathOf(path), undefined);
    if (takeover === 'removed') tookOverFrom = found;
  }
  throw new StoreLockedError(path, readLock(path) ?? undefined);
}
