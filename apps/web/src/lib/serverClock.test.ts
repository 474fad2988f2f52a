import { describe, expect, it, vi } from 'vitest';
import { createServerClock } from './serverClock';

const SERVER = Date.UTC(2026, 2, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

/** A clock whose device time is `skewMs` off the server's, and a way to move it. */
function device(skewMs: number) {
  let local = SERVER + skewMs;
  const clock = createServerClock(() => local);
  return { clock, advance: (ms: number) => (local += ms), local: () => local };
}

describe('the server clock', () => {
  it('a device clock 3 minutes fast or slow reads the server time after one reading, to within half its round trip', () => {
    for (const skew of [180_000, -180_000]) {
      const { clock, advance, local } = device(skew);
      const sentAt = local();
      advance(40);
      // The server read its clock 10 ms into a 100 ms round trip: the worst case is half of it.
      const serverRead = SERVER + 10;
      advance(60);
      clock.observe(iso(serverRead), sentAt, local());
      expect(Math.abs(clock.now() - (SERVER + 100))).toBeLessThanOrEqual(50);
    }
  });

  it('reads the device clock until it learns better', () => {
    const { clock, local } = device(-180_000);
    expect(clock.now()).toBe(local());
    expect(clock.offsetMs()).toBe(0);
  });

  it('keeps a sharp reading when a slower one agrees with it, and takes a sharper one', () => {
    const { clock, local } = device(60_000);
    clock.observe(iso(SERVER), local() - 10, local() + 10);
    expect(clock.offsetMs()).toBe(-60_000);
    // A 2 s round trip whose interval still holds the offset: no change.
    clock.observe(iso(SERVER + 500), local() - 1_000, local() + 1_000);
    expect(clock.offsetMs()).toBe(-60_000);
    clock.observe(iso(SERVER + 2), local(), local() + 2);
    expect(clock.offsetMs()).toBe(-59_999);
  });

  it('a reading that contradicts the held offset wins, however slow: the device clock was moved', () => {
    const { clock, local } = device(0);
    clock.observe(iso(SERVER), local(), local());
    expect(clock.offsetMs()).toBe(0);
    // The user sets their clock back 5 minutes; the next reading (after a reconnect) says so.
    clock.observe(iso(SERVER), local() - 300_000 - 1_000, local() - 300_000 + 1_000);
    expect(clock.offsetMs()).toBe(300_000);
  });

  it('a server timestamp only ever raises the offset: a message cannot arrive before it was stamped', () => {
    const { clock, local } = device(-120_000);
    clock.notBefore(iso(SERVER - 125_000));
    expect(clock.offsetMs()).toBe(0);
    clock.notBefore(iso(SERVER), local());
    expect(clock.offsetMs()).toBe(120_000);
    // An old timestamp, as a resent message's ack carries, changes nothing.
    clock.notBefore(iso(SERVER - 3_600_000));
    expect(clock.offsetMs()).toBe(120_000);
  });

  it('ignores readings it cannot parse or whose answer came before the question', () => {
    const { clock, local } = device(30_000);
    clock.observe('not a date', local(), local());
    clock.observe(iso(SERVER), local(), local() - 1);
    clock.notBefore('soon');
    expect(clock.offsetMs()).toBe(0);
  });

  it('tells subscribers when the offset changes, and not otherwise', () => {
    const { clock, local } = device(10_000);
    const listener = vi.fn();
    const unsubscribe = clock.subscribe(listener);
    clock.observe(iso(SERVER), local(), local());
    clock.observe(iso(SERVER), local() - 5, local() + 5);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    clock.observe(iso(SERVER + 60_000), local(), local());
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('asks for a new reading when the device clock is set while the app runs, and not while it merely runs on', () => {
    let local = SERVER + 180_000;
    let monotonic = 1_000;
    const clock = createServerClock(() => local, () => monotonic);
    const remeasure = vi.fn();
    clock.onDeviceClockJump(remeasure);
    clock.observe(iso(SERVER), local, local);
    local += 60_000;
    monotonic += 60_000;
    expect(clock.now()).toBe(SERVER + 60_000);
    expect(remeasure).not.toHaveBeenCalled();
    // Someone sets the device clock back by 3 minutes: the held offset now reads 3 minutes slow.
    local -= 180_000;
    clock.now();
    expect(remeasure).toHaveBeenCalledTimes(1);
    clock.now();
    expect(remeasure).toHaveBeenCalledTimes(1);
  });
});
