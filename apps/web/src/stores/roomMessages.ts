import { defineStore } from 'pinia';
import { effectScope, reactive, ref, shallowReactive, type EffectScope } from 'vue';
import type { MessageDto } from '@confab/shared';
import { createRoomLiveBatch } from '../lib/liveBatch';
import { roomOutboxStorage, roomsWithStoredOutbox } from '../lib/outboxStorage';
import { createRoomMessages, type RoomMessages, type RoomTransport as MessageTransport } from '../lib/roomMessages';
import { isHeldRoomId, planCatchUp, roomTransport, type RoomTransport } from '../lib/rooms';
import { editDm, fetchDmHistory, markDmRead, reactDm, recallDm, removeDm, reportDm, sendDm, syncDm } from '../services/dm';
import { editMessage, fetchHistory, reactToMessage, recallMessage, removeMessage, reportMessage, sendMessage, syncMessages } from '../services/lobby';
import { useRoomsStore } from './rooms';
import { useSessionStore } from './session';

/**
 * The channels and groups this tab has opened or holds unsent messages for, each with the same
 * message state as the lobby and every DM room. A public channel talks on `/lobby`, a private
 * channel or group on `/dm`; each is caught up once its namespace is connected and `room:list`
 * said whether anything changed in it.
 */
export const useRoomMessagesStore = defineStore('roomMessages', () => {
  const rooms = shallowReactive(new Map<string, RoomMessages>());
  /** The room the room view shows, or null. */
  const activeRoomId = ref<string | null>(null);
  const connected = reactive<Record<RoomTransport, boolean>>({ lobby: false, dm: false });
  // Public channels shown to a non-member: never in `room:list`, and not to be dropped for that.
  const previews = new Set<string>();
  // Each room's computeds live in their own scope, stopped when the room is dropped.
  const scopes = new Map<string, EffectScope>();
  const myId = () => useSessionStore().user?.id;

  /** Asked at every request: a room restored from an outbox learns its kind from the list later. */
  function transportOf(roomId: string): RoomTransport {
    return roomTransport(roomId, useRoomsStore().byId[roomId]?.room.kind);
  }

  function transportFor(roomId: string): MessageTransport {
    const isPublic = () => transportOf(roomId) === 'lobby';
    return {
      send: (payload) => (isPublic() ? sendMessage({ roomId, ...payload }) : sendDm({ roomId, ...payload })),
      history: (payload) => (isPublic() ? fetchHistory({ roomId, ...payload }) : fetchDmHistory({ roomId, ...payload })),
      sync: (payload) => (isPublic() ? syncMessages({ roomId, ...payload }) : syncDm({ roomId, ...payload })),
      recall: (payload) => (isPublic() ? recallMessage(payload) : recallDm(payload)),
      edit: (payload) => (isPublic() ? editMessage(payload) : editDm(payload)),
      react: (payload, add) => (isPublic() ? reactToMessage(payload, add) : reactDm(payload, add)),
      remove: (payload) => (isPublic() ? removeMessage(payload) : removeDm(payload)),
      report: (payload) => (isPublic() ? reportMessage(payload) : reportDm(payload)),
    };
  }

  function createRoom(roomId: string): RoomMessages {
    const scope = effectScope(true);
    const room = scope.run(() => reactive(createRoomMessages(transportFor(roomId), myId, { roomId, persistence: roomOutboxStorage(roomId) })))!;
    scopes.set(roomId, scope);
    rooms.set(roomId, room);
    room.restore();
    return room;
  }

  function room(roomId: string): RoomMessages {
    return rooms.get(roomId) ?? createRoom(roomId);
  }

  /** After sign-in: holds every channel and group with unsent messages kept in this browser. */
  function restore(): void {
    const me = myId();
    if (!me) return;
    for (const roomId of roomsWithStoredOutbox(me)) if (isHeldRoomId(roomId)) room(roomId);
  }

  /** Whether a room may be caught up now: its namespace is up, and the list (or, for a preview, nothing) vouches for it. */
  function isReady(roomId: string): boolean {
    return connected[transportOf(roomId)] && (previews.has(roomId) || useRoomsStore().isFresh);
  }

  async function catchUpRoom(roomId: string, isCurrent: () => boolean = () => true): Promise<void> {
    const target = rooms.get(roomId);
    if (!target || !isReady(roomId)) return;
    await target.catchUp();
    if (isCurrent() && rooms.get(roomId) === target && isReady(roomId)) target.resume();
  }

  /** Shows a room: loads or catches it up now if it can, else once connected. `isPreview`: a public channel the user has not joined. */
  function activate(roomId: string, options: { isPreview?: boolean } = {}): RoomMessages {
    if (options.isPreview) previews.add(roomId);
    else previews.delete(roomId);
    const target = room(roomId);
    activeRoomId.value = roomId;
    void catchUpRoom(roomId);
    return target;
  }

  function deactivate(roomId: string): void {
    if (activeRoomId.value === roomId) activeRoomId.value = null;
    // A preview cannot be caught up later (only members may sync), so it is loaded afresh each time.
    if (previews.has(roomId)) drop(roomId);
  }

  // Applied once per frame per room (see liveBatch): a burst costs one merge and one render per frame.
  const live = createRoomLiveBatch<MessageDto>((roomId) => rooms.get(roomId));

  /** Takes a live entry for its room if this tab holds that room; merged with its frame's others, then a revealed gap is filled. */
  function receiveLive(message: MessageDto): void {
    if (rooms.has(message.roomId)) live.push(message.roomId, message);
  }

  function markConnected(via: RoomTransport): void {
    connected[via] = true;
  }

  function markDisconnected(via: RoomTransport): void {
    connected[via] = false;
    for (const [roomId, target] of rooms) if (transportOf(roomId) === via) target.pause();
  }

  /** Forgets a room the user is no longer in: its messages, and its unsent ones (they can never go out). */
  function drop(roomId: string): void {
    const target = rooms.get(roomId);
    live.discard(roomId);
    previews.delete(roomId);
    if (activeRoomId.value === roomId) activeRoomId.value = null;
    if (!target) return;
    const me = myId();
    if (me && target.outbox.length > 0) roomOutboxStorage(roomId).remove(me, target.outbox.map((item) => item.clientId));
    scopes.get(roomId)?.stop();
    scopes.delete(roomId);
    target.reset();
    rooms.delete(roomId);
  }

  /**
   * After a (re)connect, once `room:list` answered: drops rooms absent from it, syncs only those
   * whose `lastSeq` is past what is held (the open room first), and lets every other outbox go at
   * once. Rooms whose namespace is still down wait for its connect, which calls this again.
   */
  async function catchUpChanged(isCurrent: () => boolean): Promise<void> {
    const summaries = useRoomsStore().byId;
    if (!useRoomsStore().isFresh) return;
    const held = [...rooms].map(([roomId, r]) => ({ roomId, syncedSeq: r.syncedSeq, isLoaded: r.floorSeq !== null }));
    const plan = planCatchUp(held, summaries, previews);
    for (const roomId of plan.drop) drop(roomId);
    for (const roomId of plan.resume) {
      const target = rooms.get(roomId);
      if (target && !target.isLive && isReady(roomId)) target.resume();
    }
    const order = plan.sync.sort((a, b) => Number(b === activeRoomId.value) - Number(a === activeRoomId.value));
    for (const roomId of order) {
      if (!isCurrent()) return;
      await catchUpRoom(roomId, isCurrent);
    }
  }

  /** After a `resync` on one namespace: fills what its instance missed in every room held there, outboxes untouched. */
  async function fillGaps(via: RoomTransport): Promise<void> {
    for (const [roomId, target] of rooms) {
      if (!connected[via]) return;
      if (transportOf(roomId) === via && target.floorSeq !== null) await target.catchUp();
    }
  }

  /** Marks any room read (the lobby, a channel, a group) up to `seq`; every tab of ours hears it. */
  async function markRead(roomId: string, seq: number): Promise<boolean> {
    const res = await markDmRead({ roomId, seq });
    if (res.ok) useRoomsStore().applyMark(res.data);
    return res.ok;
  }

  function reset(): void {
    live.discard();
    for (const scope of scopes.values()) scope.stop();
    for (const target of rooms.values()) target.reset();
    scopes.clear();
    rooms.clear();
    previews.clear();
    activeRoomId.value = null;
    connected.lobby = false;
    connected.dm = false;
  }

  return { rooms, activeRoomId, connected, room, restore, activate, deactivate, receiveLive, flushLive: live.flush, markConnected, markDisconnected, drop, catchUpChanged, fillGaps, markRead, reset };
});
