import type {
  ConversationDto,
  ConversationListPayload,
  ConversationPage,
  DmClientToServerEvents,
  DmHistoryPayload,
  DmOpenPayload,
  DmReadPayload,
  DmSendPayload,
  DmSyncPayload,
  EditPayload,
  MessageDto,
  MessagePage,
  ReactionPayload,
  ReadMarkDto,
  RemoveMessagePayload,
  ReportPayload,
  UserPage,
  UserSearchPayload,
} from '@confab/shared';
import { createRequester, type Result } from './request';
import { dmSocket } from './socket';

const request = createRequester<DmClientToServerEvents>(dmSocket);

export function sendDm(payload: DmSendPayload): Promise<Result<MessageDto>> {
  return request('dm:send', payload);
}

export function fetchDmHistory(payload: DmHistoryPayload): Promise<Result<MessagePage>> {
  return request('dm:history', payload);
}

export function syncDm(payload: DmSyncPayload): Promise<Result<MessagePage>> {
  return request('dm:sync', payload);
}

export function markDmRead(payload: DmReadPayload): Promise<Result<ReadMarkDto>> {
  return request('dm:read', payload);
}

export function openDm(payload: DmOpenPayload): Promise<Result<ConversationDto>> {
  return request('dm:open', payload);
}

export function fetchConversations(payload: ConversationListPayload): Promise<Result<ConversationPage>> {
  return request('dm:conversations', payload);
}

export function searchUsers(payload: UserSearchPayload): Promise<Result<UserPage>> {
  return request('user:search', payload);
}

export function recallDm(payload: { id: string }): Promise<Result<MessageDto>> {
  return request('message:recall', payload);
}

/** Removes a message in a private room as a moderator (an admin, or a private channel's owner). Ack: the removal entry. */
export function removeDm(payload: RemoveMessagePayload): Promise<Result<MessageDto>> {
  return request('message:remove', payload);
}

/** Reports a message in a private room to the server's admins. Ack: null (a repeated report too). */
export function reportDm(payload: ReportPayload): Promise<Result<null>> {
  return request('message:report', payload);
}

/** Edits one's message in a private room (DM, group, private channel). Ack: the change entry, or null when nothing changed. */
export function editDm(payload: EditPayload): Promise<Result<MessageDto | null>> {
  return request('message:edit', payload);
}

/** `add`: reaction:add, else reaction:remove, on a private room's message. Ack: the change entry, or null. */
export function reactDm(payload: ReactionPayload, add: boolean): Promise<Result<MessageDto | null>> {
  return request(add ? 'reaction:add' : 'reaction:remove', payload);
}

export function sendDmTyping(roomId: string, isTyping: boolean): Promise<Result<null>> {
  return request(isTyping ? 'typing:start' : 'typing:stop', { roomId });
}
