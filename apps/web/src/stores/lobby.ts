import { defineStore } from 'pinia';
import { LOBBY_ROOM_ID } from '@confab/shared';
import { roomOutboxStorage } from '../lib/outboxStorage';
import { createRoomMessages } from '../lib/roomMessages';
import { editMessage, fetchHistory, reactToMessage, recallMessage, removeMessage, reportMessage, sendMessage, syncMessages } from '../services/lobby';
import { useSessionStore } from './session';

export { HISTORY_PAGE_SIZE, type AsyncStatus } from '../lib/roomMessages';

/** The lobby's messages (merged by seq) and the signed-in user's outbox of unacked sends, kept in this browser. */
export const useLobbyStore = defineStore('lobby', () =>
  createRoomMessages(
    {
      send: (payload) => sendMessage(payload),
      history: (payload) => fetchHistory(payload),
      sync: (payload) => syncMessages(payload),
      recall: (payload) => recallMessage(payload),
      edit: (payload) => editMessage(payload),
      react: (payload, add) => reactToMessage(payload, add),
      remove: (payload) => removeMessage(payload),
      report: (payload) => reportMessage(payload),
    },
    () => useSessionStore().user?.id,
    { roomId: LOBBY_ROOM_ID, persistence: roomOutboxStorage(LOBBY_ROOM_ID) },
  ),
);
