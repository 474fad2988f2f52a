import { channelNameKey, type MemberRole } from '@confab/shared';
import mongoose from 'mongoose';
import type { MembershipRecord, NewChannel, RoomRecord, RoomStore } from '../ports.js';
import type { AvailabilityGuard } from './availability.js';
import { insertOnce, isUnavailableError } from './driverErrors.js';
import { membershipId, toMembershipRecord, type MembershipDoc, type MembershipModel } from './membershipModel.js';
import { prefixRange } from './prefixRange.js';
import { toRoomRecord, type RoomDoc, type RoomModel } from './roomModel.js';

// A rename refused by the name index is told apart from a stale write (below) by reading who
// holds the name; each retry means the channel changed meanwhile.
const MAX_UPDATE_ATTEMPTS = 5;

const isString = (value: unknown): value is string => typeof value === 'string';


/*
 * Without transactions, and without trusting any update to be isolated (FerretDB 1.x):
 *
 * Every "exactly one wins" rule rests on a unique index and an insert. A channel is inserted under
 * the unique (nameScope, nameKey) index, so of two creates of names differing only in case one is
 * refused; a group is inserted with the id derived from its set, and a refused insert means the
 * group exists, so it is read and returned (concurrent upserts of one _id fail on FerretDB,
 * hence no upsert). A membership's _id is made of its room and user, so of two concurrent adds
 * one insert is refused, and of two deletes one deletes it.
 *
 * A new channel takes two writes (the channel, then its owner's membership). A create that fails
 * between them leaves a channel without an owner, holding its name; repeating the create with the
 * same id finishes it (see createChannel).
 *
 * A rename is an update, checked by the same unique index. MongoDB reports a refused update as a
 * duplicate key; FerretDB 1.x reports it as an internal error, so after any server error the
 * store reads who holds the name. FerretDB also applies an update as an unisolated
 * read-modify-write of the whole document: two edits of one channel at the same moment can leave
 * the first's change overwritten by the second's stale copy (never a name held twice: the index
 * checks every write). MongoDB updates one document atomically.
 */
export class MongoRoomStore implements RoomStore {
  readonly #rooms: RoomModel;
  readonly #memberships: MembershipModel;
  readonly #guarded: AvailabilityGuard;

  constructor(models: { rooms: RoomModel; memberships: MembershipModel }, guarded: AvailabilityGuard) {
    this.#rooms = models.rooms;
    this.#memberships = models.memberships;
    this.#guarded = guarded;
  }

  /**
   * A repeat of a create (same id, name key and creator: a caller retrying after an error, which
   * may have stored the channel but not its owner) returns the channel and makes its creator its
   * owner. An id that belongs to another room is a caller's bug: thrown.
   */
  createChannel(channel: NewChannel): Promise<RoomRecord | 'name_taken'> {
    return this.#guarded(async () => {
      const nameKey = channelNameKey(channel.name);
      const doc: RoomDoc = {
        _id: channel.id,
        kind: channel.kind,
        name: channel.name,
        nameKey,
        nameScope: 'channel',
        topic: channel.topic,
        memberSet: [],
        createdBy: channel.createdBy,
        createdAt: channel.createdAt,
      };
      let stored = doc;
      if (!(await insertOnce(() => this.#rooms.create(doc)))) {
        const existing = await this.#rooms.findById(channel.id).lean<RoomDoc>();
        if (!existing) return 'name_taken';
        if (existing.nameScope !== 'channel' || existing.nameKey !== nameKey || existing.createdBy !== channel.createdBy) {
          throw new Error(`room id ${channel.id} is taken by another room`);
        }
        stored = existing;
      }
      await this.#insertMembership({ roomId: stored._id, userId: stored.createdBy, role: 'owner', joinedAt: stored.createdAt });
      return toRoomRecord(stored);
    });
  }

  openGroup(group: { id: string; memberSet: string[]; createdBy: string; createdAt: Date }): Promise<RoomRecord> {
    return this.#guarded(async () => {
      const doc: RoomDoc = {
        _id: group.id,
        kind: 'group',
        // Unique anyway (it is the _id), and outside the channels' name scope.
        nameKey: group.id,
        nameScope: 'group',
        topic: '',
        memberSet: [...group.memberSet],
        createdBy: group.createdBy,
        createdAt: group.createdAt,
      };
      if (await insertOnce(() => this.#rooms.create(doc))) return toRoomRecord(doc);
      const existing = await this.#rooms.findById(group.id).lean<RoomDoc>();
      if (existing?.kind !== 'group') throw new Error(`room id ${group.id} is taken by another room`);
      return toRoomRecord(existing);
    });
  }

