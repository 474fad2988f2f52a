import { computed, watch, type Ref } from 'vue';
import { readersOf, receiptFor, receiptRoomKind, type Receipt, type ReceiptContext } from '../lib/receipts';
import { isGroupRoom } from '../lib/rooms';
import type { TimelineMessage } from '../lib/timeline';
import { useConversationsStore } from '../stores/conversations';
import { useRoomReadsStore } from '../stores/roomReads';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';

export type { Receipt } from '../lib/receipts';

/**
 * The receipts of the sender's own messages in a room (`:receipt-for` of the message list):
 * sent, then in a DM delivered and seen from the peer's marks, in a group or private
 * channel "seen by" from every member's read mark, which it fetches when such a room opens.
 */
export function useReceipts(roomId: Ref<string | null>): (message: TimelineMessage) => Receipt | null {
  const conversations = useConversationsStore();
  const rooms = useRoomsStore();
  const roomReads = useRoomReadsStore();
  const session = useSessionStore();

  const summary = computed(() => (roomId.value ? rooms.byId[roomId.value] : undefined));
  const kind = computed(() => (roomId.value ? receiptRoomKind(roomId.value, summary.value?.room.kind, session.user?.id) : null));
  const isGroup = computed(() => summary.value?.room.kind === 'group' || (!!roomId.value && isGroupRoom(roomId.value)));

  // Marks come once on opening, then live; a private channel's names again when its members change.
  watch(
    [roomId, kind, () => (isGroup.value ? 0 : summary.value?.room.memberCount)],
    ([id, k]) => {
      if (id && k === 'members') void roomReads.load(id, { names: !isGroup.value });
    },
    { immediate: true },
  );

  const context = computed((): ReceiptContext | null => {
    const id = roomId.value;
    if (!id || !kind.value) return null;
    switch (kind.value) {
      case 'self':
      case 'public':
        return { kind: kind.value };
      case 'dm': {
        const conversation = conversations.byRoomId[id];
        return { kind: 'dm', peerReadSeq: conversation?.peerReadSeq ?? 0, peerDeliveredSeq: conversation?.peerDeliveredSeq ?? 0 };
      }
      case 'members': {
        const reads = roomReads.byRoomId[id];
        const groupMembers = summary.value?.room.members;
        const names = groupMembers ? Object.fromEntries(groupMembers.map((m) => [m.id, m.displayName])) : (reads?.names ?? {});
        return { kind: 'members', readers: readersOf(reads?.marks ?? {}, names, session.user?.id) };
      }
    }
  });

  return (message) => (context.value ? receiptFor(message, context.value) : null);
}
