import { LIMITS } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import type { RoomRecord, StoredRoomKind } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

/** Channels and groups (DMs are conversations; the lobby has no record). */
export interface RoomDoc {
  _id: string;
  kind: StoredRoomKind;
  /** Channels only. */
  name?: string;
  /**
   * What names are unique under, within `nameScope`: a channel's `channelNameKey(name)`; a group's
   * own id. Every document needs a distinct value because a unique index counts absent fields as
   * null (and FerretDB 1.x has neither partial indexes nor sparse ones: it accepts `sparse` and
   * ignores it), so groups without a key would all collide.
   */
  nameKey: string;
  /** `channel` for both kinds of channel (they share one name space), `group` for groups. */
  nameScope: 'channel' | 'group';
  topic: string;
  memberSet: string[];
  createdBy: string;
  createdAt: Date;
}

const roomSchema = new Schema<RoomDoc>(
  {
    _id: { type: String, required: true, match: /^[cg]:[0-9a-f]{24}$/ },
    kind: { type: String, required: true, enum: ['public_channel', 'private_channel', 'group'] },
    // Limits count code points; mongoose counts UTF-16 units, and a code point takes at most two.
    name: { type: String, minlength: 1, maxlength: LIMITS.channelNameMaxLength * 2 },
    // Lower-casing can lengthen a string (İ becomes i̇), hence the larger bound.
    nameKey: { type: String, required: true, minlength: 1, maxlength: LIMITS.channelNameMaxLength * 4 },
    nameScope: { type: String, required: true, enum: ['channel', 'group'] },
    topic: { type: String, default: '', maxlength: LIMITS.topicMaxLength * 2 },
    memberSet: { type: [objectIdHexType], default: undefined },
    createdBy: objectIdHexType,
    createdAt: { type: Date, required: true },
  },
  { collection: 'rooms', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// The name guarantee: two channels, public or private, can never share a name in any letter case.
roomSchema.index({ nameScope: 1, nameKey: 1 }, { unique: true });
// The channel directory: public channels by name key.
roomSchema.index({ kind: 1, nameKey: 1 });

export function roomModel(connection: Connection) {
  return connection.model<RoomDoc>('Room', roomSchema);
}

export type RoomModel = ReturnType<typeof roomModel>;

export function toRoomRecord(doc: RoomDoc): RoomRecord {
  const isGroup = doc.kind === 'group';
  return {
    id: doc._id,
    kind: doc.kind,
    name: isGroup ? null : (doc.name ?? ''),
    topic: isGroup ? '' : doc.topic,
    memberSet: isGroup ? [...(doc.memberSet ?? [])] : [],
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
  };
}
