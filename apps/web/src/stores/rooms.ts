import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { LOBBY_ROOM_ID, channelNameKey, type MessageDto, type ReadMarkDto, type RoomDto, type RoomSummaryDto } from '@confab/shared';
import type { AsyncStatus } from '../lib/roomMessages';
import { EMPTY_LEDGER, noteMention, readMentions, rebaseMentions, type MentionLedger } from '../lib/roomMentions';
import { applyRoomMark, mergeSummary, noteEntry, sortChannels, totalRoomUnread } from '../lib/rooms';
import * as api from '../services/rooms';
import type { Result } from '../services/request';
import { useSessionStore } from './session';

/**
 * The signed-in user's rooms other than one-to-one DMs (the lobby, channels, groups) as
 * `room:list` summaries, kept live from `room:update`, `room:removed`, read marks and new entries;
 * and which room (of any kind, DMs too) is on screen.
 */
export const useRoomsStore = defineStore('rooms', () => {
  const byId = ref<Record<string, RoomSummaryDto>>({});
  const loadStatus = ref<AsyncStatus>('idle');
  /** `room:list` answered since `/dm` last connected: its `lastSeq`s may decide catch-ups. */
  const isFresh = ref(false);
  /** The room the open view shows (lobby, channel, group or DM), or null. */
  const viewedRoomId = ref<string | null>(null);

  const channels = computed(() => sortChannels(Object.values(byId.value)));
  const groups = computed(() => Object.values(byId.value).filter((s) => s.room.kind === 'group'));
  const totalUnread = computed(() => totalRoomUnread(Object.values(byId.value)));
  const myId = () => useSessionStore().user?.id;

  // Which unread mentions this tab counted itself, by room (see MentionLedger); not shown, so not reactive.
  const ledgers = new Map<string, MentionLedger>();
  // Bumped by reset(): answers to requests made for a previous user are dropped.
  let generation = 0;
  // Rooms that arrived while a list was on its way: an older list must not drop them.
  let arrivedDuringRefresh: Set<string> | null = null;
  // The list being built while `noteMessages` runs: notes land here, and it replaces `byId` once at the end.
  let noting: Record<string, RoomSummaryDto> | null = null;

  function set(summary: RoomSummaryDto): void {
    if (noting) noting[summary.room.id] = summary;
    else if (byId.value[summary.room.id] !== summary) byId.value = { ...byId.value, [summary.room.id]: summary };
  }

  /** Merges a snapshot into the held entry; the counts now end at the snapshot's newest seq. */
  function merged(held: RoomSummaryDto | undefined, incoming: RoomSummaryDto): RoomSummaryDto {
    const next = mergeSummary(held, incoming);
    if (next !== held) ledgers.set(next.room.id, rebaseMentions(ledgers.get(next.room.id) ?? EMPTY_LEDGER, incoming.lastSeq, next.myReadSeq));
    return next;
  }

  /** Takes a snapshot (`room:update`, an ack): replaces the entry unless it is older than the one held. */
  function upsert(summary: RoomSummaryDto): void {
    arrivedDuringRefresh?.add(summary.room.id);
    set(merged(byId.value[summary.room.id], summary));
  }

  /** A room changed by an ack carrying only the room (`channel:edit`, `room:invite`). */
  function updateRoom(room: RoomDto): void {
    const held = byId.value[room.id];
    if (held) set({ ...held, room });
  }

  function remove(roomId: string): void {
    ledgers.delete(roomId);
    if (!byId.value[roomId]) return;
    const { [roomId]: _gone, ...rest } = byId.value;
    byId.value = rest;
  }

  /** A live entry of the lobby, a channel or a group: counts, preview, and mentions of us. */
  function noteMessage(message: MessageDto): void {
    const held = (noting ?? byId.value)[message.roomId];
    if (!held) return;
    const next = noteEntry(held, message, myId());
    if (next === held) return;
    const mentions = noteMention({ mentionCount: held.mentionCount, ledger: ledgers.get(held.room.id) ?? EMPTY_LEDGER }, message, held.myReadSeq, myId());
    ledgers.set(held.room.id, mentions.ledger);
    set(mentions.mentionCount === next.mentionCount ? next : { ...next, mentionCount: mentions.mentionCount });
  }

  /**
   * A frame's live entries (the realtime edge queues them), noted in arrival order with one
   * replacement of the list at the end: a ban's hundreds of removal entries then cost one recount
   * of the sidebar, unread totals and title, not one per entry. Each goes through the store's
   * `noteMessage`, so that its listeners (the notifier) still hear every entry.
   */
  function noteMessages(messages: readonly MessageDto[]): void {
    const store = useRoomsStore();
    const before = byId.value;
    const draft = { ...before };
    noting = draft;
    try {
      for (const message of messages) store.noteMessage(message);
    } finally {
      noting = null;
    }
    if (Object.keys(draft).some((id) => draft[id] !== before[id])) byId.value = draft;
  }

  function applyMark(mark: ReadMarkDto): void {
    const held = byId.value[mark.roomId];
    if (!held) return;
    const next = applyRoomMark(held, mark, myId());
    if (next === held) return;
    const mentions = readMentions({ mentionCount: next.mentionCount, ledger: ledgers.get(held.room.id) ?? EMPTY_LEDGER }, mark.seq, mark.seq >= held.lastSeq);
    ledgers.set(held.room.id, mentions.ledger);
    set({ ...next, mentionCount: mentions.mentionCount });
  }

  /**
   * Replaces the list with the server's (after every `/dm` connect: updates may have been
   * missed). Returns the ids of rooms it dropped (left or removed while away), or null when the
   * list could not be had.
   */
  async function refresh(): Promise<string[] | null> {
    const gen = generation;
    loadStatus.value = 'loading';
    const arrived = new Set<string>();
    arrivedDuringRefresh = arrived;
    const res = await api.listRooms();
    if (gen !== generation) return null;
    if (arrivedDuringRefresh === arrived) arrivedDuringRefresh = null;
    if (!res.ok) {
      loadStatus.value = 'error';
      return null;
    }
    const listed = new Set(res.data.rooms.map((s) => s.room.id));
    const dropped = Object.keys(byId.value).filter((id) => !listed.has(id) && !arrived.has(id));
    const next: Record<string, RoomSummaryDto> = {};
    for (const id of arrived) if (byId.value[id]) next[id] = byId.value[id]!;
    for (const summary of res.data.rooms) next[summary.room.id] = merged(next[summary.room.id] ?? byId.value[summary.room.id], summary);
    for (const id of ledgers.keys()) if (!next[id]) ledgers.delete(id);
    byId.value = next;
    loadStatus.value = 'done';
    isFresh.value = true;
    return dropped;
  }

  /** `/dm` dropped: what the list says may be stale until the next `refresh`. */
  function markStale(): void {
    isFresh.value = false;
  }

  /** A joined channel by name, as `channelNameKey` compares names (case-insensitive, NFKC). */
  function findChannel(name: string): RoomSummaryDto | undefined {
    const key = channelNameKey(name);
    if (key === LOBBY_ROOM_ID) return byId.value[LOBBY_ROOM_ID];
    return channels.value.find((s) => s.room.kind !== 'lobby' && channelNameKey(s.room.name ?? '') === key);
  }

  /** Runs a request whose answer is a summary, and takes that summary in (unless signed out meanwhile). */
  async function withSummary(run: () => Promise<Result<RoomSummaryDto>>): Promise<Result<RoomSummaryDto>> {
    const gen = generation;
    const res = await run();
    if (gen === generation && res.ok) upsert(res.data);
    return res;
  }

  async function withRoom(run: () => Promise<Result<RoomDto>>): Promise<Result<RoomDto>> {
    const gen = generation;
    const res = await run();
    if (gen === generation && res.ok) updateRoom(res.data);
    return res;
  }

  const create = (payload: Parameters<typeof api.createChannel>[0]) => withSummary(() => api.createChannel(payload));
  const join = (roomId: string) => withSummary(() => api.joinRoom(roomId));
  const openGroup = (userIds: string[]) => withSummary(() => api.openGroup({ userIds }));
  const edit = (payload: Parameters<typeof api.editChannel>[0]) => withRoom(() => api.editChannel(payload));
  const invite = (roomId: string, userIds: string[]) => withRoom(() => api.inviteToRoom({ roomId, userIds }));

  /** Leaves a channel or group; every tab (this one too) hears `room:removed`, which forgets its messages. */
  async function leave(roomId: string): Promise<Result<null>> {
    const res = await api.leaveRoom(roomId);
    if (res.ok) remove(roomId);
    return res;
  }

  function setViewed(roomId: string | null): void {
    viewedRoomId.value = roomId;
  }

  function reset(): void {
    generation += 1;
    arrivedDuringRefresh = null;
    ledgers.clear();
    byId.value = {};
    loadStatus.value = 'idle';
    isFresh.value = false;
    viewedRoomId.value = null;
  }

  return {
    byId,
    loadStatus,
    isFresh,
    viewedRoomId,
    channels,
    groups,
    totalUnread,
    upsert,
    updateRoom,
    remove,
    noteMessage,
    noteMessages,
    applyMark,
    refresh,
    markStale,
    findChannel,
    create,
    join,
    openGroup,
    edit,
    invite,
    leave,
    setViewed,
    reset,
  };
});
