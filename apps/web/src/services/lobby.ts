import type { HistoryPayload, LobbyClientToServerEvents, MessageDto, MessagePage, PresenceDto, SendMessagePayload, SyncPayload } from '@confab/shared';
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
