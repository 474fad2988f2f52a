import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDataDir } from '../dataDir.js';
import type { Logger } from '../logger.js';
import { openPersistedMemoryStores } from '../store/memory/persistedMemoryStores.js';
import { describeHolder, liveHolderOf, StoreLockedError, takeStoreLock, type StoreLock } from '../store/memory/storeLock.js';
import type { Stores } from '../store/ports.js';
import type { OpenedStores } from './context.js';
import { failure } from './errors.js';

/**
 * Whether a command that changes the store may start a new one where there is none: never (it
 * needs an account that would be there), in a DATA_DIR that exists (a fresh install's first
 * admin), or also making the folder (the default DATA_DIR, which cannot be mistyped).
 */
export type CreateStore = 'never' | 'in-existing-folder' | 'with-folder';

/** Why there is nothing to open at `storeFile`, or undefined when there is. */
export function missingStore(storeFile: string): string | undefined {
  if (existsSync(storeFile)) return undefined;
  const dir = dirname(storeFile);
  if (!existsSync(dir)) return `no Confab data at ${dir} (there is no such folder): check DATA_DIR`;
  return `no Confab data at ${storeFile}: check DATA_DIR (a server writes this file at its first change, such as the first account)`;
}

function refusal(err: StoreLockedError, storeFile: string): string {
  if (err.holder?.kind === 'cli') return `${err.by} is changing the embedded store in ${storeFile}: try again when it has finished.`;
  if (!err.holder) return `${err.by}. If no Confab server or command runs on this DATA_DIR, delete that file and try again.`;
  return (
    `${err.by} holds the embedded store in ${storeFile}: it keeps the data in memory and would overwrite this change. ` +
    'Stop the server, run the command, then start it again; or use MongoDB (MONGODB_URL), where commands work beside running servers.'
  );
}

function lock(storeFile: string, command: string): StoreLock {
  try {
    ensureDataDir(dirname(storeFile));
    return takeStoreLock(storeFile, { kind: 'cli', command });
  } catch (err) {
    if (err instanceof StoreLockedError) throw failure(refusal(err, storeFile));
    throw failure(`could not lock the embedded store in ${storeFile}: ${(err as Error).message}`);
  }
}

/** Who holds the embedded store in `storeFile`, for a sentence, while a live process does. */
export function describeLiveHolder(storeFile: string): string | undefined {
  try {
    const holder = liveHolderOf(storeFile);
    return holder && describeHolder(holder);
  } catch (err) {
    if (err instanceof StoreLockedError) return err.by;
    throw err;
  }
}

/**
 * Opens the embedded store's file as the server does, with two differences. A command that
 * changes it holds the store's lock until the store closed (and wrote the file), and is refused
 * while a server holds it. And it creates nothing as a side effect: no store, folder or files
 * folder unless `createStore` allows a new store, and never the uploaded files' folder (the
 * stores open it only for files, which no command touches; opening it would also clear a running
 * server's uploads in progress).
 */
export async function openEmbeddedStore(
  storeFile: string,
  logger: Logger,
  options: { willChange: boolean; command: string; createStore?: CreateStore },
): Promise<OpenedStores> {
  const missing = missingStore(storeFile);
  if (missing) {
    const create = options.willChange ? (options.createStore ?? 'never') : 'never';
    const hasFolder = existsSync(dirname(storeFile));
    if (create === 'never') throw failure(missing);
    if (create === 'in-existing-folder' && !hasFolder) throw failure(`${missing}. For a new install, create that folder first: ${options.command} starts a new store only in an existing DATA_DIR.`);
  }
  const held = options.willChange ? lock(storeFile, options.command) : undefined;
  const heldBy = options.willChange ? undefined : describeLiveHolder(storeFile);
  let stores: Stores;
  try {
    stores = await openPersistedMemoryStores(storeFile, { logger });
  } catch (err) {
    held?.release();
    throw failure((err as Error).message);
  }
  if (!held) return { stores, heldBy, isNew: Boolean(missing) };
  const close = stores.close;
  return {
    // Released only after close wrote the file: a server starting meanwhile would load the old one.
    stores: { ...stores, close: () => close().finally(() => held.release()) },
    heldBy,
    isNew: Boolean(missing),
  };
}
