import { describe, expect, it } from 'vitest';
import { LIMITS, channelCreateSchema, channelEditSchema, channelNameKey, groupOpenSchema, roomIdSchema, roomInviteSchema, validate } from '../src/index.js';

const id = (digit: string) => digit.repeat(24);

describe('room ids', () => {
  it('accept the lobby, DMs, channels and groups, and nothing else', () => {
    for (const good of ['lobby', `dm:${id('0')}:${id('a')}`, `c:${id('b')}`, `g:${id('c')}`]) expect(validate(roomIdSchema, good).ok, good).toBe(true);
    for (const bad of ['Lobby', `c:${id('B')}`, `x:${id('b')}`, `g:${id('c')}0`, `dm:${id('a')}:${id('0')}`, { $ne: null }, '']) {
      expect(validate(roomIdSchema, bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
  });
});

describe('channel names', () => {
  const create = (name: unknown) => validate(channelCreateSchema, { name });

  it('keep letters and digits of any script, "-" and "_", normalised with NFKC and trimmed; public by default', () => {
    expect(create(' design-2_x ')).toEqual({ ok: true, data: { name: 'design-2_x', topic: '', private: false } });
    expect(create('设计')).toMatchObject({ ok: true, data: { name: '设计' } });
    expect(create('ｄｅｓｉｇｎ')).toMatchObject({ ok: true, data: { name: 'design' } });
  });

  it('refuse spaces, "#", punctuation, empty names and names over the limit', () => {
    for (const bad of ['two words', '#design', 'a.b', '', '   ', 'x'.repeat(LIMITS.channelNameMaxLength + 1), 42]) {
      expect(create(bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
    }
    expect(create('字'.repeat(LIMITS.channelNameMaxLength)).ok).toBe(true);
  });

  it('are unique ignoring case: the key folds case and compatibility forms', () => {
    expect(channelNameKey('Design')).toBe(channelNameKey('ＤＥＳＩＧＮ'));
  });

  it('channel:edit needs a name or a topic, and a topic may be cleared', () => {
    const roomId = `c:${id('b')}`;
    expect(validate(channelEditSchema, { roomId })).toMatchObject({ ok: false, error: { field: 'name' } });
    expect(validate(channelEditSchema, { roomId, topic: '' })).toEqual({ ok: true, data: { roomId, topic: '' } });
    expect(validate(channelEditSchema, { roomId, topic: '\u0007' })).toMatchObject({ ok: false, error: { field: 'topic' } });
  });
});

describe('groups and invitations', () => {
  it('group:open names 2 to 8 other people, each once', () => {
    expect(validate(groupOpenSchema, { userIds: [id('a')] })).toMatchObject({ ok: false, error: { field: 'userIds' } });
    expect(validate(groupOpenSchema, { userIds: [id('a'), id('b')] }).ok).toBe(true);
    expect(validate(groupOpenSchema, { userIds: [id('a'), id('a')] })).toMatchObject({ ok: false, error: { field: 'userIds' } });
    expect(validate(groupOpenSchema, { userIds: '0123456789'.split('').slice(0, 9).map(id) })).toMatchObject({ ok: false, error: { field: 'userIds' } });
  });

  it('room:invite names 1 to 20 users, each once', () => {
    const roomId = `c:${id('b')}`;
    expect(validate(roomInviteSchema, { roomId, userIds: [] })).toMatchObject({ ok: false, error: { field: 'userIds' } });
    expect(validate(roomInviteSchema, { roomId, userIds: [id('a'), id('a')] })).toMatchObject({ ok: false, error: { field: 'userIds' } });
    expect(validate(roomInviteSchema, { roomId, userIds: [id('a')] }).ok).toBe(true);
  });
});

describe('channel names and topics that would deceive', () => {
  const create = (name: unknown, topic?: string) => validate(channelCreateSchema, { name, ...(topic === undefined ? {} : { topic }) });

  it('refuse the lobby, names of only "-" or "_", invisible letters and direction controls', () => {
    for (const bad of ['lobby', 'LOBBY', 'ｌｏｂｂｙ', '---', '___', '\u3164', 'design\u200B', 'a\u202Eb']) {
      expect(create(bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'name' } });
    }
    expect(create('lobby-2').ok).toBe(true);
  });

  it('refuse a topic with a direction override', () => {
    expect(create('design', 'read me \u202Etxt.exe')).toMatchObject({ ok: false, error: { field: 'topic' } });
    expect(create('design', 'שלום world').ok).toBe(true);
  });
});
