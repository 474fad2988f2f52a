import { describe, expect, it } from 'vitest';
import { MUTED_FOREVER, defaultNotifyLevel, isMutedAt, notifySetSchema, validate } from '../src/index.js';

describe('notification settings', () => {
  it('channels and the lobby default to mentions only; DMs and groups to every message', () => {
    expect(defaultNotifyLevel('lobby')).toBe('mentions');
    expect(defaultNotifyLevel(`c:${'1'.repeat(24)}`)).toBe('mentions');
    expect(defaultNotifyLevel(`g:${'1'.repeat(24)}`)).toBe('all');
    expect(defaultNotifyLevel(`dm:${'1'.repeat(24)}:${'2'.repeat(24)}`)).toBe('all');
  });

  it('a room is muted while mutedUntil is ahead; "until turned back on" is ahead of any clock', () => {
    const now = Date.parse('2026-03-01T12:00:00.000Z');
    expect(isMutedAt(null, now)).toBe(false);
    expect(isMutedAt('2026-03-01T12:00:00.001Z', now)).toBe(true);
    expect(isMutedAt('2026-03-01T12:00:00.000Z', now)).toBe(false);
    expect(isMutedAt(MUTED_FOREVER, now)).toBe(true);
  });

  it('notify:set names a level or a mute; a bad one is refused on its field', () => {
    expect(validate(notifySetSchema, { roomId: 'lobby', level: 'none' })).toEqual({ ok: true, data: { roomId: 'lobby', level: 'none' } });
    expect(validate(notifySetSchema, { roomId: 'lobby', mutedUntil: MUTED_FOREVER })).toMatchObject({ ok: true });
    expect(validate(notifySetSchema, { roomId: 'lobby', mutedUntil: null })).toMatchObject({ ok: true });
    expect(validate(notifySetSchema, { roomId: 'lobby', level: 'loud' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'level' } });
    expect(validate(notifySetSchema, { roomId: 'lobby' })).toMatchObject({ ok: false, error: { field: 'level' } });
    expect(validate(notifySetSchema, { roomId: 'lobby', mutedUntil: 'soon' })).toMatchObject({ ok: false, error: { field: 'mutedUntil' } });
  });
});
