import { AUDIT_ACTIONS, LIMITS } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import type { AuditRecord } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

export interface AuditDoc {
  /** The entry's id (24 hex digits, made by the server: grows with time). */
  _id: string;
  at: Date;
  actor: { id: string; name: string };
  action: AuditRecord['action'];
  target: AuditRecord['target'];
  details?: Record<string, string>;
}

// Limits count code points; mongoose counts UTF-16 units, and a code point takes at most two.
const nameType = { type: String, required: true, maxlength: LIMITS.displayNameMaxLength * 2 } as const;

const auditSchema = new Schema<AuditDoc>(
  {
    _id: objectIdHexType,
    at: { type: Date, required: true },
    // Not a message's author: the command line acts as `operator`, which is no user id.
    actor: { type: new Schema({ id: { type: String, required: true, minlength: 1, maxlength: 64 }, name: nameType }, { _id: false, strict: 'throw' }), required: true },
    action: { type: String, required: true, enum: AUDIT_ACTIONS },
    target: {
      type: new Schema(
        {
          kind: { type: String, required: true, enum: ['user', 'message', 'report', 'invitation', 'settings'] },
          id: { type: String, required: true, minlength: 1, maxlength: 128 },
          label: { type: String, maxlength: 1_000, default: '' },
        },
        { _id: false, strict: 'throw' },
      ),
      required: true,
    },
    details: { type: Map, of: { type: String, maxlength: 1_000 }, default: undefined },
  },
  { collection: 'audit', strict: 'throw', strictQuery: 'throw', versionKey: false },
);

export function auditModel(connection: Connection) {
  return connection.model<AuditDoc>('Audit', auditSchema);
}

export type AuditModel = ReturnType<typeof auditModel>;

export function toAuditRecord(doc: AuditDoc): AuditRecord {
  return {
    id: doc._id,
    at: doc.at,
    actor: { id: doc.actor.id, name: doc.actor.name },
    action: doc.action,
    target: { kind: doc.target.kind, id: doc.target.id, label: doc.target.label ?? '' },
    ...(doc.details ? { details: { ...doc.details } } : {}),
  };
}
