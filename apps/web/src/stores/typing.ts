import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { LOBBY_ROOM_ID, type AuthorDto, type TypingDto } from '@confab/shared';
import { roomTransport } from '../lib/rooms';
import { sendDmTyping } from '../services/dm';
import { sendLobbyTyping } from '../services/lobby';
import { createTypingTracker, realTimers } from '../lib/typing';
import { useRoomsStore } from './rooms';

/** Who is typing in each room (the lobby, channels, groups and DMs), fed by the realtime edges. */
export const useTypingStore = defineStore('typing', () => {
  const byRoom = shallowRef<ReadonlyMap<string, readonly AuthorDto[]>>(new Map());
  const tracker = createTypingTracker((rooms) => (byRoom.value = rooms), realTimers);

  function typers(roomId: string): readonly AuthorDto[] {
    return byRoom.value.get(roomId) ?? [];
  }

  function apply(event: TypingDto): void {
    tracker.apply(event);
  }

  function clearUser(roomId: string, userId: string): void {
    tracker.clearUser(roomId, userId);
  }

  /** Tells the room's other members that we started or stopped typing (the composer throttles); public rooms hear it on `/lobby`. */
  function report(roomId: string, isTyping: boolean): void {
    if (roomId === LOBBY_ROOM_ID) void sendLobbyTyping(isTyping);
    else if (roomTransport(roomId, useRoomsStore().byId[roomId]?.room.kind) === 'lobby') void sendLobbyTyping(isTyping, roomId);
    else void sendDmTyping(roomId, isTyping);
  }

  function reset(): void {
    tracker.reset();
  }

  return { byRoom, typers, apply, clearUser, report, reset };
});
