import { Schema, type Connection, type Types } from 'mongoose';
import type { ConversationRecord } from '../ports.js';

/** One per DM room: what `listForUser` reads. Its `lastActivityAt` is kept up to date from the activity documents. */
export interface ConversationDoc {
  _id: string;
  memberIds: string[];
  lastActivityAt: Date;
}

/** One per recorded activity time of a room, never updated; superseded ones are deleted. */
export interface ActivityDoc {
  _id: Types.ObjectId;
  roomId: string;
  at: Date;
}

const roomIdType = { type: String, required: true, minlength: 1, maxlength: 128 } as const;

const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: roomIdType,
    memberIds: {
      type: [{ type: String, minlength: 1, maxlength: 128 }],
      validate: { validator: (ids: string[]) => ids.length === 2, message: 'memberIds must hold two ids' },
    },
    lastActivityAt: { type: Date, required: true },
  },
  { collection: 'conversations', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// A user's rooms, newest first: the listing's filter and sort.
conversationSchema.index({ memberIds: 1, lastActivityAt: -1, _id: -1 });

const activitySchema = new Schema<ActivityDoc>(
  {
    roomId: roomIdType,
    at: { type: Date, required: true },
  },
  { collection: 'conversationActivity', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
activitySchema.index({ roomId: 1, at: -1 }, { unique: true });

export function conversationModel(connection: Connection) {
  return connection.model<ConversationDoc>('Conversation', conversationSchema);
}

export function activityModel(connection: Connection) {
  return connection.model<ActivityDoc>('ConversationActivity', activitySchema);
}

export type ConversationModel = ReturnType<typeof conversationModel>;
export type ActivityModel = ReturnType<typeof activityModel>;

export function toConversationRecord(doc: ConversationDoc): ConversationRecord {
  return { roomId: doc._id, memberIds: [doc.memberIds[0]!, doc.memberIds[1]!], lastActivityAt: doc.lastActivityAt };
}
