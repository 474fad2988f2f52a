import { describe, expect, it } from 'vitest';
import { LIMITS, historySchema, registerSchema, sendMessageSchema, syncSchema, validate } from '../src/index.js';

describe('message:send payloads', () => {
  it('normalise the body to NFC, fold CRLF, and trim it', () => {
    const res = validate(sendMessageSchema, { clientId: 'abc-1', body: '  Cafe\u0301\r\nline two  ' });
    expect(res).toEqual({ ok: true, data: { roomId: 'lobby', clientId: 'abc-1', body: 'Caf\u00e9\nline two' } });
  });

  it('accept a body of exactly the limit and refuse one past it', () => {
    expect(validate(sendMessageSchema, { clientId: 'a', body: 'x'.repeat(LIMITS.bodyMaxLength) }).ok).toBe(true);
    const res = validate(sendMessageSchema, { clientId: 'a', body: 'x'.repeat(LIMITS.bodyMaxLength + 1) });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'body' } });
  });

  it('keep emoji (paired surrogates) and refuse lone surrogates and control characters', () => {
    expect(validate(sendMessageSchema, { clientId: 'a', body: 'hi 👋🏽' }).ok).toBe(true);
    expect(validate(sendMessageSchema, { clientId: 'a', body: '\udc00' })).toMatchObject({ ok: false, error: { field: 'body' } });
    expect(validate(sendMessageSchema, { clientId: 'a', body: 'esc\u001b[31m' })).toMatchObject({ ok: false, error: { field: 'body' } });
  });

  it('keep HTML as plain text: it is data, not markup', () => {
    const body = '<img src=x onerror=alert(1)>';
    expect(validate(sendMessageSchema, { clientId: 'a', body })).toEqual({ ok: true, data: { roomId: 'lobby', clientId: 'a', body } });
  });

  it('refuse unknown keys, including __proto__ and constructor', () => {
    for (const raw of ['{"clientId":"a","body":"b","__proto__":{}}', '{"clientId":"a","body":"b","constructor":{}}']) {
      expect(validate(sendMessageSchema, JSON.parse(raw))).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: '' } });
    }
  });

  it('refuse clientIds with characters outside the safe set', () => {
    expect(validate(sendMessageSchema, { clientId: 'a b', body: 'x' })).toMatchObject({ ok: false, error: { field: 'clientId' } });
    expect(validate(sendMessageSchema, { clientId: 'a'.repeat(65), body: 'x' })).toMatchObject({ ok: false, error: { field: 'clientId' } });
  });
});

describe('history and sync payloads', () => {
  it('default the history page size and bound it', () => {
    expect(validate(historySchema, {})).toEqual({ ok: true, data: { roomId: 'lobby', limit: LIMITS.historyPageDefault } });
    expect(validate(historySchema, { limit: LIMITS.historyPageMax + 1 })).toMatchObject({ ok: false, error: { field: 'limit' } });
    expect(validate(historySchema, { beforeSeq: 0 })).toMatchObject({ ok: false, error: { field: 'beforeSeq' } });
  });

  it('need a whole, non-negative afterSeq', () => {
    expect(validate(syncSchema, { afterSeq: 0 }).ok).toBe(true);
    expect(validate(syncSchema, { afterSeq: 2.5 })).toMatchObject({ ok: false, error: { field: 'afterSeq' } });
    expect(validate(syncSchema, { afterSeq: '3' })).toMatchObject({ ok: false, error: { field: 'afterSeq' } });
  });
});

describe('registration payloads', () => {
  it('default nothing and trim the display name', () => {
    expect(validate(registerSchema, { username: 'al.ice-_1', password: 'longenough', displayName: ' Alice ' })).toEqual({
      ok: true,
      data: { username: 'al.ice-_1', password: 'longenough', displayName: 'Alice' },
    });
  });

  it('name the field at fault', () => {
    expect(validate(registerSchema, { username: 'al', password: 'longenough' })).toMatchObject({ ok: false, error: { field: 'username' } });
    expect(validate(registerSchema, { username: 'alice', password: 'short' })).toMatchObject({ ok: false, error: { field: 'password' } });
    expect(validate(registerSchema, { username: 'alice', password: 'longenough', displayName: '   ' })).toMatchObject({ ok: false, error: { field: 'displayName' } });
  });
});
