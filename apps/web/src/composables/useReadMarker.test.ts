import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { effectScope, nextTick, ref, type EffectScope } from 'vue';
import type { ConversationDto } from '@confab/shared';
import type { RoomMessages } from '../lib/roomMessages';
import { ALICE_BOB_ROOM, ALICE_USER, BOB, conversation, message } from '../testing/factories';
import { useAttentionStore } from '../stores/attention';
import { useDmStore } from '../stores/dm';
import { useSessionStore } from '../stores/session';
import { READ_DEBOUNCE_MS, useReadMarker } from './useReadMarker';

vi.mock('../services/dm', () => ({}));

describe('read marker', () => {
  let scope: EffectScope;
  let markRead: ReturnType<typeof vi.fn>;
  const isAtBottom = ref(true);
  const room = ref({ messages: [message(1, { roomId: ALICE_BOB_ROOM, author: BOB })] } as unknown as RoomMessages);
  const entry = ref<ConversationDto | undefined>(conversation());

  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    useSessionStore().user = ALICE_USER;
    const dm = useDmStore();
    dm.markConnected();
    markRead = vi.fn(async () => true);
    dm.markRead = markRead as unknown as typeof dm.markRead;
    isAtBottom.value = true;
    scope = effectScope();
  });
  afterEach(() => {
    scope.stop();
    vi.useRealTimers();
  });

  it('marks the newest message read once, shortly after it is on screen in a visible, focused tab', async () => {
    const attention = useAttentionStore();
    attention.setVisible(true);
    attention.setFocus(true);
    scope.run(() => useReadMarker(room, entry, isAtBottom));
    expect(markRead).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS);
    expect(markRead.mock.calls).toEqual([[ALICE_BOB_ROOM, 1]]);
    isAtBottom.value = false;
    await nextTick();
    isAtBottom.value = true;
    await nextTick();
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS);
    expect(markRead).toHaveBeenCalledTimes(1);
  });

  it('keeps marking while messages arrive faster than the wait: the mark goes out with the newest seq, not after the stream stops', async () => {
    const attention = useAttentionStore();
    attention.setVisible(true);
    attention.setFocus(true);
    const busy = ref({ messages: [message(1, { roomId: ALICE_BOB_ROOM, author: BOB })] } as unknown as RoomMessages);
    scope.run(() => useReadMarker(busy, entry, isAtBottom));
    // A message every 100 ms for a second: never READ_DEBOUNCE_MS of quiet.
    for (let seq = 2; seq <= 11; seq += 1) {
      busy.value = { messages: [...busy.value.messages, message(seq, { roomId: ALICE_BOB_ROOM, author: BOB })] } as unknown as RoomMessages;
      await vi.advanceTimersByTimeAsync(100);
    }
    const marked = markRead.mock.calls.map(([, seq]) => seq as number);
    expect(marked.length).toBeGreaterThanOrEqual(3);
    expect(marked).toEqual([...marked].sort((x, y) => x - y));
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS);
    expect(markRead.mock.calls.at(-1)).toEqual([ALICE_BOB_ROOM, 11]);
  });

  it('never marks anything read from a hidden tab, nor while scrolled up', async () => {
    const attention = useAttentionStore();
    attention.setVisible(false);
    attention.setFocus(true);
    scope.run(() => useReadMarker(room, entry, isAtBottom));
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS * 4);
    expect(markRead).not.toHaveBeenCalled();

    isAtBottom.value = false;
    attention.setVisible(true);
    await nextTick();
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS * 4);
    expect(markRead).not.toHaveBeenCalled();

    // Hidden again before the debounce ran out: the pending mark is dropped.
    isAtBottom.value = true;
    await nextTick();
    attention.setVisible(false);
    await nextTick();
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS * 4);
    expect(markRead).not.toHaveBeenCalled();
  });
});
