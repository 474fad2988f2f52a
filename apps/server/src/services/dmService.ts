import {
  dmParticipants,
  dmRoomId,
  fail,
  ok,
  type Ack,
  type ConversationDto,
  type ConversationPage,
  type ReadMarkDto,
  type UserDto,
  type UserPage,
} from '@confab/shared';
import type { ConversationRecord, Stores } from '../store/ports.js';
import type {
  ConversationListInput,
  DmOpenInput,
  DmReadInput,
  DmSendInput,
  UserSearchInput,
} from '../validated.js';
import type { Admit, MessageService, SendExtras, SendResult } from './messageService.js';
import { createConversationViews } from './conversationViews.js';
import { toUserDto } from './toDto.js';

import { NOT_A_MEMBER } from './rooms/refusals.js';

export interface DmSendResult extends SendResult {
  /** The two participants (the same id twice for notes-to-self). */
  memberIds: readonly [string, string];
  /** Both participants' users (one for notes-to-self), so their views need no lookup. */
  members: UserDto[];
}

export interface ReadResult {
  mark: ReadMarkDto;
  /** False when the mark was already there: nobody needs to hear of it. */
  moved: boolean;
  memberIds: readonly [string, string];
}

/**
 * Direct messages between two users: one private room per pair, conversation lists with
 * unread counts, and read marks. Every operation checks that the caller is a participant.
 */
export function createDmService(deps: { stores: Stores; messages: MessageService; now: () => Date }) {
  const { users, conversations, messages: messageStore } = deps.stores;
  const { findUser, view, viewRoom } = createConversationViews(deps.stores, deps.messages);
  const closers: (() => void)[] = [];

  function membersOf(user: UserDto, roomId: string): readonly [string, string] | null {
    const members = dmParticipants(roomId);
    return members && members.includes(user.id) ? members : null;
  }

  /**
   * Stores the message, then records the room's activity and the sender's read mark: a send
   * refused by any check (the clientId's, made by the append) changes nothing. If the store
   * fails between the writes, the client's retry (same clientId) finds the message and writes
   * the rest.
   */
  async function send(user: UserDto, input: Pick<DmSendInput, 'clientId' | 'body'> & SendExtras & { to: string }, admit?: Admit): Promise<Ack<DmSendResult>> {
    const peer = input.to === user.id ? user : await findUser(input.to);
    if (!peer) return fail('forbidden', 'You cannot message this user.');
    const roomId = dmRoomId(user.id, peer.id);
    const memberIds = dmParticipants(roomId)!;
    const { to: _to, ...content } = input;
    const sent = await deps.messages.send(user, roomId, content, admit, { countAuthors: true });
    if (!sent.ok) return sent;
    const { message } = sent.data;
    // The message's own time: a retry must not move the conversation up again.
    await conversations.touch(roomId, memberIds, new Date(message.createdAt));
    // Writing in a conversation means having read it, as in every chat product.
    await conversations.markRead(roomId, user.id, message.seq);
    return ok({ ...sent.data, memberIds, members: peer.id === user.id ? [user] : [user, peer] });
  }

  /** Recalls the caller's DM; a message in a room they are not in is reported as not found. */
  function recall(user: UserDto, messageId: string, admit?: Admit) {
    return deps.messages.recall(user, messageId, (roomId) => membersOf(user, roomId) !== null, admit);
  }

  async function markRead(user: UserDto, input: DmReadInput): Promise<Ack<ReadResult>> {
    const memberIds = membersOf(user, input.roomId);
    if (!memberIds) return NOT_A_MEMBER;
    // No mark past the newest message; a store that knows the room has the seq reads nothing.
    const result = await conversations.markRead(input.roomId, user.id, await messageStore.upToNewest(input.roomId, input.seq));
    return ok({ mark: { roomId: input.roomId, userId: user.id, seq: result.seq }, moved: result.moved, memberIds });
  }

  /**
   * Records that one of the caller's devices holds the DM room up to `seq` ("Delivered" for the
   * peer). Like read marks: clamped to the newest entry, never moved back.
   */
  async function markDelivered(user: UserDto, input: { roomId: string; seq: number }): Promise<Ack<ReadResult>> {
    const memberIds = membersOf(user, input.roomId);
    if (!memberIds) return NOT_A_MEMBER;
    const result = await conversations.markDelivered(input.roomId, user.id, await messageStore.upToNewest(input.roomId, input.seq));
    return ok({ mark: { roomId: input.roomId, userId: user.id, seq: result.seq }, moved: result.moved, memberIds });
  }



  async function open(user: UserDto, input: DmOpenInput): Promise<Ack<ConversationDto>> {
    const peer = await users.findByUsername(input.username);
    if (!peer) return fail('not_found', `There is no user named "${input.username}".`);
    const roomId = dmRoomId(user.id, peer.id);
    const record = (await conversations.find(roomId)) ?? { roomId, memberIds: dmParticipants(roomId)!, lastActivityAt: deps.now() };
    const conversation = await view(user, record);
    return conversation ? ok(conversation) : fail('not_found', `There is no user named "${input.username}".`);
  }

  async function list(user: UserDto, input: ConversationListInput): Promise<Ack<ConversationPage>> {
    const before = decodeCursor(input.cursor);
    if (input.cursor !== undefined && !before) return fail('invalid_payload', 'cursor is not one this server issued.', { field: 'cursor' });
    const records = await conversations.listForUser(user.id, { before: before ?? undefined, limit: input.limit + 1 });
    const page = records.slice(0, input.limit);
    const views = await Promise.all(page.map((record) => view(user, record)));
    const last = page.at(-1);
    return ok({
      // Earlier versions recorded a room before its first send, which could then fail: nothing to show.
      conversations: views.filter((c): c is ConversationDto => c !== null && c.lastMessage !== null),
      ...(records.length > input.limit && last ? { nextCursor: encodeCursor(last) } : {}),
    });
  }

  async function searchUsers(input: UserSearchInput): Promise<Ack<UserPage>> {
    const found = await users.search({ prefix: input.query, afterUsername: input.cursor, limit: input.limit + 1 });
    const page = found.slice(0, input.limit).map(toUserDto);
    const last = page.at(-1);
    return ok({ users: page, ...(found.length > input.limit && last ? { nextCursor: last.username.toLowerCase() } : {}) });
  }

  /** Runs `stop` when the service closes: for work its callers left for later (coalesced conversation updates). */
  function onClose(stop: () => void): void {
    closers.push(stop);
  }

  /** The app is closing: work left for later must not reach the stores, which close next. */
  function close(): void {
    for (const stop of closers.splice(0)) stop();
  }

  return { send, recall, markRead, markDelivered, viewRoom, findUser, open, list, searchUsers, onClose, close };
}

export type DmService = ReturnType<typeof createDmService>;

function encodeCursor(record: ConversationRecord): string {
  return `${record.lastActivityAt.getTime()}_${record.roomId}`;
}

function decodeCursor(cursor: string | undefined): { at: Date; roomId: string } | null {
  const match = cursor === undefined ? null : /^(\d{1,15})_(dm:[0-9a-f]{24}:[0-9a-f]{24})$/.exec(cursor);
  return match ? { at: new Date(Number(match[1])), roomId: match[2]! } : null;
}
