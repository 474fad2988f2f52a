import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, nextTick, ref, type Ref } from 'vue';
import { serverClock } from '../lib/serverClock';
import { useDeadline } from './useDeadline';

function mount(deadline: Ref<number | null | undefined>) {
  let isBefore!: Readonly<Ref<boolean>>;
  const app = createApp(
    defineComponent(() => {
      isBefore = useDeadline(() => deadline.value);
      return () => h('div');
    }),
  );
  app.mount(document.createElement('div'));
  return { isBefore: () => isBefore.value, unmount: () => app.unmount() };
}

describe('useDeadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns false the moment the deadline passes on the server clock, not at some later tick', async () => {
    const deadline = ref<number | null | undefined>(serverClock.now() + 4_000);
    const view = mount(deadline);
    expect(view.isBefore()).toBe(true);
    vi.advanceTimersByTime(3_990);
    expect(view.isBefore()).toBe(true);
    vi.advanceTimersByTime(20);
    expect(view.isBefore()).toBe(false);

    // A later deadline opens it again; null never ends; undefined never began.
    deadline.value = serverClock.now() + 1_000;
    await nextTick();
    expect(view.isBefore()).toBe(true);
    deadline.value = null;
    await nextTick();
    vi.advanceTimersByTime(60_000);
    expect(view.isBefore()).toBe(true);
    deadline.value = undefined;
    await nextTick();
    expect(view.isBefore()).toBe(false);
    view.unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
