import mongoose from 'mongoose';
import type { InvitationRecord, InvitationStore } from '../ports.js';
import { isLowerHex } from '../ids.js';
import type { AvailabilityGuard } from './availability.js';
import { insertOnce } from './driverErrors.js';
import { toInvitationRecord, type InvitationDoc, type InvitationModel, type InvitationUseDoc, type InvitationUseModel } from './invitationModel.js';

export class MongoInvitationStore implements InvitationStore {
  readonly #invitations: InvitationModel;
  readonly #uses: InvitationUseModel;
  readonly #guarded: AvailabilityGuard;

  constructor(models: { invitations: InvitationModel; invitationUses: InvitationUseModel }, guarded: AvailabilityGuard) {
    this.#invitations = models.invitations;
    this.#uses = models.invitationUses;
    this.#guarded = guarded;
  }

  create(invitation: InvitationRecord): Promise<void> {
    return this.#guarded(async () => {
      const { id, uses: _uses, ...fields } = invitation;
      await this.#invitations.create({ _id: id, ...fields, createdBy: { id: fields.createdBy.id, name: fields.createdBy.name } });
    });
  }

  find(id: string): Promise<InvitationRecord | null> {
    return this.#guarded(async () => {
      if (!isLowerHex(id)) return null;
      return this.#withUses(await this.#invitations.findById(id).lean<InvitationDoc>());
    });
  }

  findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    return this.#guarded(async () => {
      if (typeof tokenHash !== 'string') return null;
      return this.#withUses(await this.#invitations.findOne({ tokenHash }).lean<InvitationDoc>());
    });
  }

  async #withUses(doc: InvitationDoc | null): Promise<InvitationRecord | null> {
    return doc && toInvitationRecord(doc, await this.#uses.countDocuments({ invitationId: doc._id }));
  }

  list(query: { createdBy?: string; before?: string; limit: number }): Promise<InvitationRecord[]> {
    return this.#guarded(async () => {
      if (query.before !== undefined && !isLowerHex(query.before)) return [];
      // Newest first by id, which grows with time: the _id index, or ('createdBy.id', _id).
      const filter = {
        ...(query.createdBy === undefined ? {} : { 'createdBy.id': String(query.createdBy) }),
        ...(query.before === undefined ? {} : { _id: mongoose.trusted({ $lt: query.before }) }),
      };
      const docs = await this.#invitations.find(filter).sort({ _id: -1 }).limit(query.limit).lean<InvitationDoc[]>();
      if (docs.length === 0) return [];
      const uses = await this.#uses.find({ invitationId: mongoose.trusted({ $in: docs.map((d) => d._id) }) }, { invitationId: 1 }).lean<Pick<InvitationUseDoc, 'invitationId'>[]>();
      const counts = new Map<string, number>();
      for (const { invitationId } of uses) counts.set(invitationId, (counts.get(invitationId) ?? 0) + 1);
      return docs.map((doc) => toInvitationRecord(doc, counts.get(doc._id) ?? 0));
    });
  }

  revoke(id: string, at: Date): Promise<InvitationRecord | null> {
    return this.#guarded(async () => {
      if (!isLowerHex(id)) return null;
      await this.#invitations.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
      return this.#withUses(await this.#invitations.findById(id).lean<InvitationDoc>());
    });
  }

  /**
   * Tries each use not taken when it looked, lowest first, each an insert under the unique
   * `(invitationId, use)` index (see InvitationUseDoc). An insert refused means another caller took
   * that use since, so once every use seen free is refused, all are taken.
   */
  takeUse(id: string, maxUses: number, at: Date): Promise<number | null> {
    return this.#guarded(async () => {
      if (!isLowerHex(id)) return null;
      const taken = new Set((await this.#uses.find({ invitationId: id }, { use: 1 }).lean<Pick<InvitationUseDoc, 'use'>[]>()).map((d) => d.use));
      for (let use = 1; use <= maxUses; use += 1) {
        if (taken.has(use)) continue;
        if (await insertOnce(() => this.#uses.create({ invitationId: id, use, at }))) return use;
      }
      return null;
    });
  }

  releaseUse(id: string, use: number): Promise<void> {
    return this.#guarded(async () => {
      if (!isLowerHex(id) || !Number.isSafeInteger(use)) return;
      await this.#uses.deleteOne({ invitationId: id, use });
    });
  }
}
