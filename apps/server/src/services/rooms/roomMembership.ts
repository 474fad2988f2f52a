import {
  LOBBY_ROOM_ID,
  channelNameKey,
  dmParticipants,
  fail,
  ok,
  textLength,
  type Ack,
  type AckError,
  type ChannelPage,
  type MemberPage,
  type MemberRole,
  type RoomDto,
  type RoomSummaryDto,
  type UserDto,
} from '@confab/shared';
import type { z } from 'zod';
import type {
  channelBrowseSchema,
  channelCreateSchema,
  channelEditSchema,
  groupOpenSchema,
  roomInviteSchema,
  roomMembersSchema,
  roomRemoveSchema,
} from '@confab/shared';
import { newObjectIdHex } from '../../store/ids.js';
import type { Logger } from '../../logger.js';
import type { RoomRecord, Stores } from '../../store/ports.js';
import type { Admit, MessageService } from '../messageService.js';
import { groupRoomId } from './groupId.js';
import type { RoomAccessCheck } from './roomAccess.js';
import type { RoomEffects } from './roomEffects.js';
import { NOT_A_MEMBER } from './refusals.js';
import type { RoomViews } from './roomViews.js';

type Refusal = { ok: false; error: AckError };
const admitAll: Admit = async () => null;
/** Takes `count` invitation points from the caller's rate limit: a refusal, or null to go on. */
export type AdmitInvites = (count: number) => Promise<Refusal | null>;

export interface RoomLimits {
  /** Channels and groups one user may be a member of. */
  roomsPerUserMax: number;
  /** Most people in a group, the opener included. */
  groupMembersMax: number;
  /** Longest channel name, in code points. */
  channelNameMaxLength: number;
}

// Summaries of a user's rooms are built this many at a time: a user in hundreds of rooms must not
// put hundreds of store reads in flight at once.
const LIST_CONCURRENCY = 16;

const isChannel = (record: RoomRecord | null): record is RoomRecord => record?.kind === 'public_channel' || record?.kind === 'private_channel';

/**
 * Channels and groups: creating, finding, joining, leaving, inviting, removing, renaming, and
 * each member's list of rooms. Every change to a room is recorded in its stream first-hand (a
 * `joined` entry and so on), then its effect on sockets is asked of the transport.
 */
