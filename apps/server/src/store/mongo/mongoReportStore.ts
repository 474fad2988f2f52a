import type { AuthorDto } from '@confab/shared';
import mongoose from 'mongoose';
import type { ReportRecord, ReportStore } from '../ports.js';
import { isLowerHex } from '../ids.js';
import type { AvailabilityGuard } from './availability.js';
import { isDuplicateKeyError } from './driverErrors.js';
import { toReportRecord, type ReportDoc, type ReportModel } from './reportModel.js';

export class MongoReportStore implements ReportStore {
  readonly #reports: ReportModel;
  readonly #guarded: AvailabilityGuard;

  constructor(reports: ReportModel, guarded: AvailabilityGuard) {
    this.#reports = reports;
    this.#guarded = guarded;
  }

  create(report: Omit<ReportRecord, 'status' | 'resolvedBy' | 'resolvedAt'>): Promise<ReportRecord | 'duplicate'> {
    return this.#guarded(async () => {
      try {
        const doc = await this.#reports.create({
          _id: report.id,
          messageId: report.messageId,
          roomId: report.roomId,
          reporter: { id: report.reporter.id, name: report.reporter.name },
          reason: report.reason,
          createdAt: report.createdAt,
          status: 'open',
          resolvedBy: null,
          resolvedAt: null,
        });
        return toReportRecord(doc.toObject());
      } catch (err) {
        // (messageId, reporter.id) is the only unique index besides the _id the server made.
        if (isDuplicateKeyError(err)) return 'duplicate';
        throw err;
      }
    });
  }

  find(id: string): Promise<ReportRecord | null> {
    return this.#guarded(async () => {
      if (!isLowerHex(id)) return null;
      const doc = await this.#reports.findById(id).lean<ReportDoc>();
      return doc && toReportRecord(doc);
    });
  }

  list(query: { status: 'open' | 'all'; before?: string; limit: number }): Promise<ReportRecord[]> {
    return this.#guarded(async () => {
      if (query.before !== undefined && !isLowerHex(query.before)) return [];
      // Newest first by id, which grows with time: the (status, _id) index, or the _id index.
      const filter = {
        ...(query.status === 'all' ? {} : { status: 'open' as const }),
        ...(query.before === undefined ? {} : { _id: mongoose.trusted({ $lt: query.before }) }),
      };
      const docs = await this.#reports.find(filter).sort({ _id: -1 }).limit(query.limit).lean<ReportDoc[]>();
      return docs.map(toReportRecord);
    });
  }

  resolve(id: string, resolution: { status: 'dismissed' | 'removed'; by: AuthorDto; at: Date }): Promise<ReportRecord | null> {
    return this.#guarded(async () => {
      if (!isLowerHex(id)) return null;
      await this.#reports.updateOne({ _id: id, status: 'open' }, { $set: settled(resolution) }, { runValidators: true });
      const doc = await this.#reports.findById(id).lean<ReportDoc>();
      return doc && toReportRecord(doc);
    });
  }

  resolveAllOf(messageId: string, resolution: { by: AuthorDto; at: Date }): Promise<number> {
    return this.#guarded(async () => {
      if (!isLowerHex(messageId)) return 0;
      const { modifiedCount } = await this.#reports.updateMany({ messageId, status: 'open' }, { $set: settled({ status: 'removed', ...resolution }) }, { runValidators: true });
      return modifiedCount;
    });
  }
}

function settled(resolution: { status: 'dismissed' | 'removed'; by: AuthorDto; at: Date }) {
  return { status: resolution.status, resolvedBy: { id: resolution.by.id, name: resolution.by.name }, resolvedAt: resolution.at };
}
