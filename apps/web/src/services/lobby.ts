import type { HistoryPayload, LobbyClientToServerEvents, MessageDto, MessagePage, SendMessagePayload, SyncPayload } from '@confab/shared';
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
