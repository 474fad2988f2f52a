import { randomBytes } from 'node:crypto';
import { LIMITS, fail, ok, type Ack, type AckError, type MessageDto, type MessagePage, type RoomEventDto, type UserDto } from '@confab/shared';
import type { MessageStore } from '../store/ports.js';
import type { HistoryInput, SendMessageInput, SyncInput } from '../validated.js';

export interface SendResult {
  message: MessageDto;
  /** False for a retry of a message already stored: nothing should be broadcast. */
  isNew: boolean;
}

export interface RecallResult {
  /** The recall entry in the room's stream: what to broadcast. */
  entry: MessageDto;
  /** False when the message was already recalled: nothing should be broadcast. */
  isNew: boolean;
}

/**
 * The last check before an operation writes (the caller's rate limit): a refusal, or null to go
 * on. It runs after every other check, so a refused operation spends nothing.
 */
export type Admit = () => Promise<{ ok: false; error: AckError } | null>;

const admitAll: Admit = async () => null;

/** Posting, recalling and reading messages in a room. Who may use which room is decided by the caller. */
export function createMessageService(deps: { messages: MessageStore; now: () => Date; recallWindowMs: number }) {
  /** `countAuthors`: the room keeps per-author counts, for unread counts (see NewMessage). */
  async function send(
    author: UserDto,
    roomId: string,
    input: Pick<SendMessageInput, 'clientId' | 'body'>,
    admit: Admit = admitAll,
    options: { countAuthors?: boolean } = {},
  ): Promise<Ack<SendResult>> {
    const refused = await admit();
    if (refused) return refused;
    // The append is also the clientId check: a key used in another room stores nothing.
    const result = await deps.messages.append({
      roomId,
      clientId: input.clientId,
      // The author is always the signed-in user; payloads cannot name one.
      author: { id: author.id, name: author.displayName },
      body: input.body,
      createdAt: deps.now(),
      ...(options.countAuthors ? { countAuthors: true } : {}),
    });
    // The key is per author across rooms; a repeat must come from the same room to be a retry.
    if (result.message.roomId !== roomId) {
      return fail('invalid_payload', 'This clientId was already used for another message; send with a new clientId.', { field: 'clientId' });
    }
    return ok(result);
  }

  /**
   * Records a change to the room (a join, a rename…) as an entry of its stream. Its clientId holds
   * a ':', which clients may not send, so it can never collide with a message's.
   */
  async function recordEvent(actor: UserDto, roomId: string, event: RoomEventDto): Promise<MessageDto> {
    const { message } = await deps.messages.append({
      roomId,
      clientId: `event:${randomBytes(12).toString('hex')}`,
      author: { id: actor.id, name: actor.displayName },
      body: '',
      createdAt: deps.now(),
      event,
    });
    return message;
  }

  async function history(roomId: string, input: Pick<HistoryInput, 'beforeSeq' | 'limit'>): Promise<Ack<MessagePage>> {
    return ok(await deps.messages.history(roomId, { beforeSeq: input.beforeSeq, limit: input.limit }));
  }

  async function sync(roomId: string, input: Pick<SyncInput, 'afterSeq'>): Promise<Ack<MessagePage>> {
    return ok(await deps.messages.since(roomId, { afterSeq: input.afterSeq, limit: LIMITS.syncPageMax }));
  }

  /**
   * Recalls the author's message: erases its body, then records a recall entry in the room's
   * stream so every client, live or catching up, learns of it in order. Idempotent: the entry's
   * clientId is derived from the message, so a repeat (or a retry after a failure between the
   * two writes) finds the same entry. The ':' in it is outside what clients may send as a
   * clientId, so no message of the author's can take the entry's place.
   */
  async function recall(
    user: UserDto,
    messageId: string,
    canSee: (roomId: string) => boolean | Promise<boolean>,
    admit: Admit = admitAll,
  ): Promise<Ack<RecallResult>> {
    const target = await deps.messages.findById(messageId);
    // A message in a room the caller cannot see is reported exactly like a missing one.
    if (!target || target.recall || target.event || !(await canSee(target.roomId))) return fail('not_found', 'There is no such message.');
    if (target.author.id !== user.id) return fail('forbidden', 'Only the author can recall a message.');
    const age = deps.now().getTime() - Date.parse(target.createdAt);
    if (!target.recalledAt && age > deps.recallWindowMs) {
      return fail('recall_window_expired', `Messages can only be recalled within ${Math.round(deps.recallWindowMs / 1000)} seconds of sending.`);
    }
    const refused = await admit();
    if (refused) return refused;
    await deps.messages.erase(target.id, deps.now());
    const { message, isNew } = await deps.messages.append({
      roomId: target.roomId,
      clientId: `recall:${target.id}`,
      author: { id: user.id, name: user.displayName },
      body: '',
      createdAt: deps.now(),
      recall: { messageId: target.id, seq: target.seq },
    });
    return ok({ entry: message, isNew });
  }

  return { send, recall, recordEvent, history, sync };
}

export type MessageService = ReturnType<typeof createMessageService>;
