import { computed, type ComputedRef } from 'vue';
import { unreadTotals, type UnreadTotals } from '../lib/unreadTotals';
import { useAttentionStore } from '../stores/attention';
import { useConversationsStore } from '../stores/conversations';
import { useNotifySettingsStore } from '../stores/notifySettings';
import { useRoomsStore } from '../stores/rooms';

/** Unread messages and mentions that count (by each room's notification setting) in every conversation and room but the one being read. */
export function useUnreadTotals(): ComputedRef<UnreadTotals> {
  const conversations = useConversationsStore();
  const rooms = useRoomsStore();
  const attention = useAttentionStore();
  const notifySettings = useNotifySettingsStore();
  return computed(() => unreadTotals(conversations.list, Object.values(rooms.byId), attention.isAttentive ? rooms.viewedRoomId : null, (roomId) => notifySettings.stateOf(roomId)));
}