export function createRoomMembership(deps: {
  stores: Pick<Stores, 'rooms' | 'users' | 'conversations' | 'messages' | 'notifySettings'>;
  messages: MessageService;
  access: RoomAccessCheck;
  views: RoomViews;
  effects: RoomEffects;
  findUser: (id: string) => Promise<UserDto | null>;
  now: () => Date;
  logger: Pick<Logger, 'warn'>;
  limits: RoomLimits;
}) {
  const { rooms } = deps.stores;
  const { access, views, effects, limits } = deps;

  function tooLong(name: string | undefined): Refusal | null {
    if (name === undefined || textLength(name) <= limits.channelNameMaxLength) return null;
    return fail('invalid_payload', `name: name must be at most ${limits.channelNameMaxLength} characters`, { field: 'name' });
  }

  /** Refuses when any of `users` is in as many rooms as the server allows. */
  async function roomLimitFor(users: readonly UserDto[], me: UserDto): Promise<Refusal | null> {
    const counts = await Promise.all(users.map((u) => rooms.countRoomsOf(u.id)));
    const full = users.find((_, i) => counts[i]! >= limits.roomsPerUserMax);
    if (!full) return null;
    return fail(
      'limit_reached',
      full.id === me.id
        ? `You are in ${limits.roomsPerUserMax} channels and groups, the most this server allows; leave one first.`
        : `${full.displayName} is in ${limits.roomsPerUserMax} channels and groups, the most this server allows.`,
    );
  }

  /** Records an event entry and delivers it to the room's members; answers its seq. */
  async function announce(actor: UserDto, record: RoomRecord, event: Parameters<MessageService['recordEvent']>[2]): Promise<number> {
    const entry = await deps.messages.recordEvent(actor, record.id, event);
    effects.deliver(entry, record.kind, {});
    return entry.seq;
  }

  /**
   * A group is named by its members, so when they change every member hears the new summary
   * (at most GROUP_MEMBERS_MAX of them); channels' members learn of changes from the entries.
   */
  async function retellGroup(record: RoomRecord, except: string | null = null): Promise<void> {
    const memberships = await rooms.members(record.id, { limit: limits.groupMembersMax });
    for (const { userId } of memberships) {
      if (userId === except) continue;
      const member = await deps.findUser(userId);
      if (member) effects.notifyUpdate(userId, await views.summary(member, record, 'member'));
    }
  }

  /** A newcomer has read everything up to their arrival, as in Slack: only what follows is unread. */
  async function readUpTo(roomId: string, userId: string, seq: number): Promise<void> {
    if (seq > 0) await deps.stores.conversations.markRead(roomId, userId, seq);
  }

  async function create(user: UserDto, input: z.output<typeof channelCreateSchema>, admitCreate: Admit = admitAll): Promise<Ack<RoomSummaryDto>> {
    const refused = tooLong(input.name) ?? (await roomLimitFor([user], user)) ?? (await admitCreate());
    if (refused) return refused;
    const kind = input.private ? 'private_channel' : 'public_channel';
    const channel = { id: `c:${newObjectIdHex()}`, kind, name: input.name, topic: input.topic, createdBy: user.id, createdAt: deps.now() } as const;
    let created = await rooms.createChannel(channel);
    if (created === 'name_taken') {
      // The caller's own earlier create that failed between its two writes (the channel, then its
      // owner's membership) holds the name with nobody in it: a retry finishes that one.
      const unfinished = await rooms.findByName(channelNameKey(input.name));
      if (unfinished?.createdBy === user.id && unfinished.kind === kind && (await rooms.memberCount(unfinished.id)) === 0) {
        created = await rooms.createChannel({ ...channel, id: unfinished.id, createdAt: unfinished.createdAt });
      }
    }
    if (created === 'name_taken') return fail('name_taken', `A channel named "${input.name}" exists already.`, { field: 'name' });
    effects.addSockets(user.id, created.id);
    await readUpTo(created.id, user.id, await announce(user, created, { type: 'created', name: input.name, topic: input.topic }));
    const summary = await views.summary(user, created, 'owner');
    effects.notifyUpdate(user.id, summary);
    return ok(summary);
  }

  async function browse(user: UserDto, input: z.output<typeof channelBrowseSchema>): Promise<Ack<ChannelPage>> {
    const found = await rooms.browse({ prefix: channelNameKey(input.query), afterNameKey: input.cursor, limit: input.limit + 1 });
    const page = found.slice(0, input.limit);
    const channels = await Promise.all(
      page.map(async (record) => {
        const [memberCount, membership] = await Promise.all([rooms.memberCount(record.id), rooms.membership(record.id, user.id)]);
        return { id: record.id, name: record.name ?? '', topic: record.topic, memberCount, joined: membership !== null };
      }),
    );
    const last = page.at(-1);
    return ok({ channels, ...(found.length > input.limit && last ? { nextCursor: channelNameKey(last.name ?? '') } : {}) });
  }

  async function join(user: UserDto, roomId: string): Promise<Ack<RoomSummaryDto>> {
    const record = roomId.startsWith('c:') ? await rooms.find(roomId) : null;
    // A private channel is answered like a missing one: its existence is not the caller's to learn.
    if (record?.kind !== 'public_channel') return NOT_A_MEMBER;
    const existing = await rooms.membership(roomId, user.id);
    // Whoever joins a channel everyone left owns it, or nobody could ever rename it or remove anyone.
    let role: MemberRole = existing?.role ?? 'member';
    if (!existing) {
      const refused = await roomLimitFor([user], user);
      if (refused) return refused;
      if ((await rooms.memberCount(roomId)) === 0) role = 'owner';
      if (await rooms.addMember({ roomId, userId: user.id, role, joinedAt: deps.now() })) {
        effects.addSockets(user.id, roomId);
        await readUpTo(roomId, user.id, await announce(user, record, { type: 'joined' }));
      }
    }
    const summary = await views.summary(user, record, role);
    effects.notifyUpdate(user.id, summary);
    return ok(summary);
  }

  async function leave(user: UserDto, roomId: string): Promise<Ack<null>> {
    if (roomId === LOBBY_ROOM_ID || dmParticipants(roomId)) return fail('forbidden', 'The lobby and direct messages cannot be left.');
    const room = await access.asMember(user, roomId);
    if (!room?.record) return NOT_A_MEMBER;
    if (!(await rooms.removeMember(roomId, user.id))) return ok(null);
    await forgetSetting(user.id, roomId);
    effects.removeSockets(user.id, roomId);
    effects.notifyRemoved(user.id, { roomId, reason: 'left' });
    await announce(user, room.record, { type: 'left' });
    if (room.role === 'owner') await handOver(room.record);
    if (room.record.kind === 'group') await retellGroup(room.record);
    return ok(null);
  }

  /**
   * Whoever leaves a room or is removed from it loses their notification setting for it: a rejoin
   * starts from the default, and settings stay bounded by the rooms a user is in. The membership
   * is gone already, so a failure is logged, not answered; the setting it leaves behind is harmless.
   */
  async function forgetSetting(userId: string, roomId: string): Promise<void> {
    try {
      await deps.stores.notifySettings.remove(userId, roomId);
    } catch (err) {
      deps.logger.warn({ err, roomId, userId }, 'could not remove the notification setting of a room left');
    }
  }

  /** The owner left: the member who joined earliest owns the channel from now on. */
  async function handOver(record: RoomRecord): Promise<void> {
    const heir = await rooms.earliestMember(record.id);
    if (!heir || !(await rooms.setRole(record.id, heir.userId, 'owner'))) return;
    const user = await deps.findUser(heir.userId);
    if (user) effects.notifyUpdate(user.id, await views.summary(user, record, 'owner'));
  }

  async function invite(user: UserDto, input: z.output<typeof roomInviteSchema>, admitInvites: AdmitInvites): Promise<Ack<RoomDto>> {
    const room = await access.asMember(user, input.roomId);
    if (!room) return NOT_A_MEMBER;
    if (!isChannel(room.record)) return fail('forbidden', 'People can be invited only to channels; open a new group for another set of people.');
    const record = room.record;
    if (record.kind === 'private_channel' && room.role !== 'owner') return fail('forbidden', "Only the channel's owner can invite people to a private channel.");
    const invitees = await Promise.all(input.userIds.map((id) => deps.findUser(id)));
    const missing = invitees.findIndex((u) => u === null);
    if (missing >= 0) return fail('not_found', `There is no user with id ${input.userIds[missing]}; nobody was added.`, { field: `userIds.${missing}` });
    const memberships = await Promise.all(input.userIds.map((id) => rooms.membership(record.id, id)));
    const newcomers = (invitees as UserDto[]).filter((_, i) => memberships[i] === null);
    if (newcomers.length > 0) {
      const refused = (await roomLimitFor(newcomers, user)) ?? (await admitInvites(newcomers.length));
      if (refused) return refused;
    }
    for (const newcomer of newcomers) {
      if (!(await rooms.addMember({ roomId: record.id, userId: newcomer.id, role: 'member', joinedAt: deps.now() }))) continue;
      effects.addSockets(newcomer.id, record.id);
      await readUpTo(record.id, newcomer.id, await announce(user, record, { type: 'added', user: { id: newcomer.id, name: newcomer.displayName } }));
      effects.notifyUpdate(newcomer.id, await views.summary(newcomer, record, 'member'));
    }
    return ok(await views.roomDto(record, room.role));
  }

  async function remove(user: UserDto, input: z.output<typeof roomRemoveSchema>): Promise<Ack<null>> {
    const room = await access.asMember(user, input.roomId);
    if (!room) return NOT_A_MEMBER;
    if (!isChannel(room.record)) return fail('forbidden', 'People can be removed only from channels.');
    if (room.role !== 'owner') return fail('forbidden', "Only the channel's owner can remove people.");
    if (input.userId === user.id) return fail('invalid_payload', 'userId: to take yourself out, leave the channel.', { field: 'userId' });
    const target = await deps.findUser(input.userId);
    if (!target || !(await rooms.membership(room.roomId, target.id))) return fail('not_found', 'They are not a member of this channel.', { field: 'userId' });
    if (!(await rooms.removeMember(room.roomId, target.id))) return ok(null);
    await forgetSetting(target.id, room.roomId);
    effects.removeSockets(target.id, room.roomId);
    effects.notifyRemoved(target.id, { roomId: room.roomId, reason: 'removed' });
    await announce(user, room.record, { type: 'removed', user: { id: target.id, name: target.displayName } });
    return ok(null);
  }

  async function edit(user: UserDto, input: z.output<typeof channelEditSchema>): Promise<Ack<RoomDto>> {
    const room = await access.asMember(user, input.roomId);
    if (!room) return NOT_A_MEMBER;
    if (!isChannel(room.record)) return fail('forbidden', 'Only channels have a name and a topic.');
    if (input.name !== undefined && room.role !== 'owner') return fail('forbidden', "Only the channel's owner can rename it.");
    const refused = tooLong(input.name);
    if (refused) return refused;
    const before = room.record;
    const updated = await rooms.update(room.roomId, { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.topic !== undefined ? { topic: input.topic } : {}) });
    if (updated === 'name_taken') return fail('name_taken', `A channel named "${input.name}" exists already.`, { field: 'name' });
    if (!updated) return NOT_A_MEMBER;
    if (input.name !== undefined && input.name !== before.name) await announce(user, updated, { type: 'renamed', name: input.name });
    if (input.topic !== undefined && input.topic !== before.topic) await announce(user, updated, { type: 'topic', topic: input.topic });
    return ok(await views.roomDto(updated, room.role));
  }

  async function openGroup(user: UserDto, input: z.output<typeof groupOpenSchema>, admitInvites: AdmitInvites = async () => null): Promise<Ack<RoomSummaryDto>> {
    const ids = [...new Set([user.id, ...input.userIds])].sort();
    if (ids.length < 3) return fail('invalid_payload', 'userIds: a group needs at least 3 people, you included; for two, open a DM.', { field: 'userIds' });
    if (ids.length > limits.groupMembersMax) return fail('limit_reached', `A group holds at most ${limits.groupMembersMax} people, you included.`);
    const people = await Promise.all(ids.map((id) => (id === user.id ? user : deps.findUser(id))));
    const missing = people.findIndex((u) => u === null);
    if (missing >= 0) return fail('not_found', `There is no user with id ${ids[missing]}.`, { field: 'userIds' });
    const id = groupRoomId(ids);
    const memberships = await Promise.all(ids.map((memberId) => rooms.membership(id, memberId)));
    const newcomers = (people as UserDto[]).filter((_, i) => memberships[i] === null);
    // Putting others in a group spends the caller's invitations, as inviting them to a channel does:
    // nobody can fill someone's rooms-per-user allowance with groups faster than that.
    const others = newcomers.filter((u) => u.id !== user.id).length;
    const refused = newcomers.length > 0 ? ((await roomLimitFor(newcomers, user)) ?? (others > 0 ? await admitInvites(others) : null)) : null;
    if (refused) return refused;
    const record = await rooms.openGroup({ id, memberSet: ids, createdBy: user.id, createdAt: deps.now() });
    // Someone of the set who had left is added back. No entry says so: an open racing another
    // one on a second instance cannot tell a first open from a return, and would record people
    // as added who never left. The members learn it from `room:update`, which lists them all.
    let added = 0;
    for (const newcomer of newcomers) {
      if (!(await rooms.addMember({ roomId: id, userId: newcomer.id, role: 'member', joinedAt: deps.now() }))) continue;
      effects.addSockets(newcomer.id, id);
      await readUpTo(id, newcomer.id, (await deps.stores.messages.newest(id))?.seq ?? 0);
      added += 1;
    }
    // Told once everyone is in, so that each summary lists every member.
    if (added > 0) await retellGroup(record, user.id);
    const summary = await views.summary(user, record, 'member');
    effects.notifyUpdate(user.id, summary);
    return ok(summary);
  }

  async function members(user: UserDto, input: z.output<typeof roomMembersSchema>): Promise<Ack<MemberPage>> {
    const room = await access.asMember(user, input.roomId);
    if (!room) return NOT_A_MEMBER;
    if (room.kind === 'lobby') {
      const found = await deps.stores.users.search({ prefix: '', afterUsername: input.cursor, limit: input.limit + 1 });
      const page = found.slice(0, input.limit).map((u) => ({ user: { id: u.id, username: u.username, displayName: u.displayName }, role: 'member' as const }));
      const last = page.at(-1);
      return ok({ members: page, ...(found.length > input.limit && last ? { nextCursor: last.user.username.toLowerCase() } : {}) });
    }
    if (room.dmMembers) {
      const people = await Promise.all([...new Set(room.dmMembers)].map((id) => deps.findUser(id)));
      return ok({ members: people.filter((u): u is UserDto => u !== null).map((u) => ({ user: u, role: 'member' as const })) });
    }
    if (input.cursor !== undefined && !/^[0-9a-f]{24}$/.test(input.cursor)) return fail('invalid_payload', 'cursor is not one this server issued.', { field: 'cursor' });
    const found = await rooms.members(room.roomId, { ...(input.cursor ? { afterUserId: input.cursor } : {}), limit: input.limit + 1 });
    const page = found.slice(0, input.limit);
    const people = await Promise.all(page.map((m) => deps.findUser(m.userId)));
    const last = page.at(-1);
    return ok({
      members: page.flatMap((m, i) => (people[i] ? [{ user: people[i], role: m.role }] : [])),
      ...(found.length > input.limit && last ? { nextCursor: last.userId } : {}),
    });
  }

  /** The lobby, then every channel and group the user is in, each with its newest entry and unread count. */
  async function list(user: UserDto): Promise<Ack<{ rooms: RoomSummaryDto[] }>> {
    const memberships = await rooms.roomsOf(user.id);
    const summaries: RoomSummaryDto[] = [await views.summary(user, null, 'member')];
    for (let i = 0; i < memberships.length; i += LIST_CONCURRENCY) {
      const batch = await Promise.all(
        memberships.slice(i, i + LIST_CONCURRENCY).map(async (m) => {
          const record = await rooms.find(m.roomId);
          return record ? views.summary(user, record, m.role) : null;
        }),
      );
      summaries.push(...batch.filter((s): s is RoomSummaryDto => s !== null));
    }
    return ok({ rooms: summaries });
  }

  return { create, browse, join, leave, invite, remove, edit, openGroup, members, list };
}

export type RoomMembership = ReturnType<typeof createRoomMembership>;
