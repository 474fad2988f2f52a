import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { computed } from 'vue';
import { ALICE, BOB } from '../testing/factories';
import { useUserStatesStore } from './userStates';

describe('user states store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("says what the data said about a user this tab heard nothing of", () => {
    const states = useUserStatesStore();
    expect(states.isDeactivated(ALICE.id, true)).toBe(true);
    expect(states.isDeactivated(ALICE.id, false)).toBe(false);
  });

  it('what it heard last overrides what messages fetched earlier said, both ways, and for that user only', () => {
    const states = useUserStatesStore();
    states.apply({ userId: ALICE.id, deactivated: true });
    expect(states.isDeactivated(ALICE.id, false)).toBe(true);
    expect(states.isDeactivated(BOB.id, false)).toBe(false);
    states.apply({ userId: ALICE.id, deactivated: false });
    expect(states.isDeactivated(ALICE.id, true)).toBe(false);
  });

  it('a view that shows the mark follows an update without being rebuilt', () => {
    const states = useUserStatesStore();
    const isMarked = computed(() => states.isDeactivated(BOB.id, false));
    expect(isMarked.value).toBe(false);
    states.apply({ userId: BOB.id, deactivated: true });
    expect(isMarked.value).toBe(true);
    states.reset();
    expect(isMarked.value).toBe(false);
  });
});
