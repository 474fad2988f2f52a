import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveHolderOf, StoreLockedError, takeStoreLock, type LockHolder } from '../src/store/memory/storeLock.js';

// The embedded store's lock in this process, on temporary folders. The lock's own code reaches the
// file system through these two functions: a test may make link() fail as on a file system
// without hard links, or act as another process right after the lock code read the lock file.
const fsHooks = vi.hoisted(() => ({
  link: undefined as ((existing: string, newPath: string) => void) | undefined,
  afterRead: undefined as ((path: string) => void) | undefined,
}));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    linkSync: (existing: string, newPath: string) => (fsHooks.link ?? fs.linkSync)(existing, newPath),
    readFileSync: (...args: Parameters<typeof fs.readFileSync>) => {
      const text = fs.readFileSync(...args);
      fsHooks.afterRead?.(String(args[0]));
      return text;
    },
  };
});

function ownPidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

let dir: string;
let storeFile: string;
let lockFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'confab-store-lock-'));
  storeFile = join(dir, 'store.json');
  lockFile = `${storeFile}.lock`;
});

afterEach(() => {
  fsHooks.link = undefined;
  fsHooks.afterRead = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A lock as an earlier process in this same place left it: this process's pid, a token it never took. */
function earlierLock(fields: Partial<LockHolder> = {}): LockHolder {
  const namespace = ownPidNamespace();
  return { kind: 'server', pid: process.pid, machine: hostname(), ...(namespace ? { pidNamespace: namespace } : {}), port: 3001, since: '2026-01-01T00:00:00.000Z', token: 'earlier', ...fields };
}

const writeLock = (holder: LockHolder) => writeFileSync(lockFile, JSON.stringify(holder));
const lockText = () => readFileSync(lockFile, 'utf8');
const tokenInFile = () => (JSON.parse(lockText()) as LockHolder).token;

function refusal(take: () => unknown): StoreLockedError {
  try {
    take();
  } catch (err) {
    if (err instanceof StoreLockedError) return err;
    throw err;
  }
  throw new Error('the lock was taken');
}

const takeAsServer = () => takeStoreLock(storeFile, { kind: 'server', host: '127.0.0.1', port: 3001 });
const takeAsCli = () => takeStoreLock(storeFile, { kind: 'cli', command: 'create-admin' });

describe('taking the embedded store\'s lock', () => {
  it('refuses a lock file that names nobody readably, and leaves it as it is', () => {
    writeFileSync(lockFile, '{"kind":"serv');

    const err = refusal(takeAsCli);

    expect(err.holder).toBeUndefined();
    expect(err.by).toBe(`a process the lock file ${lockFile} does not name readably`);
    expect(lockText()).toBe('{"kind":"serv');
    expect(() => liveHolderOf(storeFile)).toThrow(StoreLockedError);
  });

  it('counts a lock from another machine as held, though a process with its pid is not running here', () => {
    writeLock(earlierLock({ machine: 'another-machine' }));

    const err = refusal(takeAsServer);

    expect(err.by).toBe('a Confab server (pid ' + process.pid + ' on the machine another-machine listening on :3001, since 2026-01-01T00:00:00.000Z)');
    expect(tokenInFile()).toBe('earlier');
  });

  it('counts a lock from another PID namespace on a machine of the same name as held (a container sharing the hostname)', () => {
    writeLock(earlierLock({ pidNamespace: 'pid:[1]' }));

    const err = refusal(takeAsServer);

    expect(err.by).toContain(`in another container on ${hostname()}`);
    expect(tokenInFile()).toBe('earlier');
  });

  it('takes over a lock naming this pid with a token this process never took (an earlier process with the same pid), leaving no takeover file', () => {
    writeLock(earlierLock());

    const lock = takeAsServer();

    expect(lock.tookOverFrom?.token).toBe('earlier');
    expect(tokenInFile()).not.toBe('earlier');
    expect(JSON.parse(lockText())).toMatchObject({ kind: 'server', pid: process.pid, machine: hostname(), port: 3001 });
    expect(liveHolderOf(storeFile)?.pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual(['store.json.lock']);
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('release() leaves a lock whose token is not its own', () => {
    const lock = takeAsCli();
    writeLock(earlierLock({ token: 'someone else' }));

    lock.release();

    expect(tokenInFile()).toBe('someone else');
  });

  it.each(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])('on a file system without hard links (link fails with %s) creates the lock with open, and refuses a second taker', (code) => {
    fsHooks.link = () => {
      throw Object.assign(new Error(`link: ${code}`), { code });
    };

    const lock = takeAsServer();

    expect(JSON.parse(lockText())).toMatchObject({ kind: 'server', pid: process.pid, port: 3001 });
    expect(readdirSync(dir)).toEqual(['store.json.lock']);
    expect(refusal(takeAsCli).by).toContain(`a Confab server (pid ${process.pid} listening on 127.0.0.1:3001`);
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('fails on any other error from link, leaving no file behind', () => {
    fsHooks.link = () => {
      throw Object.assign(new Error('link: EIO'), { code: 'EIO' });
    };

    expect(takeAsServer).toThrow('link: EIO');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a takeover that finds the dead lock already taken over by another process leaves that one alone, and a third process is refused', () => {
    writeLock(earlierLock());
    let reads = 0;
    let takenByOther: string | undefined;
    let third: unknown;
    // After the lock code's first read of the lock (or of a file beside it named after it, whatever
    // way it goes about it) another process takes the dead lock over; after its second, a third
    // process tries. They act without hooks of their own.
    const actAsOthers = (path: string) => {
      if (!path.startsWith(lockFile) || (reads += 1) > 2) return;
      fsHooks.afterRead = undefined;
      try {
        if (reads === 1) {
          takeAsCli();
          takenByOther = tokenInFile();
        } else {
          third = refusal(takeAsServer);
        }
      } finally {
        fsHooks.afterRead = actAsOthers;
      }
    };
    fsHooks.afterRead = actAsOthers;

    // Read the dead lock first; the other process took it over before this one could act on that.
    const err = refusal(takeAsServer);

    expect(takenByOther).toBeDefined();
    expect(tokenInFile()).toBe(takenByOther);
    expect(err.holder?.token).toBe(takenByOther);
    expect(third).toBeInstanceOf(StoreLockedError);
    expect((third as StoreLockedError).holder?.token).toBe(takenByOther);
    expect(readdirSync(dir)).toEqual(['store.json.lock']);
  });

  it('refuses to take over while a takeover file left by a killed process is there, naming it', () => {
    writeLock(earlierLock());
    const takeover = `${lockFile}.takeover`;
    writeFileSync(takeover, '');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(takeover, aMinuteAgo, aMinuteAgo);

    const err = refusal(takeAsServer);

    expect(err.lockPath).toBe(takeover);
    expect(tokenInFile()).toBe('earlier');
  });
});
