import { LIMITS } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import { isLowerHex } from '../ids.js';
import type { InvitationRecord } from '../ports.js';
import { authorSchema, objectIdHexType } from './messageModel.js';

/** An invitation as stored; its uses are documents of their own (InvitationUseDoc). */
export interface InvitationDoc {
  /** The invitation's id (24 hex digits, made by the server). */
  _id: string;
  tokenHash: string;
  createdBy: { id: string; name: string };
  createdAt: Date;
  expiresAt: Date;
  maxUses: number;
  revokedAt: Date | null;
}

const invitationSchema = new Schema<InvitationDoc>(
  {
    _id: objectIdHexType,
    tokenHash: { type: String, required: true, validate: { validator: (hash: string) => isLowerHex(hash, 64), message: 'tokenHash must be a hex SHA-256' } },
    createdBy: { type: authorSchema, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    maxUses: { type: Number, required: true, min: 1, max: LIMITS.invitationUsesMax, validate: { validator: Number.isSafeInteger, message: 'maxUses must be an integer' } },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'invitations', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// A link is looked up by its token's hash.
invitationSchema.index({ tokenHash: 1 }, { unique: true });
// A member lists their own, newest first.
invitationSchema.index({ 'createdBy.id': 1, _id: 1 });

export function invitationModel(connection: Connection) {
  return connection.model<InvitationDoc>('Invitation', invitationSchema);
}

export type InvitationModel = ReturnType<typeof invitationModel>;

/**
 * One taken use of an invitation. The unique `(invitationId, use)` index is what bounds the uses:
 * a use is taken by inserting its number (1…maxUses), an insert under a unique index being the one
 * write both MongoDB and FerretDB 1.x make atomic, so concurrent registrations on any number of
 * servers never take more than `maxUses` in all. Counting them is what `uses` says.
 */
export interface InvitationUseDoc {
  invitationId: string;
  use: number;
  at: Date;
}

const invitationUseSchema = new Schema<InvitationUseDoc>(
  {
    invitationId: objectIdHexType,
    use: { type: Number, required: true, min: 1, max: LIMITS.invitationUsesMax, validate: { validator: Number.isSafeInteger, message: 'use must be an integer' } },
    at: { type: Date, required: true },
  },
  { collection: 'invitationUses', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
invitationUseSchema.index({ invitationId: 1, use: 1 }, { unique: true });

export function invitationUseModel(connection: Connection) {
  return connection.model<InvitationUseDoc>('InvitationUse', invitationUseSchema);
}

export type InvitationUseModel = ReturnType<typeof invitationUseModel>;

export function toInvitationRecord(doc: InvitationDoc, uses: number): InvitationRecord {
  return {
    id: doc._id,
    tokenHash: doc.tokenHash,
    createdBy: { id: doc.createdBy.id, name: doc.createdBy.name },
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    maxUses: doc.maxUses,
    revokedAt: doc.revokedAt ?? null,
    uses,
  };
}
