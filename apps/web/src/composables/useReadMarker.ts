import { computed, getCurrentScope, onScopeDispose, watch, type Ref } from 'vue';
import type { RoomMessages } from '../lib/roomMessages';
import { readTarget, shouldMarkRead } from '../lib/readState';
import { useAttentionStore } from '../stores/attention';
import { useDmStore } from '../stores/dm';
import { useSessionStore } from '../stores/session';

/**
 * Waits this long after the room became readable before telling the server, so a burst of
 * messages or a scroll makes one mark. Measured from the first change, not the last: in a room
 * where messages keep coming faster than this, a mark still goes out every READ_DEBOUNCE_MS.
 */
export const READ_DEBOUNCE_MS = 250;

/** Where a room's read position comes from: a DM conversation or a room summary, both carry these. */
export interface ReadPosition {
  roomId: string;
  myReadSeq: number;
}

/** How marks reach the server: `dm:read` for every room, sent while `/dm` is connected. */
export interface ReadChannel {
  isConnected(): boolean;
  markRead(roomId: string, seq: number): Promise<boolean>;
}

/**
 * Marks the open room read up to its newest message while someone is looking at it: the tab
 * visible, the window focused and the list scrolled to the bottom. Never from a hidden tab.
 * DM rooms by default; other rooms pass their store's channel.
 */
export function useReadMarker(room: Ref<RoomMessages | null>, conversation: Ref<ReadPosition | undefined>, isAtBottom: Ref<boolean>, channel?: ReadChannel) {
  const attention = useAttentionStore();
  const dm = useDmStore();
  const session = useSessionStore();
  const via: ReadChannel = channel ?? { isConnected: () => dm.isConnected, markRead: (roomId, seq) => dm.markRead(roomId, seq) };
  // The highest seq we asked to mark, so a slow ack is not answered with the same request again.
  let sentSeq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const target = computed(() =>
    room.value && conversation.value ? readTarget(room.value.messages, session.user?.id, conversation.value.myReadSeq) : null,
  );
  const isDue = () =>
    via.isConnected() && shouldMarkRead({ isAttentive: attention.isAttentive, isAtBottom: isAtBottom.value, target: target.value, sentSeq });

  function clear(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  async function fire(): Promise<void> {
    timer = null;
    const roomId = conversation.value?.roomId;
    const seq = target.value;
    if (!roomId || seq === null || !isDue()) return;
    sentSeq = seq;
    // A refused or lost mark is asked for again on the next change (reconnect, new message).
    if (!(await via.markRead(roomId, seq)) && sentSeq === seq) sentSeq = 0;
  }

  watch(
    () => conversation.value?.roomId,
    () => {
      sentSeq = 0;
      clear();
    },
  );
  watch(
    [() => attention.isAttentive, isAtBottom, target, () => via.isConnected()],
    () => {
      if (!isDue()) clear();
      // A mark already waiting takes the newest target when it fires.
      else if (!timer) timer = setTimeout(() => void fire(), READ_DEBOUNCE_MS);
    },
    { immediate: true },
  );
  if (getCurrentScope()) onScopeDispose(clear);
}
