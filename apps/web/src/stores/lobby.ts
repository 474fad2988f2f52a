import { defineStore } from 'pinia';
import { createRoomMessages } from '../lib/roomMessages';
import { fetchHistory, recallMessage, sendMessage, syncMessages } from '../services/lobby';
import { useSessionStore } from './session';

export { HISTORY_PAGE_SIZE, type AsyncStatus } from '../lib/roomMessages';

/** The lobby's messages (merged by seq) and this tab's outbox of unacked sends. */
export const useLobbyStore = defineStore('lobby', () =>
  createRoomMessages(
    {
      send: (payload) => sendMessage(payload),
      history: (payload) => fetchHistory(payload),
      sync: (payload) => syncMessages(payload),
      recall: (payload) => recallMessage(payload),
    },
    () => useSessionStore().user?.id,
  ),
);
