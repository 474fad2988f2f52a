import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS, type AuthorDto } from '@confab/shared';
import { loadLocale } from '../i18n';
import { ALICE, BOB } from '../testing/factories';
import { createTypingReporter, createTypingTracker, typingPhrase } from './typing';

const CAROL = { id: 'c'.repeat(24), name: 'Carol Chu' };

describe('typingPhrase', () => {
  it('names one or two people and summarises three or more', () => {
    expect(typingPhrase([])).toBe('');
    expect(typingPhrase(['Alice'])).toBe('Alice is typing…');
    expect(typingPhrase(['Alice', 'Bob'])).toBe('Alice and Bob are typing…');
    expect(typingPhrase(['Alice', 'Bob', 'Carol'])).toBe('Several people are typing…');
  });

  it('speaks the language on screen', async () => {
    await loadLocale('zh-CN');
    try {
      expect(typingPhrase([])).toBe('');
      expect(typingPhrase(['Alice'])).toBe('Alice 正在输入…');
      expect(typingPhrase(['Alice', '李娜'])).toBe('Alice 和 李娜 正在输入…');
      expect(typingPhrase(['Alice', 'Bob', 'Carol'])).toBe('多人正在输入…');
    } finally {
      await loadLocale('en');
    }
  });
});

describe('the typing tracker', () => {
  let rooms: ReadonlyMap<string, readonly AuthorDto[]>;
  let tracker: ReturnType<typeof createTypingTracker>;
  const names = (roomId = 'lobby') => (rooms.get(roomId) ?? []).map((u) => u.name);

  beforeEach(() => {
    vi.useFakeTimers();
    rooms = new Map();
    tracker = createTypingTracker((next) => (rooms = next), {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
  });
  afterEach(() => vi.useRealTimers());

  it('an indicator not refreshed expires after typingExpiryMs, and each refresh restarts the clock', () => {
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: true });
    expect(names()).toEqual([ALICE.name]);
    vi.advanceTimersByTime(LIMITS.typingExpiryMs - 1000);
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: true });
    vi.advanceTimersByTime(LIMITS.typingExpiryMs - 1);
    expect(names()).toEqual([ALICE.name]);
    vi.advanceTimersByTime(1);
    expect(names()).toEqual([]);
  });

  it('keeps rooms apart, drops a user on stop or when their message arrives, and lists people in the order they started', () => {
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: true });
    tracker.apply({ roomId: 'lobby', user: BOB, isTyping: true });
    tracker.apply({ roomId: 'dm:x', user: CAROL, isTyping: true });
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: true });
    expect(typingPhrase(names())).toBe(`${ALICE.name} and ${BOB.name} are typing…`);
    expect(names('dm:x')).toEqual([CAROL.name]);
    tracker.apply({ roomId: 'lobby', user: CAROL, isTyping: true });
    expect(typingPhrase(names())).toBe('Several people are typing…');

    tracker.apply({ roomId: 'lobby', user: BOB, isTyping: false });
    tracker.clearUser('lobby', CAROL.id);
    expect(typingPhrase(names())).toBe(`${ALICE.name} is typing…`);
    expect(names('dm:x')).toEqual([CAROL.name]);
  });

  it('a stopped indicator does not come back when its old expiry timer would have fired', () => {
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: true });
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: false });
    vi.advanceTimersByTime(1000);
    tracker.apply({ roomId: 'lobby', user: ALICE, isTyping: true });
    vi.advanceTimersByTime(LIMITS.typingExpiryMs - 1001);
    expect(names()).toEqual([ALICE.name]);
    vi.advanceTimersByTime(1001);
    expect(names()).toEqual([]);
  });
});

describe('the composer\'s typing reporter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends start at most every typingThrottleMs while typing, and one stop on clear, blur or send', () => {
    const sent: boolean[] = [];
    const reporter = createTypingReporter((isTyping) => sent.push(isTyping), { now: () => Date.now() });
    reporter.input('h');
    reporter.input('he');
    vi.advanceTimersByTime(LIMITS.typingThrottleMs - 1);
    reporter.input('hel');
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    reporter.input('hell');
    expect(sent).toEqual([true, true]);

    reporter.input('');
    reporter.input('   ');
    expect(sent).toEqual([true, true, false]);
    // Typing again right after a stop announces it at once.
    reporter.input('x');
    expect(sent).toEqual([true, true, false, true]);
    reporter.stop();
    reporter.stop();
    expect(sent).toEqual([true, true, false, true, false]);
  });

  it('never sends a stop for a start it did not send', () => {
    const sent: boolean[] = [];
    const reporter = createTypingReporter((isTyping) => sent.push(isTyping), { now: () => Date.now() });
    reporter.stop();
    reporter.input('');
    expect(sent).toEqual([]);
  });
});
