import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSerialByKey } from '../../serialByKey.js';
import { insertOnce } from './driverErrors.js';
import type { WriteLockDoc, WriteLockModel } from './writeLockModel.js';

export interface WriteLocksOptions {
  /** How long a lock is trusted: one older than this was left by a holder that died, and is taken over. */
  leaseMs?: number;
  /** How long a writer waits for a lock before it fails. */
  waitMs?: number;
}

/**
 * Serialises changes of one document across every server, for documents whose fields different
 * writers change independently (a user's password, role and deactivation). FerretDB 1.x applies
 * an update by reading the whole document and writing it back, unisolated, so two updates of
 * different fields can each write back the other's old value (measured: a deactivation lost to a
 * password change made at the same moment, even when each re-read and re-wrote its own field).
 * MongoDB isolates updates of one document, FerretDB only inserts under a unique index: so a
 * writer first inserts a lock under the document's key, changes the document, and deletes the
 * lock. Writers in this process queue for it here rather than poll the database.
 */
export class WriteLocks {
  readonly #locks: WriteLockModel;
  readonly #leaseMs: number;
  readonly #waitMs: number;
  readonly #serial = createSerialByKey();

  constructor(locks: WriteLockModel, options: WriteLocksOptions = {}) {
    this.#locks = locks;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#waitMs = options.waitMs ?? 15_000;
  }

  /** Runs `change` while holding the lock on `key`. */
  with<T>(key: string, change: () => Promise<T>): Promise<T> {
    return this.#serial(key, async () => {
      const token = await this.#acquire(key);
      try {
        return await change();
      } finally {
        await this.#locks.deleteOne({ _id: key, token }).catch(() => {});
      }
    });
  }

  async #acquire(key: string): Promise<string> {
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + this.#waitMs;
    for (let attempt = 1; ; attempt += 1) {
      if (await insertOnce(() => this.#locks.create({ _id: key, token, at: new Date() }))) return token;
      const held = await this.#locks.findById(key).lean<WriteLockDoc>();
      if (held && Date.now() - held.at.getTime() > this.#leaseMs) {
        // Its holder died: the lease is over. Only that holder's lock is removed, by its token.
        await this.#locks.deleteOne({ _id: key, token: held.token });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`could not lock ${key} within ${this.#waitMs} ms`);
      // Another server is changing the document: a write takes milliseconds.
      await sleep(Math.random() * Math.min(50, 2 ** attempt));
    }
  }
}
