import { Schema, type Connection } from 'mongoose';
import type { MembershipRecord } from '../ports.js';
import { objectIdHexType } from './messageModel.js';

/** One user's membership of one channel or group. */
export interface MembershipDoc {
  /**
   * `<roomId>/<userId>` ({@link membershipId}): the one document a (room, user) pair can have is
   * found by `_id`, which is also the only lookup FerretDB 1.x serves from an index.
   */
  _id: string;
  roomId: string;
  userId: string;
  role: 'owner' | 'member';
  joinedAt: Date;
}

const roomIdType = { type: String, required: true, match: /^[cg]:[0-9a-f]{24}$/ } as const;

const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true, maxlength: 64 },
    roomId: roomIdType,
    userId: objectIdHexType,
    role: { type: String, required: true, enum: ['owner', 'member'] },
    joinedAt: { type: Date, required: true },
  },
  { collection: 'memberships', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// The membership guarantee (with the _id made of both): one membership per room and user. Also
// the member list, by user id.
membershipSchema.index({ roomId: 1, userId: 1 }, { unique: true });
// Who is left to take over a channel: the earliest member.
membershipSchema.index({ roomId: 1, joinedAt: 1, userId: 1 });
// A user's rooms, and how many they are.
membershipSchema.index({ userId: 1, roomId: 1 });

export function membershipModel(connection: Connection) {
  return connection.model<MembershipDoc>('Membership', membershipSchema);
}

export type MembershipModel = ReturnType<typeof membershipModel>;

export function membershipId(roomId: string, userId: string): string {
  return `${roomId}/${userId}`;
}

export function toMembershipRecord(doc: MembershipDoc): MembershipRecord {
  return { roomId: doc.roomId, userId: doc.userId, role: doc.role, joinedAt: doc.joinedAt };
}
