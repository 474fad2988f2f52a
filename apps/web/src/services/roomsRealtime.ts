import type { MessageDto, ReadMarkDto, RoomRemovedDto, RoomSummaryDto } from '@confab/shared';
import { createLiveBatch } from '../lib/liveBatch';
import { useNotifySettingsStore } from '../stores/notifySettings';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomReadsStore } from '../stores/roomReads';
import { useRoomsStore } from '../stores/rooms';
import type { Listener } from './socket';

/**
 * The rooms half of the realtime edge: what both namespaces' handlers do for channels and groups.
 * The lobby and DM stores keep their own paths; every entry also updates its room's summary.
 */
export function createRoomsRealtime() {
  const rooms = useRoomsStore();
  const roomMessages = useRoomMessagesStore();
  const roomReads = useRoomReadsStore();
  const notifySettings = useNotifySettingsStore();
  // Summaries follow entries once per frame, as the messages do (see liveBatch): noted one by one,
  // each entry replaced the room list, and the sidebar, unread totals and title followed each.
  const notes = createLiveBatch<MessageDto>((_, entries) => rooms.noteMessages(entries));

  /** A live entry of the lobby, a channel or a group: noted in its room's summary with the rest of its frame. */
  function noteEntry(message: MessageDto): void {
    notes.push('rooms', message);
  }

  /** A live entry of any room but the lobby and DMs: its summary, and its messages if this tab holds them. */
  function onEntry(message: MessageDto): void {
    noteEntry(message);
    roomMessages.receiveLive(message);
  }

  function forget(roomId: string): void {
    rooms.remove(roomId);
    roomMessages.drop(roomId);
    roomReads.forget(roomId);
    // The server deleted the setting with the membership: a room joined again starts from the default.
    notifySettings.forget(roomId);
  }

  /**
   * After `/dm` connected: the room list first (what changed while away), then only the rooms
   * that changed are synced, and rooms no longer ours are forgotten.
   */
  async function onDmConnect(isCurrent: () => boolean): Promise<void> {
    const dropped = await rooms.refresh();
    if (!dropped || !isCurrent()) return;
    for (const roomId of dropped) forget(roomId);
    await roomMessages.catchUpChanged(isCurrent);
  }

  /** After a `resync` on `/dm`: the list again (forgetting rooms no longer ours), and the gaps in private rooms; outboxes untouched. */
  async function onDmResync(): Promise<void> {
    const dropped = await rooms.refresh();
    for (const roomId of dropped ?? []) forget(roomId);
    await roomMessages.fillGaps('dm');
  }

  /** After `/lobby` connected: public channels held here catch up, if the list already told which changed. */
  function onLobbyConnect(isCurrent: () => boolean): Promise<void> {
    roomMessages.markConnected('lobby');
    return roomMessages.catchUpChanged(isCurrent);
  }

  const dmListeners: Listener[] = [
    ['room:update', (summary: RoomSummaryDto) => rooms.upsert(summary)],
    ['room:removed', (removed: RoomRemovedDto) => forget(removed.roomId)],
  ];

  return {
    noteEntry,
    onEntry,
    /** Drops the entries on their way to summaries (another user signed in). */
    discardNotes: () => notes.discard(),
    onMark: (mark: ReadMarkDto) => rooms.applyMark(mark),
    onDmConnect,
    onDmResync,
    onLobbyConnect,
    dmListeners,
  };
}

export type RoomsRealtime = ReturnType<typeof createRoomsRealtime>;
