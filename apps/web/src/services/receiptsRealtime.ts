import { watch } from 'vue';
import { dmParticipants, type MessageDto, type ReadMarkDto } from '@confab/shared';
import { peerEntrySeq } from '../lib/conversations';
import { newestSeqBy } from '../lib/receipts';
import { useConversationsStore } from '../stores/conversations';
import { useDmStore } from '../stores/dm';
import { useRoomReadsStore } from '../stores/roomReads';
import { useSessionStore } from '../stores/session';
import { createDeliveryReporter } from './deliveryReporter';
import { reportDelivered } from './receipts';
import type { Listener } from './socket';

/**
 * The receipts half of the `/dm` edge. Delivered: whenever entries by a DM peer reach this device
 * (live, in a sync or history page, or as the newest message of a conversation entry) it reports
 * them with `dm:delivered`; the peer's reports move "Delivered" on our messages. Seen: every
 * member's marks in the groups and private channels opened here, kept live and fetched again
 * after each connect.
 */
export function createReceiptsRealtime() {
  const conversations = useConversationsStore();
  const dm = useDmStore();
  const roomReads = useRoomReadsStore();
  const session = useSessionStore();
  // Our own read mark counts as delivered: in a conversation on screen it covers every report.
  const reporter = createDeliveryReporter(reportDelivered, (roomId) => ({
    seq: conversations.byRoomId[roomId]?.myReadSeq ?? 0,
    sendingSeq: dm.readingSeq(roomId),
  }));

  /** The other participant of a one-to-one DM of ours; null in notes-to-self and other rooms. */
  function peerOf(roomId: string): string | null {
    const pair = dmParticipants(roomId);
    const me = session.user?.id;
    if (!pair || !me || pair[0] === pair[1] || !pair.includes(me)) return null;
    return pair[0] === me ? pair[1] : pair[0];
  }

  // What we have read the server counts as delivered already.
  function noteDelivered(roomId: string, seq: number): void {
    if (seq > (conversations.byRoomId[roomId]?.myReadSeq ?? 0)) reporter.note(roomId, seq);
  }

  /** A live `dm:message`: the peer's entry reached us. */
  function onEntry(message: MessageDto): void {
    if (peerOf(message.roomId) === message.author.id) noteDelivered(message.roomId, message.seq);
  }

  // Pages land in the DM store, list entries in the conversations store: whatever of the peer's
  // either holds has reached this device.
  const stopWatch = watch(
    () => {
      const me = session.user?.id;
      const seqs: [string, number][] = [];
      for (const conversation of Object.values(conversations.byRoomId)) seqs.push([conversation.roomId, peerEntrySeq(conversation, me)]);
      for (const [roomId, room] of dm.rooms) {
        const peer = peerOf(roomId);
        if (peer) seqs.push([roomId, newestSeqBy(room.messages, peer)]);
      }
      return seqs.filter(([, seq]) => seq > 0);
    },
    (seqs) => seqs.forEach(([roomId, seq]) => noteDelivered(roomId, seq)),
    { immediate: true },
  );

  function onDelivered(mark: ReadMarkDto): void {
    conversations.applyDelivered(mark);
    // Another device of ours reported it: nothing left for this one to say.
    if (mark.userId === session.user?.id) reporter.acknowledge(mark.roomId, mark.seq);
  }

  /** After `/dm` connected: reports that could not go, and marks that moved while away. */
  function onConnect(): Promise<void> {
    reporter.resume();
    return roomReads.refresh();
  }

  /** The user changed (or signed out): nothing of the previous one's is kept. */
  function reset(): void {
    reporter.reset();
    roomReads.reset();
  }

  const listeners: Listener[] = [['dm:delivered', onDelivered]];

  return {
    onEntry,
    onMark: (mark: ReadMarkDto) => roomReads.applyMark(mark),
    onConnect,
    /** The server's instance missed broadcasts (marks among them): ask again. */
    onResync: () => roomReads.refresh(),
    reset,
    stop() {
      stopWatch();
      reset();
    },
    listeners,
  };
}
