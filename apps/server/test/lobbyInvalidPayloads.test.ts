import { LIMITS, type MessageDto } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import { connectLobby, recordMessages, registerUser, request, roundTrip } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

const badSends: [string, unknown, string][] = [
  ['a missing body', { clientId: 'a' }, 'body'],
  ['an empty body', { clientId: 'a', body: '' }, 'body'],
  ['a whitespace-only body', { clientId: 'a', body: ' \n\t ' }, 'body'],
  ['a body over the limit', { clientId: 'a', body: 'x'.repeat(LIMITS.bodyMaxLength + 1) }, 'body'],
  ['a number as body', { clientId: 'a', body: 42 }, 'body'],
  ['an array as body', { clientId: 'a', body: ['hi'] }, 'body'],
  ['an operator object as body', { clientId: 'a', body: { $gt: '' } }, 'body'],
  ['an operator object as clientId', { clientId: { $ne: null }, body: 'hi' }, 'clientId'],
  ['a missing clientId', { body: 'hi' }, 'clientId'],
  ['an unknown field', { clientId: 'a', body: 'hi', room: 'elsewhere' }, ''],
  ['a room id of no known form', { clientId: 'a', body: 'hi', roomId: 'elsewhere' }, 'roomId'],
  ['a __proto__ key', JSON.parse('{"clientId":"a","body":"hi","__proto__":{"isAdmin":true}}'), ''],
  ['a control character in the body', { clientId: 'a', body: 'bell\u0007' }, 'body'],
  ['a lone surrogate in the body', { clientId: 'a', body: 'broken \ud800' }, 'body'],
  ['a string instead of an object', 'hello', ''],
  ['null', null, ''],
];

describe('invalid payloads are refused with invalid_payload and change nothing', () => {
  it.each(badSends)('message:send with %s', async (_name, payload, field) => {
    const server = await harness.start();
    const alice = await registerUser(server.url);
    const sender = harness.track(await connectLobby(server.url, alice));
    const observer = harness.track(await connectLobby(server.url, await registerUser(server.url)));
    const received = recordMessages(observer);

    const res = await request<MessageDto>(sender, 'message:send', payload);

    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_payload');
    expect(res.error.field).toBe(field);
    expect(res.error.message.length).toBeGreaterThan(0);
    expect(await roundTrip(observer)).toEqual([]);
    expect(received).toEqual([]);
    // The server still serves the same socket.
    const good = await request<MessageDto>(sender, 'message:send', { clientId: 'after', body: 'still here' });
    expect(good.ok).toBe(true);
  });

  it.each([
    ['message:history', { limit: 0 }],
    ['message:history', { limit: LIMITS.historyPageMax + 1 }],
    ['message:history', { beforeSeq: { $gt: 0 } }],
    ['message:history', { limit: '10' }],
    ['message:sync', {}],
    ['message:sync', { afterSeq: -1 }],
    ['message:sync', { afterSeq: 1.5 }],
    ['message:sync', { afterSeq: { $gt: 0 } }],
    ['message:sync', { afterSeq: 0, extra: true }],
  ])('%s with %j', async (event, payload) => {
    const server = await harness.start();
    const socket = harness.track(await connectLobby(server.url, await registerUser(server.url)));
    const res = await request(socket, event, payload);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('a payload without its ack callback is dropped, and nothing is stored or broadcast', async () => {
    const server = await harness.start();
    const sender = harness.track(await connectLobby(server.url, await registerUser(server.url)));
    const observer = harness.track(await connectLobby(server.url, await registerUser(server.url)));
    const received = recordMessages(observer);

    (sender as unknown as { emit(event: string, payload: unknown): void }).emit('message:send', { clientId: 'no-ack', body: 'fire and forget' });
    // The sender's next round trip is processed after the dropped event.
    expect(await roundTrip(sender)).toEqual([]);
    expect(await roundTrip(observer)).toEqual([]);
    expect(received).toEqual([]);
  });

  it('an event with only an ack callback is answered with invalid_payload', async () => {
    const server = await harness.start();
    const socket = harness.track(await connectLobby(server.url, await registerUser(server.url)));
    const res = await request(socket, 'message:send');
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('an unknown event is ignored and the socket keeps working', async () => {
    const server = await harness.start();
    const socket = harness.track(await connectLobby(server.url, await registerUser(server.url)));
    (socket as unknown as { emit(event: string, payload: unknown): void }).emit('admin:drop-tables', {});
    const res = await request<MessageDto>(socket, 'message:send', { clientId: 'ok', body: 'fine' });
    expect(res.ok).toBe(true);
    expect(socket.connected).toBe(true);
  });
});
