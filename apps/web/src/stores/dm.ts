import { defineStore } from 'pinia';
import { effectScope, reactive, ref, shallowReactive, type EffectScope } from 'vue';
import { dmParticipants, type MessageDto } from '@confab/shared';
import { createRoomLiveBatch } from '../lib/liveBatch';
import { roomOutboxStorage, roomsWithStoredOutbox } from '../lib/outboxStorage';
import { createRoomMessages, type RoomMessages } from '../lib/roomMessages';
import { editDm, fetchDmHistory, markDmRead, reactDm, recallDm, removeDm, reportDm, sendDm, syncDm } from '../services/dm';
import { useConversationsStore } from './conversations';
import { useSessionStore } from './session';

/**
 * The DM rooms this tab has opened or holds unsent messages for, each with the same message state
 * as the lobby, and which one is on screen. Rooms never opened here hold nothing: the
 * conversation list covers them.
 */
export const useDmStore = defineStore('dm', () => {
  const rooms = shallowReactive(new Map<string, RoomMessages>());
  /** The room the DM view shows, or null. */
  const activeRoomId = ref<string | null>(null);
  /** The `/dm` socket is connected (the composer says "offline" otherwise). */
  const isConnected = ref(false);
  // Each room's computeds live in their own scope, stopped when the user changes.
  const scopes = new Map<string, EffectScope>();
  // Read marks on their way, by room: the delivery reporter waits for them (a read counts as delivered).
  const readsInFlight = new Map<string, number>();
  const myId = () => useSessionStore().user?.id;

  function createRoom(roomId: string): RoomMessages {
    const members = dmParticipants(roomId);
    if (!members) throw new Error(`not a DM room id: ${roomId}`);
    // The peer is whichever participant is not us; in notes-to-self both are.
    const peerId = () => (members[0] === myId() ? members[1] : members[0]);
    const scope = effectScope(true);
    const room = scope.run(() =>
      reactive(
        createRoomMessages(
          {
            send: (payload) => sendDm({ to: peerId(), ...payload }),
            history: (payload) => fetchDmHistory({ roomId, ...payload }),
            sync: (payload) => syncDm({ roomId, ...payload }),
            recall: (payload) => recallDm(payload),
            edit: (payload) => editDm(payload),
            react: (payload, add) => reactDm(payload, add),
            remove: (payload) => removeDm(payload),
            report: (payload) => reportDm(payload),
          },
          myId,
          { roomId, persistence: roomOutboxStorage(roomId) },
        ),
      ),
    )!;
    scopes.set(roomId, scope);
    rooms.set(roomId, room);
    room.restore();
    return room;
  }

  /**
   * After sign-in: holds every room in which this user left unsent messages in this browser, so
   * that the next connect catches them up and sends them, whether or not they are opened.
   */
  function restore(): void {
    const me = myId();
    if (!me) return;
    for (const roomId of roomsWithStoredOutbox(me)) {
      if (dmParticipants(roomId)?.includes(me)) room(roomId);
    }
  }

  function room(roomId: string): RoomMessages {
    return rooms.get(roomId) ?? createRoom(roomId);
  }

  /** Catches a room up and then lets its outbox go, unless the connection dropped meanwhile. */
  async function catchUpRoom(roomId: string, isCurrent: () => boolean = () => isConnected.value): Promise<void> {
    const target = room(roomId);
    if (!isConnected.value) return;
    await target.catchUp();
    if (isCurrent() && isConnected.value) target.resume();
  }

  /** Shows a room: loads or catches it up now if connected, else on connect. */
  function activate(roomId: string): RoomMessages {
    const target = room(roomId);
    activeRoomId.value = roomId;
    void catchUpRoom(roomId);
    return target;
  }

  function deactivate(roomId: string): void {
    if (activeRoomId.value === roomId) activeRoomId.value = null;
  }

  // Applied once per frame per room (see liveBatch): a burst costs one merge and one render per frame.
  const live = createRoomLiveBatch<MessageDto>((roomId) => rooms.get(roomId));

  /** Takes a `dm:message` for its room if this tab holds that room; merged with its frame's others, then a revealed gap is filled. */
  function receiveLive(message: MessageDto): void {
    if (rooms.has(message.roomId)) live.push(message.roomId, message);
  }

  function markConnected(): void {
    isConnected.value = true;
  }

  function markDisconnected(): void {
    isConnected.value = false;
    for (const target of rooms.values()) target.pause();
  }

  /** After a (re)connect: the open room first, then every other room held here. */
  async function catchUpAll(isCurrent: () => boolean): Promise<void> {
    const order = [...rooms.keys()].sort((a, b) => Number(b === activeRoomId.value) - Number(a === activeRoomId.value));
    for (const roomId of order) {
      if (!isCurrent()) return;
      await catchUpRoom(roomId, isCurrent);
    }
  }

  /** After a `resync`: fills what the server's instance missed in every room held, outboxes untouched. */
  async function fillGaps(): Promise<void> {
    for (const target of rooms.values()) {
      if (!isConnected.value) return;
      await target.catchUp();
    }
  }

  /** Tells the server (and so our other tabs and the peer) that we have read the room up to `seq`. */
  async function markRead(roomId: string, seq: number): Promise<boolean> {
    readsInFlight.set(roomId, Math.max(seq, readsInFlight.get(roomId) ?? 0));
    try {
      const res = await markDmRead({ roomId, seq });
      if (res.ok) useConversationsStore().applyMark(res.data);
      return res.ok;
    } finally {
      if (readsInFlight.get(roomId) === seq) readsInFlight.delete(roomId);
    }
  }

  /** The highest read mark of a room still on its way to the server (0: none). */
  function readingSeq(roomId: string): number {
    return readsInFlight.get(roomId) ?? 0;
  }

  function reset(): void {
    live.discard();
    for (const scope of scopes.values()) scope.stop();
    for (const target of rooms.values()) target.reset();
    scopes.clear();
    rooms.clear();
    readsInFlight.clear();
    activeRoomId.value = null;
    isConnected.value = false;
  }

  return { rooms, activeRoomId, isConnected, room, restore, activate, deactivate, receiveLive, flushLive: live.flush, markConnected, markDisconnected, catchUpAll, fillGaps, markRead, readingSeq, reset };
});
