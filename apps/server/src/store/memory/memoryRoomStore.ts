import { channelNameKey, type MemberRole } from '@confab/shared';
import type { MembershipRecord, NewChannel, RoomRecord, RoomStore } from '../ports.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

/** A room store's whole state, as `saved()` returns it. */
export interface SavedRooms {
  records: readonly RoomRecord[];
  memberships: readonly MembershipRecord[];
}

function copyRoom(room: RoomRecord): RoomRecord {
  return { ...room, memberSet: [...room.memberSet], createdAt: new Date(room.createdAt) };
}

function copyMembership(membership: MembershipRecord): MembershipRecord {
  return { ...membership, joinedAt: new Date(membership.joinedAt) };
}

/**
 * Orders strings by code point, as MongoDB compares strings without a collation (UTF-8 bytes);
 * JavaScript's `<` compares UTF-16 units, which puts U+E000–U+FFFF after astral characters.
 */
function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The key a browse prefix is compared with: as `channelNameKey`, but untrimmed, since a prefix may end in what a name cannot. */
function prefixKey(prefix: string): string {
  return prefix.normalize('NFKC').toLowerCase();
}

const byJoinedThenUser = (a: MembershipRecord, b: MembershipRecord) =>
  a.joinedAt.getTime() - b.joinedAt.getTime() || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * Channels, groups and their memberships in this process's memory. Every method changes state
 * before its first await, so concurrent calls are serialised and the uniqueness rules
 * (name keys, one membership per room and user) hold without locks.
 */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<string, RoomRecord>();
  /** Channels only: name key → room id. Groups have no name and never enter it. */
  readonly #idByNameKey = new Map<string, string>();
  /** room id → user id → membership; the same objects as in #membershipsByUser. */
  readonly #members = new Map<string, Map<string, MembershipRecord>>();
  readonly #membershipsByUser = new Map<string, Map<string, MembershipRecord>>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<SavedRooms> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const room of options.saved?.records ?? []) {
      if (this.#rooms.has(room.id)) throw new Error(`room ${room.id} appears twice`);
      if (room.kind !== 'group') {
        const key = channelNameKey(room.name ?? '');
        if (this.#idByNameKey.has(key)) throw new Error(`channel name ${room.name} (${room.id}) is taken twice`);
        this.#idByNameKey.set(key, room.id);
      }
      this.#rooms.set(room.id, copyRoom(room));
    }
    for (const membership of options.saved?.memberships ?? []) {
      if (!this.#insertMembership(copyMembership(membership))) throw new Error(`membership of ${membership.userId} in ${membership.roomId} appears twice`);
    }
  }

  /** Every room and membership, for writing out; read it before the next await. */
  saved(): SavedRooms {
    return {
      records: [...this.#rooms.values()],
      memberships: [...this.#members.values()].flatMap((members) => [...members.values()]),
    };
  }

  /**
   * As in the MongoDB store, where a create can fail between its two writes: a repeat of a create
   * (same id, name key and creator) returns the channel and makes its creator its owner. An id
   * that belongs to another room is a caller's bug: thrown.
   */
  async createChannel(channel: NewChannel): Promise<RoomRecord | 'name_taken'> {
    const key = channelNameKey(channel.name);
    const existing = this.#rooms.get(channel.id);
    if (existing) {
      if (existing.kind === 'group' || channelNameKey(existing.name ?? '') !== key || existing.createdBy !== channel.createdBy) {
        throw new Error(`room id ${channel.id} is taken by another room`);
      }
      this.#addOwner(existing);
      return copyRoom(existing);
    }
    if (this.#idByNameKey.has(key)) return 'name_taken';
    const room: RoomRecord = {
      id: channel.id,
      kind: channel.kind,
      name: channel.name,
      topic: channel.topic,
      memberSet: [],
      createdBy: channel.createdBy,
      createdAt: new Date(channel.createdAt),
    };
    this.#rooms.set(room.id, room);
    this.#idByNameKey.set(key, room.id);
    this.#addOwner(room);
    this.#onChange();
    return copyRoom(room);
  }

  #addOwner(room: RoomRecord): void {
    if (this.#insertMembership({ roomId: room.id, userId: room.createdBy, role: 'owner', joinedAt: new Date(room.createdAt) })) this.#onChange();
  }

  async openGroup(group: { id: string; memberSet: string[]; createdBy: string; createdAt: Date }): Promise<RoomRecord> {
    const existing = this.#rooms.get(group.id);
    if (existing && existing.kind !== 'group') throw new Error(`room id ${group.id} is taken by another room`);
    if (existing) return copyRoom(existing);
    const room: RoomRecord = {
      id: group.id,
      kind: 'group',
      name: null,
      topic: '',
      memberSet: [...group.memberSet],
      createdBy: group.createdBy,
      createdAt: new Date(group.createdAt),
    };
    this.#rooms.set(room.id, room);
    this.#onChange();
    return copyRoom(room);
  }

  async find(id: string): Promise<RoomRecord | null> {
    const room = this.#rooms.get(id);
    return room ? copyRoom(room) : null;
  }

  async findByName(nameKey: string): Promise<RoomRecord | null> {
    const id = this.#idByNameKey.get(nameKey);
    return id === undefined ? null : this.find(id);
  }

  async browse(query: { prefix: string; afterNameKey?: string; limit: number }): Promise<RoomRecord[]> {
    const prefix = prefixKey(String(query.prefix));
    const after = query.afterNameKey;
    return [...this.#idByNameKey.entries()]
      .filter(([key]) => key.startsWith(prefix) && (after === undefined || compareCodePoints(key, after) > 0))
      .map(([key, id]) => ({ key, room: this.#rooms.get(id)! }))
      .filter(({ room }) => room.kind === 'public_channel')
      .sort((a, b) => compareCodePoints(a.key, b.key))
      .slice(0, query.limit)
      .map(({ room }) => copyRoom(room));
  }

  /** Groups have no name or topic to set: null, as for an unknown id. */
  async update(id: string, change: { name?: string; topic?: string }): Promise<RoomRecord | 'name_taken' | null> {
    const room = this.#rooms.get(id);
    if (!room || room.kind === 'group') return null;
    if (change.name !== undefined) {
      const oldKey = channelNameKey(room.name ?? '');
      const newKey = channelNameKey(change.name);
      const holder = this.#idByNameKey.get(newKey);
      if (holder !== undefined && holder !== id) return 'name_taken';
      this.#idByNameKey.delete(oldKey);
      this.#idByNameKey.set(newKey, id);
      room.name = change.name;
    }
    if (change.topic !== undefined) room.topic = change.topic;
    if (change.name !== undefined || change.topic !== undefined) this.#onChange();
    return copyRoom(room);
  }

  async addMember(membership: MembershipRecord): Promise<boolean> {
    const isAdded = this.#insertMembership(copyMembership(membership));
    if (isAdded) this.#onChange();
    return isAdded;
  }

  #insertMembership(membership: MembershipRecord): boolean {
    let members = this.#members.get(membership.roomId);
    if (members?.has(membership.userId)) return false;
    if (!members) {
      members = new Map();
      this.#members.set(membership.roomId, members);
    }
    members.set(membership.userId, membership);
    let rooms = this.#membershipsByUser.get(membership.userId);
    if (!rooms) {
      rooms = new Map();
      this.#membershipsByUser.set(membership.userId, rooms);
    }
    rooms.set(membership.roomId, membership);
    return true;
  }

  async removeMember(roomId: string, userId: string): Promise<boolean> {
    const members = this.#members.get(roomId);
    if (!members?.delete(userId)) return false;
    if (members.size === 0) this.#members.delete(roomId);
    const rooms = this.#membershipsByUser.get(userId)!;
    rooms.delete(roomId);
    if (rooms.size === 0) this.#membershipsByUser.delete(userId);
    this.#onChange();
    return true;
  }

  async setRole(roomId: string, userId: string, role: MemberRole): Promise<boolean> {
    const membership = this.#members.get(roomId)?.get(userId);
    if (!membership) return false;
    if (membership.role !== role) {
      membership.role = role;
      this.#onChange();
    }
    return true;
  }

  async membership(roomId: string, userId: string): Promise<MembershipRecord | null> {
    const membership = this.#members.get(roomId)?.get(userId);
    return membership ? copyMembership(membership) : null;
  }

  async members(roomId: string, query: { afterUserId?: string; limit: number }): Promise<MembershipRecord[]> {
    const after = query.afterUserId;
    return [...(this.#members.get(roomId)?.values() ?? [])]
      .filter((m) => after === undefined || m.userId > after)
      .sort((a, b) => (a.userId < b.userId ? -1 : 1))
      .slice(0, query.limit)
      .map(copyMembership);
  }

  async earliestMember(roomId: string): Promise<MembershipRecord | null> {
    const [earliest] = [...(this.#members.get(roomId)?.values() ?? [])].sort(byJoinedThenUser);
    return earliest ? copyMembership(earliest) : null;
  }

  async memberCount(roomId: string): Promise<number> {
    return this.#members.get(roomId)?.size ?? 0;
  }

  async roomsOf(userId: string): Promise<MembershipRecord[]> {
    return [...(this.#membershipsByUser.get(userId)?.values() ?? [])].map(copyMembership);
  }

  async countRoomsOf(userId: string): Promise<number> {
    return this.#membershipsByUser.get(userId)?.size ?? 0;
  }
}