  find(id: string): Promise<RoomRecord | null> {
    return this.#guarded(async () => {
      if (!isString(id)) return null;
      const doc = await this.#rooms.findById(id).lean<RoomDoc>();
      return doc ? toRoomRecord(doc) : null;
    });
  }

  findByName(nameKey: string): Promise<RoomRecord | null> {
    return this.#guarded(async () => {
      if (!isString(nameKey)) return null;
      const doc = await this.#rooms.findOne({ nameScope: 'channel', nameKey }).lean<RoomDoc>();
      return doc ? toRoomRecord(doc) : null;
    });
  }

  /** A range query on the name key (see prefixRange): no pattern, nothing to escape. */
  browse(query: { prefix: string; afterNameKey?: string; limit: number }): Promise<RoomRecord[]> {
    return this.#guarded(async () => {
      if (!isString(query.prefix)) return [];
      // As channelNameKey, but untrimmed: a prefix may end in what a name cannot.
      const prefix = query.prefix.normalize('NFKC').toLowerCase();
      const after = query.afterNameKey === undefined ? {} : { $gt: String(query.afterNameKey) };
      const docs = await this.#rooms
        .find({ kind: 'public_channel', nameKey: mongoose.trusted({ ...prefixRange(prefix), ...after }) })
        .sort({ nameKey: 1 })
        .limit(query.limit)
        .lean<RoomDoc[]>();
      return docs.map(toRoomRecord);
    });
  }

  /** Groups have no name or topic to set: null, as for an unknown id. */
  update(id: string, change: { name?: string; topic?: string }): Promise<RoomRecord | 'name_taken' | null> {
    return this.#guarded(async () => {
      if (!isString(id)) return null;
      const set = {
        ...(change.name === undefined ? {} : { name: String(change.name), nameKey: channelNameKey(String(change.name)) }),
        ...(change.topic === undefined ? {} : { topic: String(change.topic) }),
      };
      if (Object.keys(set).length > 0) {
        const outcome = await this.#set(id, set);
        if (outcome !== 'updated') return outcome;
      }
      const doc = await this.#rooms.findOne({ _id: id, nameScope: 'channel' }).lean<RoomDoc>();
      return doc ? toRoomRecord(doc) : null;
    });
  }

  async #set(id: string, set: Partial<Pick<RoomDoc, 'name' | 'nameKey' | 'topic'>>): Promise<'updated' | 'name_taken' | null> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { matchedCount } = await this.#rooms.updateOne({ _id: id, nameScope: 'channel' }, { $set: set }, { runValidators: true });
        return matchedCount === 0 ? null : 'updated';
      } catch (err) {
        if (isUnavailableError(err) || !(err instanceof mongoose.mongo.MongoServerError)) throw err;
        // Refused by the name index (see above): taken by another channel, or a stale copy of this
        // one was written back over a name someone has taken since; the next attempt reads afresh.
        if (set.nameKey !== undefined) {
          const holder = await this.#rooms.findOne({ nameScope: 'channel', nameKey: set.nameKey }, { _id: 1 }).lean<Pick<RoomDoc, '_id'>>();
          if (holder && holder._id !== id) return 'name_taken';
        }
        if (attempt >= MAX_UPDATE_ATTEMPTS) throw err;
      }
    }
  }

  addMember(membership: MembershipRecord): Promise<boolean> {
    return this.#guarded(() => this.#insertMembership(membership));
  }

  #insertMembership(membership: MembershipRecord): Promise<boolean> {
    const { roomId, userId, role, joinedAt } = membership;
    return insertOnce(() => this.#memberships.create({ _id: membershipId(String(roomId), String(userId)), roomId, userId, role, joinedAt }));
  }

  removeMember(roomId: string, userId: string): Promise<boolean> {
    return this.#guarded(async () => {
      if (!isString(roomId) || !isString(userId)) return false;
      const { deletedCount } = await this.#memberships.deleteOne({ _id: membershipId(roomId, userId) });
      return deletedCount === 1;
    });
  }

  setRole(roomId: string, userId: string, role: MemberRole): Promise<boolean> {
    return this.#guarded(async () => {
      if (!isString(roomId) || !isString(userId)) return false;
      const { matchedCount } = await this.#memberships.updateOne({ _id: membershipId(roomId, userId) }, { $set: { role } }, { runValidators: true });
      return matchedCount === 1;
    });
  }

  membership(roomId: string, userId: string): Promise<MembershipRecord | null> {
    return this.#guarded(async () => {
      if (!isString(roomId) || !isString(userId)) return null;
      const doc = await this.#memberships.findById(membershipId(roomId, userId)).lean<MembershipDoc>();
      return doc ? toMembershipRecord(doc) : null;
    });
  }

  members(roomId: string, query: { afterUserId?: string; limit: number }): Promise<MembershipRecord[]> {
    return this.#guarded(async () => {
      if (!isString(roomId)) return [];
      const after = query.afterUserId === undefined ? {} : { userId: mongoose.trusted({ $gt: String(query.afterUserId) }) };
      const docs = await this.#memberships.find({ roomId, ...after }).sort({ userId: 1 }).limit(query.limit).lean<MembershipDoc[]>();
      return docs.map(toMembershipRecord);
    });
  }

  earliestMember(roomId: string): Promise<MembershipRecord | null> {
    return this.#guarded(async () => {
      if (!isString(roomId)) return null;
      const doc = await this.#memberships.findOne({ roomId }).sort({ joinedAt: 1, userId: 1 }).lean<MembershipDoc>();
      return doc ? toMembershipRecord(doc) : null;
    });
  }

  memberCount(roomId: string): Promise<number> {
    return this.#guarded(async () => (isString(roomId) ? this.#memberships.countDocuments({ roomId }) : 0));
  }

  roomsOf(userId: string): Promise<MembershipRecord[]> {
    return this.#guarded(async () => {
      if (!isString(userId)) return [];
      const docs = await this.#memberships.find({ userId }).lean<MembershipDoc[]>();
      return docs.map(toMembershipRecord);
    });
  }

  countRoomsOf(userId: string): Promise<number> {
    return this.#guarded(async () => (isString(userId) ? this.#memberships.countDocuments({ userId }) : 0));
  }
}
