import { defineStore } from 'pinia';
import { LOBBY_ROOM_ID, type MessageDto } from '@confab/shared';
import { createRoomLiveBatch } from '../lib/liveBatch';
import { roomOutboxStorage } from '../lib/outboxStorage';
import { createRoomMessages } from '../lib/roomMessages';
import { editMessage, fetchHistory, reactToMessage, recallMessage, removeMessage, reportMessage, sendMessage, syncMessages } from '../services/lobby';
import { useSessionStore } from './session';

export { HISTORY_PAGE_SIZE, type AsyncStatus } from '../lib/roomMessages';

/** The lobby's messages (merged by seq) and the signed-in user's outbox of unacked sends, kept in this browser. */
export const useLobbyStore = defineStore('lobby', () => {
  const room = createRoomMessages(
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
  );

  // Applied once per frame (see liveBatch): a burst costs one merge and one render per frame.
  const asLiveRoom = {
    receive: (entries: MessageDto[]) => room.receive(entries),
    catchUp: () => room.catchUp(),
    get floorSeq() {
      return room.floorSeq.value;
    },
    get syncedSeq() {
      return room.syncedSeq.value;
    },
  };
  const live = createRoomLiveBatch<MessageDto>(() => asLiveRoom);

  /**
   * Takes a broadcast entry; it is merged with the others of its frame, and a gap they reveal is
   * filled by a catch-up then. Always false: nothing is left for the caller to fill.
   */
  function receiveLive(message: MessageDto): boolean {
    live.push(LOBBY_ROOM_ID, message);
    return false;
  }

  /** Forgets everything held for the previous user, entries on their way in included. */
  function reset(): void {
    live.discard();
    room.reset();
  }

  return { ...room, receiveLive, flushLive: live.flush, reset };
});
