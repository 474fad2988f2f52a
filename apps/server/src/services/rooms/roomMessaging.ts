import { LIMITS, fail, ok, type Ack, type MessageDto, type MessagePage, type ReadMarkDto, type RoomReadsDto, type UserDto } from '@confab/shared';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import type { DmService } from '../dmService.js';
import type { Admit, ChangeOutcome, MessageService } from '../messageService.js';
import type { MentionResolver } from './mentions.js';
import type { RoomAccess, RoomAccessCheck } from './roomAccess.js';
import type { RoomEffects } from './roomEffects.js';
import { NOT_A_MEMBER } from './refusals.js';
import type { RoomViews } from './roomViews.js';

export interface RoomSendResult {
  message: MessageDto;
  /** False for a retry of a message already stored: nothing was delivered. */
  isNew: boolean;
}

/**
 * Messages in any room, for members only: sending, reading, syncing, marking read, recalling and
 * typing. The lobby needs no store read to admit a member; DMs keep their own path (conversation
 * records, "Seen" marks) in the DM service.
 */
export function createRoomMessaging(deps: {
  stores: Pick<Stores, 'messages' | 'conversations' | 'rooms'>;
  messages: MessageService;
  dms: Pick<DmService, 'send'>;
  access: RoomAccessCheck;
  views: RoomViews;
  effects: RoomEffects;
  mentionsIn: MentionResolver;
  logger: Pick<Logger, 'warn'>;
}) {
  const { access, effects } = deps;

  /** Who hears a change in the room: its members, by kind (a DM: its two participants). */
  const audience = (room: RoomAccess, known: readonly UserDto[]) => ({ ...(room.dmMembers ? { dmMembers: room.dmMembers } : {}), known });

  async function send(
    user: UserDto,
    roomId: string,
    input: { clientId: string; body: string; replyTo?: string | undefined; attachments?: readonly string[] | undefined },
    admit?: Admit,
  ): Promise<Ack<RoomSendResult>> {
    const room = await access.asMember(user, roomId);
    if (!room) return NOT_A_MEMBER;
    const extras = {
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
      mentionsFor: (body: string) => deps.mentionsIn(room, body),
    };
    if (room.dmMembers) {
      const peer = room.dmMembers.find((id) => id !== user.id) ?? user.id;
      const sent = await deps.dms.send(user, { to: peer, clientId: input.clientId, body: input.body, ...extras }, admit);
      if (!sent.ok) return sent;
      const { message, isNew, memberIds, members } = sent.data;
      if (isNew) effects.deliver(message, 'dm', { dmMembers: memberIds, known: members });
      return ok({ message, isNew });
    }
    const sent = await deps.messages.send(user, roomId, { clientId: input.clientId, body: input.body, ...extras }, admit);
    if (!sent.ok) return sent;
    if (sent.data.isNew) effects.deliver(sent.data.message, room.kind, {});
    // Writing in a room means having read it, as in DMs and every chat product. A retry writes it
    // again: the mark only moves forward, and a retry after a lost answer may find it not written.
    // The message is the result and the mark a side effect: the ack waits for neither its writes
    // nor its broadcast, and a failed mark (the room stays unread for the writer) fails no send.
    // `deliver` emitted synchronously above, so other tabs hear `message:new` before `dm:read`.
    moveMark(user, room, sent.data.message.seq).catch((err: unknown) =>
      deps.logger.warn({ err, roomId, userId: user.id }, "could not move the writer's read mark after a send"),
    );
    return ok(sent.data);
  }

  async function history(user: UserDto, roomId: string, input: { beforeSeq?: number; limit: number }): Promise<Ack<MessagePage>> {
    if (!(await access.canRead(user, roomId))) return NOT_A_MEMBER;
    return deps.messages.history(roomId, input);
  }

  async function sync(user: UserDto, roomId: string, input: { afterSeq: number }): Promise<Ack<MessagePage>> {
    if (!(await access.asMember(user, roomId))) return NOT_A_MEMBER;
    return deps.messages.sync(roomId, input);
  }

  /**
   * Read marks outside DMs: the reader's tabs hear `dm:read` and `room:update`; in groups and
   * private channels every member hears the `dm:read` too ("seen by"); elsewhere marks are private.
   */
  async function markRead(user: UserDto, roomId: string, seq: number): Promise<Ack<ReadMarkDto>> {
    const room = await access.asMember(user, roomId);
    if (!room || room.dmMembers) return NOT_A_MEMBER;
    const mark = await moveMark(user, room, await deps.stores.messages.upToNewest(roomId, seq));
    if (mark.moved) effects.notifyUpdate(user.id, await deps.views.summary(user, room.record, room.role));
    const { moved: _moved, ...dto } = mark;
    return ok(dto);
  }

  /** Moves the reader's mark up to `seq` (never back) and tells whoever sees it that it moved. */
  async function moveMark(user: UserDto, room: RoomAccess, seq: number): Promise<ReadMarkDto & { moved: boolean }> {
    const result = await deps.stores.conversations.markRead(room.roomId, user.id, seq);
    const mark = { roomId: room.roomId, userId: user.id, seq: result.seq };
    if (result.moved) {
      if (await sharesReads(room)) effects.notifyReadToRoom(mark);
      else effects.notifyRead(user.id, mark);
    }
    return { ...mark, moved: result.moved };
  }

  /** Every member's read mark in a group or private channel, for "seen by". */
  async function reads(user: UserDto, roomId: string): Promise<Ack<RoomReadsDto>> {
    const room = await access.asMember(user, roomId);
    if (!room) return NOT_A_MEMBER;
    // A member may learn what kind their own room is: tell them why, rather than "not a member".
    if (!isSharedReadsKind(room)) return fail('forbidden', 'Read marks are shared only in groups and private channels; a DM carries both in its conversation.');
    // A private channel past the size where marks are shared keeps them private: nothing to list.
    if (!(await sharesReads(room))) return ok({ roomId, marks: [] });
    const marks = await deps.stores.conversations.readMarks(roomId);
    // Marks stay when a member leaves; "seen by" counts only those still in the room.
    const current = await Promise.all(marks.map(async (m) => ((await deps.stores.rooms.membership(roomId, m.userId)) ? m : null)));
    return ok({ roomId, marks: current.filter((m) => m !== null).map((m) => ({ roomId, userId: m.userId, seq: m.seq })) });
  }

  /**
   * Why a `dm:delivered` about a room that is not a one-to-one DM is refused: a member hears that
   * delivery is for DMs only; anyone else the answer for a room that does not exist.
   */
  async function deliveredOutsideDm(user: UserDto, roomId: string): Promise<Ack<never>> {
    return (await access.asMember(user, roomId)) ? fail('forbidden', 'Delivery is reported for one-to-one DMs only.') : NOT_A_MEMBER;
  }

  /** Edits the caller's message in any room they are in; every member hears the `edit` entry. */
  async function edit(user: UserDto, messageId: string, body: string, admit?: Admit): Promise<Ack<MessageDto | null>> {
    let room: RoomAccess | null = null;
    const result = await deps.messages.edit(
      user,
      messageId,
      body,
      async (roomId) => (room = await access.asMember(user, roomId)) !== null,
      (_roomId, text) => deps.mentionsIn(room!, text),
      admit,
    );
    return settle(result, room, user);
  }

  /** Adds (or takes back) the caller's reaction to a message in a room they are in; every member hears the entry. */
  async function react(user: UserDto, messageId: string, emoji: string, added: boolean, admit?: Admit): Promise<Ack<MessageDto | null>> {
    let room: RoomAccess | null = null;
    const result = await deps.messages.react(user, messageId, emoji, added, async (roomId) => (room = await access.asMember(user, roomId)) !== null, admit);
    return settle(result, room, user);
  }

  /**
   * Whether the room's members see each other's read marks: groups, and private channels of at
   * most `LIMITS.seenByMembersMax` members. Every mark that moves is sent to every member, so
   * the cost grows with the square of the members; past that size marks stay private.
   */
  async function sharesReads(room: RoomAccess): Promise<boolean> {
    if (room.kind === 'group') return true;
    return room.kind === 'private_channel' && (await deps.stores.rooms.memberCount(room.roomId)) <= LIMITS.seenByMembersMax;
  }

  /** Delivers what a change stored, and answers the caller. */
  function settle(result: Ack<ChangeOutcome>, room: RoomAccess | null, user: UserDto): Ack<MessageDto | null> {
    if (!result.ok) return result;
    if (result.data.deliver && room) effects.deliver(result.data.deliver, room.kind, audience(room, [user]));
    return ok(result.data.ack);
  }

  /** Recalls the caller's message in any room they are in; one in a room they are not in is reported as not found. */
  async function recall(user: UserDto, messageId: string, admit?: Admit): Promise<Ack<MessageDto>> {
    let room: RoomAccess | null = null;
    const result = await deps.messages.recall(user, messageId, async (roomId) => (room = await access.asMember(user, roomId)) !== null, admit);
    if (!result.ok) return result;
    const { entry, isNew } = result.data;
    const where = room as RoomAccess | null;
    if (isNew && where) effects.deliver(entry, where.kind, audience(where, [user]));
    return ok(entry);
  }

  async function typing(user: UserDto, roomId: string, isTyping: boolean, admit: Admit): Promise<Ack<null>> {
    const room = await access.asMember(user, roomId);
    if (!room) return NOT_A_MEMBER;
    const refused = await admit();
    if (refused) return refused;
    effects.relayTyping(room, user, isTyping);
    return ok(null);
  }

  return { send, history, sync, markRead, reads, deliveredOutsideDm, recall, edit, react, typing };
}

/** The kinds of room whose members may see each other's read marks ("seen by"). */
function isSharedReadsKind(room: RoomAccess): boolean {
  return room.kind === 'group' || room.kind === 'private_channel';
}

export type RoomMessaging = ReturnType<typeof createRoomMessaging>;
