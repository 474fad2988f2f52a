import mongoose from 'mongoose';
import type { AuditRecord, AuditStore } from '../ports.js';
import { isLowerHex } from '../ids.js';
import type { AvailabilityGuard } from './availability.js';
import { toAuditRecord, type AuditDoc, type AuditModel } from './auditModel.js';

export class MongoAuditStore implements AuditStore {
  readonly #audit: AuditModel;
  readonly #guarded: AvailabilityGuard;

  constructor(audit: AuditModel, guarded: AvailabilityGuard) {
    this.#audit = audit;
    this.#guarded = guarded;
  }

  append(entry: AuditRecord): Promise<void> {
    return this.#guarded(async () => {
      await this.#audit.create({
        _id: entry.id,
        at: entry.at,
        actor: { id: entry.actor.id, name: entry.actor.name },
        action: entry.action,
        target: { kind: entry.target.kind, id: entry.target.id, label: entry.target.label },
        ...(entry.details ? { details: entry.details } : {}),
      });
    });
  }

  list(query: { before?: string; limit: number }): Promise<AuditRecord[]> {
    return this.#guarded(async () => {
      if (query.before !== undefined && !isLowerHex(query.before)) return [];
      // Newest first by id, which grows with time: a walk of the _id index.
      const filter = query.before === undefined ? {} : { _id: mongoose.trusted({ $lt: query.before }) };
      const docs = await this.#audit.find(filter).sort({ _id: -1 }).limit(query.limit).lean<AuditDoc[]>();
      return docs.map(toAuditRecord);
    });
  }
}
