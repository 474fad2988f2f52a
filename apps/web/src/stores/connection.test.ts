import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useConnectionStore } from './connection';

describe('connection store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useConnectionStore().stop();
    vi.useRealTimers();
  });

  it('counts down to the next reconnection attempt in whole seconds', () => {
    const connection = useConnectionStore();
    connection.markConnected();
    connection.scheduleRetry(2_400);
    expect(connection).toMatchObject({ status: 'reconnecting', secondsUntilRetry: 3, hasConnected: true });
    vi.advanceTimersByTime(1_000);
    expect(connection.secondsUntilRetry).toBe(2);
    vi.advanceTimersByTime(1_500);
    expect(connection.secondsUntilRetry).toBe(0);
  });

  it('stops counting once connecting again, and forgets the past connection when stopped', () => {
    const connection = useConnectionStore();
    connection.scheduleRetry(5_000);
    connection.markConnecting();
    expect(connection.secondsUntilRetry).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    connection.markConnected();
    expect(connection.isConnected).toBe(true);
    connection.stop();
    expect(connection).toMatchObject({ status: 'idle', hasConnected: false, isConnected: false });
  });

  it('keeps the reason a handshake was refused until the next state', () => {
    const connection = useConnectionStore();
    connection.refuse('This origin may not connect.');
    expect(connection).toMatchObject({ status: 'refused', refusal: 'This origin may not connect.' });
    connection.markConnecting();
    expect(connection.refusal).toBeNull();
  });
});
