import { LIMITS } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import type { FileClaim } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

/**
 * Which message took a file. `_id` is the file id, so the unique `_id` index (the one index every
 * server has, and an insert under a unique index the one write FerretDB 1.x makes atomic) lets
 * exactly one claim in.
 */
export interface FileClaimDoc {
  _id: string;
  authorId: string;
  clientId: string;
  roomId: string;
  messageId?: string;
  at: Date;
}

const fileClaimSchema = new Schema<FileClaimDoc>(
  {
    _id: objectIdHexType,
    authorId: objectIdHexType,
    clientId: { type: String, required: true, minlength: 1, maxlength: LIMITS.clientIdMaxLength },
    roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
    messageId: { ...objectIdHexType, required: false },
    at: { type: Date, required: true },
  },
  { collection: 'fileClaims', strict: 'throw', strictQuery: 'throw', versionKey: false },
);

export function fileClaimModel(connection: Connection) {
  return connection.model<FileClaimDoc>('FileClaim', fileClaimSchema);
}

export type FileClaimModel = ReturnType<typeof fileClaimModel>;

export function toFileClaim(doc: FileClaimDoc): FileClaim {
  return {
    fileId: doc._id,
    authorId: doc.authorId,
    clientId: doc.clientId,
    roomId: doc.roomId,
    ...(doc.messageId ? { messageId: doc.messageId } : {}),
    at: new Date(doc.at),
  };
}
