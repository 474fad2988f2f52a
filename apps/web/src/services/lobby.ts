import type { EditPayload, HistoryPayload, LobbyClientToServerEvents, MessageDto, MessagePage, PresenceDto, ReactionPayload, RemoveMessagePayload, ReportPayload, SendMessagePayload, SyncPayload } from '@confab/shared';
import { createRequester, type Result } from './request';
import { lobbySocket } from './socket';

export { ACK_TIMEOUT_MS, type Result } from './request';

const request = createRequester<LobbyClientToServerEvents>(lobbySocket);

export function sendMessage(payload: SendMessagePayload): Promise<Result<MessageDto>> {
  return request('message:send', payload);
}

export function fetchHistory(payload: HistoryPayload): Promise<Result<MessagePage>> {
  return request('message:history', payload);
}

export function syncMessages(payload: SyncPayload): Promise<Result<MessagePage>> {
  return request('message:sync', payload);
}

export function recallMessage(payload: { id: string }): Promise<Result<MessageDto>> {
  return request('message:recall', payload);
}

/** Removes a message in a public room as a moderator (an admin, or the channel's owner). Ack: the removal entry. */
export function removeMessage(payload: RemoveMessagePayload): Promise<Result<MessageDto>> {
  return request('message:remove', payload);
}

/** Reports a message in a public room to the server's admins. Ack: null (a repeated report too). */
export function reportMessage(payload: ReportPayload): Promise<Result<null>> {
  return request('message:report', payload);
}

/** Edits one's message in a public room (the id names it). Ack: the change entry, or null when nothing changed. */
export function editMessage(payload: EditPayload): Promise<Result<MessageDto | null>> {
  return request('message:edit', payload);
}

/** `add`: reaction:add, else reaction:remove, on a public room's message. Ack: the change entry, or null. */
export function reactToMessage(payload: ReactionPayload, add: boolean): Promise<Result<MessageDto | null>> {
  return request(add ? 'reaction:add' : 'reaction:remove', payload);
}

/** Typing in a public room: the lobby, or a public channel named by `roomId`. */
export function sendLobbyTyping(isTyping: boolean, roomId?: string): Promise<Result<null>> {
  return request(isTyping ? 'typing:start' : 'typing:stop', roomId ? { roomId } : {});
}

export function reportActive(): Promise<Result<null>> {
  return request('presence:active', {});
}

export function fetchPresence(userIds: string[]): Promise<Result<PresenceDto[]>> {
  return request('presence:get', { userIds });
}
