import { LIMITS } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import type { ReportRecord } from '../ports.js';
import { authorSchema, objectIdHexType } from './messageModel.js';

export interface ReportDoc {
  /** The report's id (24 hex digits, made by the server: grows with time). */
  _id: string;
  messageId: string;
  roomId: string;
  reporter: { id: string; name: string };
  reason: string;
  createdAt: Date;
  status: ReportRecord['status'];
  resolvedBy: { id: string; name: string } | null;
  resolvedAt: Date | null;
}

const reportSchema = new Schema<ReportDoc>(
  {
    _id: objectIdHexType,
    messageId: objectIdHexType,
    roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
    reporter: { type: authorSchema, required: true },
    // May be empty, so not `required` (which refuses ''); a code point takes at most two UTF-16 units.
    reason: { type: String, default: '', maxlength: LIMITS.reportReasonMaxLength * 2 },
    createdAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ['open', 'dismissed', 'removed'] },
    resolvedBy: { type: authorSchema, default: null },
    resolvedAt: { type: Date, default: null },
  },
  { collection: 'reports', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// One report per reporter and message (a second is `duplicate`); a removal resolves all of a message's.
reportSchema.index({ messageId: 1, 'reporter.id': 1 }, { unique: true });
// The queue: open reports, newest first.
reportSchema.index({ status: 1, _id: 1 });

export function reportModel(connection: Connection) {
  return connection.model<ReportDoc>('Report', reportSchema);
}

export type ReportModel = ReturnType<typeof reportModel>;

export function toReportRecord(doc: ReportDoc): ReportRecord {
  return {
    id: doc._id,
    messageId: doc.messageId,
    roomId: doc.roomId,
    reporter: { id: doc.reporter.id, name: doc.reporter.name },
    reason: doc.reason ?? '',
    createdAt: doc.createdAt,
    status: doc.status,
    resolvedBy: doc.resolvedBy ? { id: doc.resolvedBy.id, name: doc.resolvedBy.name } : null,
    resolvedAt: doc.resolvedAt ?? null,
  };
}
