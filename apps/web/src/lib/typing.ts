import { LIMITS, isolateText, type AuthorDto, type TypingDto } from '@confab/shared';
import { t } from '../i18n';

/** The timer functions the typing logic needs; tests pass fake ones (or use vi.useFakeTimers). */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…" in the language on screen, or '' for nobody. */
export function typingPhrase(rawNames: readonly string[]): string {
  // Isolated, so a right-to-left or direction-changing name cannot turn the phrase around.
  const names = rawNames.map(isolateText);
  if (names.length === 0) return '';
  if (names.length === 1) return t('chat.typing.one', { name: names[0]! });
  if (names.length === 2) return t('chat.typing.two', { first: names[0]!, second: names[1]! });
  return t('chat.typing.several');
}

/**
 * Who is typing where, from `typing` events. Each indicator expires `LIMITS.typingExpiryMs` after
 * its last refresh, because the events are volatile: a lost `typing:stop` must never stick.
 * `onChange` runs after every change so a store can publish a new snapshot.
 */
export function createTypingTracker(onChange: (rooms: ReadonlyMap<string, readonly AuthorDto[]>) => void, timers: Timers = realTimers) {
  const rooms = new Map<string, Map<string, { user: AuthorDto; timer: unknown }>>();

  function publish(): void {
    onChange(new Map([...rooms].map(([roomId, users]) => [roomId, [...users.values()].map((u) => u.user)])));
  }

  function remove(roomId: string, userId: string): boolean {
    const users = rooms.get(roomId);
    const entry = users?.get(userId);
    if (!users || !entry) return false;
    timers.clearTimeout(entry.timer);
    users.delete(userId);
    if (users.size === 0) rooms.delete(roomId);
    return true;
  }

  function apply(event: TypingDto): void {
    const { roomId, user } = event;
    if (!event.isTyping) {
      if (remove(roomId, user.id)) publish();
      return;
    }
    const users = rooms.get(roomId) ?? new Map();
    rooms.set(roomId, users);
    const previous = users.get(user.id);
    if (previous) timers.clearTimeout(previous.timer);
    const timer = timers.setTimeout(() => {
      if (remove(roomId, user.id)) publish();
    }, LIMITS.typingExpiryMs);
    // Keeps the order people started in, so the phrase does not reshuffle on every refresh.
    users.set(user.id, { user, timer });
    publish();
  }

  /** Their message arrived: whatever they were typing has been sent. */
  function clearUser(roomId: string, userId: string): void {
    if (remove(roomId, userId)) publish();
  }

  function reset(): void {
    for (const users of rooms.values()) for (const { timer } of users.values()) timers.clearTimeout(timer);
    rooms.clear();
    publish();
  }

  return { apply, clearUser, reset };
}

/**
 * The composer's side of the typing rules: `typing:start` on input at most every
 * `LIMITS.typingThrottleMs` while the user keeps typing, `typing:stop` once on send, blur or
 * clearing the input (and only if a start went out).
 */
export function createTypingReporter(emit: (isTyping: boolean) => void, timers: Pick<Timers, 'now'> = realTimers) {
  let lastStartAt: number | null = null;

  function stop(): void {
    if (lastStartAt === null) return;
    lastStartAt = null;
    emit(false);
  }

  /** Call on every change of the draft. */
  function input(draft: string): void {
    if (draft.trim() === '') {
      stop();
      return;
    }
    const now = timers.now();
    if (lastStartAt !== null && now - lastStartAt < LIMITS.typingThrottleMs) return;
    lastStartAt = now;
    emit(true);
  }

  return { input, stop };
}
