import type { SessionRecord, SessionStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { toSessionRecord, type SessionDoc, type SessionModel } from './sessionModel.js';

export class MongoSessionStore implements SessionStore {
  readonly #sessions: SessionModel;
  readonly #guarded: AvailabilityGuard;

  constructor(sessions: SessionModel, guarded: AvailabilityGuard) {
    this.#sessions = sessions;
    this.#guarded = guarded;
  }

  create(session: SessionRecord): Promise<void> {
    return this.#guarded(async () => {
      await this.#sessions.create({ _id: session.id, userId: session.userId, expiresAt: session.expiresAt, credential: session.credential });
    });
  }

  findActive(id: string, now: Date): Promise<SessionRecord | null> {
    return this.#guarded(async () => {
      const doc = await this.#sessions.findById(id).lean<SessionDoc>();
      if (!doc) return null;
      if (doc.expiresAt <= now) {
        // Where the server has no TTL index (FerretDB), this is how expired sessions go away.
        await this.#sessions.deleteOne({ _id: id });
        return null;
      }
      return toSessionRecord(doc);
    });
  }

  revoke(id: string): Promise<void> {
    return this.#guarded(async () => {
      await this.#sessions.deleteOne({ _id: id });
    });
  }

  revokeAllForUser(userId: string): Promise<number> {
    return this.#guarded(async () => {
      const { deletedCount } = await this.#sessions.deleteMany({ userId: String(userId) });
      return deletedCount;
    });
  }
}
