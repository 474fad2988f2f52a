import { LIMITS, ok, type Ack, type MessageDto, type MessagePage, type UserDto } from '@confab/shared';
import type { MessageStore } from '../store/ports.js';
import type { HistoryInput, SendMessageInput, SyncInput } from '../validated.js';

export interface SendResult {
  message: MessageDto;
  /** False for a retry of a message already stored: nothing should be broadcast. */
  isNew: boolean;
}

/** Posting and reading messages in a room. Who may use which room is decided by the caller. */
export function createMessageService(deps: { messages: MessageStore; now: () => Date }) {
  async function send(author: UserDto, roomId: string, input: SendMessageInput): Promise<Ack<SendResult>> {
    const result = await deps.messages.append({
      roomId,
      clientId: input.clientId,
      // The author is always the signed-in user; payloads cannot name one.
      author: { id: author.id, name: author.displayName },
      body: input.body,
      createdAt: deps.now(),
    });
    return ok(result);
  }

  async function history(roomId: string, input: HistoryInput): Promise<Ack<MessagePage>> {
    return ok(await deps.messages.history(roomId, { beforeSeq: input.beforeSeq, limit: input.limit }));
  }

  async function sync(roomId: string, input: SyncInput): Promise<Ack<MessagePage>> {
    return ok(await deps.messages.since(roomId, { afterSeq: input.afterSeq, limit: LIMITS.syncPageMax }));
  }

  return { send, history, sync };
}

export type MessageService = ReturnType<typeof createMessageService>;
