import { describe, expect, it } from 'vitest';
import { dmParticipants, dmReadSchema, dmRoomId, dmRoomIdSchema, dmSendSchema, userSearchSchema, validate } from '../src/index.js';

const alice = 'a'.repeat(24);
const bob = '0123456789abcdef01234567';

describe('DM room ids', () => {
  it('are the same whoever asks, and name both participants', () => {
    expect(dmRoomId(alice, bob)).toBe(dmRoomId(bob, alice));
    expect(dmRoomId(alice, bob)).toBe(`dm:${bob}:${alice}`);
    expect(dmParticipants(dmRoomId(alice, bob))).toEqual([bob, alice]);
    expect(dmParticipants(dmRoomId(alice, alice))).toEqual([alice, alice]);
  });

  it('refuse anything but the canonical form (on /dm any room id is accepted, the lobby too)', () => {
    expect(validate(dmRoomIdSchema, dmRoomId(alice, bob)).ok).toBe(true);
    expect(validate(dmRoomIdSchema, 'lobby').ok).toBe(true);
    for (const bad of [`dm:${alice}:${bob}`, 'lobbyx', `dm:${bob}`, `dm:${bob}:${alice}x`, `DM:${bob}:${alice}`, { $gt: '' }]) {
      expect(validate(dmRoomIdSchema, bad)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(dmParticipants('lobby')).toBeNull();
  });
});

describe('DM payloads', () => {
  it('dm:send takes a user id, a clientId and a body, and nothing else', () => {
    expect(validate(dmSendSchema, { to: bob, clientId: 'c1', body: ' hi ' })).toEqual({ ok: true, data: { to: bob, clientId: 'c1', body: 'hi' } });
    expect(validate(dmSendSchema, { to: 'bob', clientId: 'c1', body: 'hi' })).toMatchObject({ ok: false, error: { field: 'to' } });
    expect(validate(dmSendSchema, { to: bob, clientId: 'c1', body: 'hi', author: alice })).toMatchObject({ ok: false, error: { field: '' } });
    expect(validate(dmSendSchema, { to: { $ne: null }, clientId: 'c1', body: 'hi' })).toMatchObject({ ok: false, error: { field: 'to' } });
  });

  it('dm:send takes a room id instead of a user, never both and never neither', () => {
    const roomId = `c:${bob}`;
    expect(validate(dmSendSchema, { roomId, clientId: 'c1', body: 'hi' })).toEqual({ ok: true, data: { roomId, clientId: 'c1', body: 'hi' } });
    expect(validate(dmSendSchema, { roomId, to: bob, clientId: 'c1', body: 'hi' })).toMatchObject({ ok: false, error: { field: 'to' } });
    expect(validate(dmSendSchema, { clientId: 'c1', body: 'hi' })).toMatchObject({ ok: false, error: { field: 'to' } });
    expect(validate(dmSendSchema, { roomId: 'c:nothex', clientId: 'c1', body: 'hi' })).toMatchObject({ ok: false, error: { field: 'roomId' } });
  });

  it('dm:read needs a whole, non-negative seq', () => {
    const roomId = dmRoomId(alice, bob);
    expect(validate(dmReadSchema, { roomId, seq: 3 }).ok).toBe(true);
    expect(validate(dmReadSchema, { roomId, seq: -1 })).toMatchObject({ ok: false, error: { field: 'seq' } });
    expect(validate(dmReadSchema, { roomId, seq: 1.5 })).toMatchObject({ ok: false, error: { field: 'seq' } });
  });

  it('user:search defaults its page size and bounds it', () => {
    expect(validate(userSearchSchema, { query: 'al' })).toEqual({ ok: true, data: { query: 'al', limit: 20 } });
    expect(validate(userSearchSchema, { query: 'al', limit: 1000 })).toMatchObject({ ok: false, error: { field: 'limit' } });
  });
});
