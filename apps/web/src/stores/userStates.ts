import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { UserUpdateDto } from '@confab/shared';

/**
 * What changed about other users' accounts while this tab was open (`user:updated`, fed by the
 * realtime edge): whether each is deactivated now. It overrides what a message or list fetched
 * earlier said (`AuthorDto.deactivated`), so the mark beside a name appears and disappears
 * without a reload.
 */
export const useUserStatesStore = defineStore('userStates', () => {
  /** By user id; only users this tab heard about. */
  const deactivated = ref(new Map<string, boolean>());
  /** One more for every change heard: views that keep rows built from it rebuild them when it moves. */
  const revision = ref(0);

  function apply(update: UserUpdateDto): void {
    deactivated.value.set(update.userId, update.deactivated);
    revision.value += 1;
  }

  /** Whether to mark the user as deactivated: what this tab heard last, else what the server sent with the data (`fromDto`). */
  function isDeactivated(userId: string, fromDto: boolean): boolean {
    return deactivated.value.get(userId) ?? fromDto;
  }

  function reset(): void {
    deactivated.value = new Map();
    revision.value += 1;
  }

  return { deactivated, revision, apply, isDeactivated, reset };
});
