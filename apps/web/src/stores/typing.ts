import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { LOBBY_ROOM_ID, type AuthorDto, type TypingDto } from '@confab/shared';
import { sendDmTyping } from '../services/dm';
import { sendLobbyTyping } from '../services/lobby';
import { createTypingTracker, realTimers } from '../lib/typing';

/** Who is typing in each room (the lobby and every DM room), fed by the realtime edges. */
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

  /** Tells the room's other members that we started or stopped typing (the composer throttles). */
  function report(roomId: string, isTyping: boolean): void {
    void (roomId === LOBBY_ROOM_ID ? sendLobbyTyping(isTyping) : sendDmTyping(roomId, isTyping));
  }

  function reset(): void {
    tracker.reset();
  }

  return { byRoom, typers, apply, clearUser, report, reset };
});
