import { dirname } from 'node:path';
import { ensureDataDir } from '../../dataDir.js';
import type { Logger } from '../../logger.js';
import { createMemoryStores, type MemoryStores } from './index.js';
import { readStoreFile, storeFileText, unreadableStoreFile, writeStoreFile } from './storeFile.js';

/** The file, inside the data directory, that holds the embedded store. */
export const STORE_FILE = 'store.json';

// The whole state is rewritten each time, so past this the embedded store is the wrong tool.
const LARGE_FILE_CHARS = 20 * 1024 * 1024;

export interface PersistedMemoryStoresOptions {
  logger: Logger;
  /** How long after a change the file is written; changes in between share one write. */
  writeDelayMs?: number;
  /** Sessions that expired before this moment are not loaded. */
  now?: () => Date;
  /** Where uploaded files are kept (see createMemoryStores); opened here, so a bad folder fails start-up. */
  filesDir?: string;
}

/**
 * The in-memory stores, loaded from `path` (no file: empty) and written back whole, atomically,
 * at most once per `writeDelayMs` after changes and once more on `close()`. For one person or a
 * small team trying Confab on embedded defaults; anything bigger belongs in MongoDB.
 * Throws, naming the file and leaving it untouched, when the file cannot be loaded.
 */
export async function openPersistedMemoryStores(path: string, options: PersistedMemoryStoresOptions): Promise<MemoryStores> {
  const { logger, writeDelayMs = 1_000, now = () => new Date(), filesDir } = options;
  try {
    ensureDataDir(dirname(path));
  } catch (err) {
    throw new Error(`Could not keep data in ${dirname(path)}: ${(err as Error).message}. Set DATA_DIR to a folder this user may write.`);
  }
  const loaded = await readStoreFile(path);
  let stores: MemoryStores;
  const writer = new DebouncedWriter(path, () => storeFileText(stores.saved()), writeDelayMs, logger);
  try {
    const at = now();
    const saved = loaded && { ...loaded, sessions: loaded.sessions.filter((s) => s.expiresAt > at) };
    stores = createMemoryStores({ ...(saved ? { saved } : {}), onChange: () => writer.changed(), filesDir });
  } catch (err) {
    throw unreadableStoreFile(path, (err as Error).message);
  }
  if (filesDir) await openFiles(stores, filesDir);
  return {
    ...stores,
    kind: 'memory (file)',
    close: async () => {
      try {
        await writer.close();
      } finally {
        await stores.files.close();
      }
    },
  };
}

/** Opens the stores' files folder now, so that a folder the server cannot use fails start-up, saying which. */
export async function openFiles(stores: MemoryStores, filesDir: string): Promise<void> {
  try {
    await stores.files.open();
  } catch (err) {
    throw new Error(`Could not keep files in ${filesDir}: ${(err as Error).message}. Set FILES_DIR to a folder this user may write.`);
  }
}

/** Writes the state some time after the first unsaved change, one write at a time, and finally on close. */
class DebouncedWriter {
  // A change counter: the file is up to date when the version it holds is the latest.
  #version = 0;
  #writtenVersion = 0;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<void> = Promise.resolve();
  #isClosed = false;
  #hasWarnedOfSize = false;

  constructor(
    private readonly path: string,
    private readonly text: () => string,
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {}

  changed(): void {
    this.#version += 1;
    this.#schedule();
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flush();
  }

  #schedule(): void {
    if (this.#timer || this.#isClosed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush().catch((err: unknown) => {
        this.logger.error({ err, path: this.path }, 'could not write the data file; retrying');
        this.#schedule();
      });
    }, this.delayMs);
    // A pending write never keeps the process alive: the shutdown path writes through close().
    this.#timer.unref();
  }

  #flush(): Promise<void> {
    const run = this.#queue.then(() => this.#writeIfChanged());
    this.#queue = run.catch(() => {});
    return run;
  }

  async #writeIfChanged(): Promise<void> {
    const version = this.#version;
    if (version === this.#writtenVersion) return;
    // Serialised now, in one synchronous step, so the file is one consistent moment of the state.
    const text = this.text();
    await writeStoreFile(this.path, text);
    this.#writtenVersion = version;
    if (text.length > LARGE_FILE_CHARS && !this.#hasWarnedOfSize) {
      this.#hasWarnedOfSize = true;
      this.logger.warn({ path: this.path, sizeMiB: Math.round(text.length / 1024 / 1024) }, 'the embedded store file is large and is rewritten whole after changes; set MONGODB_URL to use MongoDB');
    }
  }
}
