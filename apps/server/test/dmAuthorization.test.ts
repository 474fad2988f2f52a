import { dmRoomId, type ConversationPage, type MessageDto, type MessagePage } from '@confab/shared';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerUser, settle } from './support/client.js';
import { connectDm, dmRequest, dmRoundTrip, recordDm, type DmClient } from './support/dmClient.js';
import { useServer } from './support/server.js';

const harness = useServer();
const sockets: DmClient[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** Alice and Bob share a room with two messages; Carol is the outsider. */
async function roomWithOutsider() {
  const server = await harness.start();
  const alice = await registerUser(server.url, { displayName: 'Alice' });
  const bob = await registerUser(server.url, { displayName: 'Bob' });
  const carol = await registerUser(server.url, { displayName: 'Carol' });
  const [aliceTab, bobTab, carolTab] = await Promise.all([alice, bob, carol].map((u) => connectDm(server.url, u)));
  sockets.push(aliceTab!, bobTab!, carolTab!);
  const roomId = dmRoomId(alice.user.id, bob.user.id);
  for (const [i, body] of ['secret one', 'secret two'].entries()) {
    const ack = await dmRequest<MessageDto>(aliceTab!, 'dm:send', { to: bob.user.id, clientId: `s-${i}`, body });
    if (!ack.ok) throw new Error(ack.error.code);
  }
  return { server, alice, bob, carol, aliceTab: aliceTab!, bobTab: bobTab!, carolTab: carolTab!, roomId };
}

/** What Alice and Bob can observe of their room, to check that an attempt changed nothing. */
async function roomState(aliceTab: DmClient, bobTab: DmClient, roomId: string) {
  const history = await dmRequest<MessagePage>(aliceTab, 'dm:history', { roomId, limit: 100 });
  const lists = await Promise.all([aliceTab, bobTab].map((s) => dmRequest<ConversationPage>(s, 'dm:conversations', {})));
  return { history, lists };
}

describe('an outsider to a DM room', () => {
  it('cannot fetch its history or catch up on it, and gets the same answer as for a room that does not exist', async () => {
    const { carolTab, roomId } = await roomWithOutsider();
    const ghostRoom = dmRoomId('0'.repeat(24), 'f'.repeat(24));
    for (const [event, payload] of [
      ['dm:history', { roomId, limit: 10 }],
      ['dm:sync', { roomId, afterSeq: 0 }],
      ['dm:history', { roomId: ghostRoom, limit: 10 }],
      ['dm:sync', { roomId: ghostRoom, afterSeq: 0 }],
    ] as const) {
      expect(await dmRequest(carolTab, event, payload)).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'You are not a member of this room.' },
      });
    }
  });

  it('cannot mark it read, and nothing changes', async () => {
    const { aliceTab, bobTab, carolTab, roomId } = await roomWithOutsider();
    const before = await roomState(aliceTab, bobTab, roomId);
    const readsAtAlice = recordDm(aliceTab, 'dm:read');
    expect(await dmRequest(carolTab, 'dm:read', { roomId, seq: 2 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await dmRoundTrip(aliceTab);
    expect(readsAtAlice).toEqual([]);
    expect(await roomState(aliceTab, bobTab, roomId)).toEqual(before);
  });

  it('cannot send into it, by naming the room, spoofing the author, or messaging a user that does not exist', async () => {
    const { alice, aliceTab, bobTab, carolTab, roomId } = await roomWithOutsider();
    const before = await roomState(aliceTab, bobTab, roomId);
    const atBob = recordDm(bobTab, 'dm:message');

    expect(await dmRequest(carolTab, 'dm:send', { roomId, clientId: 'x1', body: 'let me in' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'You are not a member of this room.' },
    });
    expect(await dmRequest(carolTab, 'dm:send', { to: alice.user.id, author: { id: alice.user.id }, clientId: 'x2', body: 'I am Alice' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await dmRequest(carolTab, 'dm:send', { to: '0123456789abcdef01234567', clientId: 'x3', body: 'anyone?' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'You cannot message this user.' },
    });
    expect(await dmRequest(carolTab, 'dm:send', { to: { $ne: null }, clientId: 'x4', body: 'operator' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'to' } });

    await dmRoundTrip(bobTab);
    await settle();
    expect(atBob).toEqual([]);
    expect(await roomState(aliceTab, bobTab, roomId)).toEqual(before);
    expect(await dmRequest<ConversationPage>(carolTab, 'dm:conversations', {})).toEqual({ ok: true, data: { conversations: [] } });
  });

  it('cannot join it: a client-side join is not an event, and the outsider hears nothing of the room', async () => {
    const { bob, aliceTab, carolTab, roomId } = await roomWithOutsider();
    const heard = [recordDm(carolTab, 'dm:message'), recordDm(carolTab, 'dm:read'), recordDm(carolTab, 'conversation:update')];
    // Not part of the protocol: the server has no handler, so it cannot put Carol in the room.
    (carolTab as unknown as { emit(event: string, ...args: unknown[]): void }).emit('join', roomId);
    await dmRequest(aliceTab, 'dm:send', { to: bob.user.id, clientId: 'after-join', body: 'still private' });
    await dmRoundTrip(carolTab);
    await settle();
    expect(heard).toEqual([[], [], []]);
  });

  it('cannot connect to /dm without a session', async () => {
    const { server } = await roomWithOutsider();
    const socket = io(`${server.url}/dm`, { reconnection: false, transports: ['websocket'] });
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
    socket.disconnect();
    expect(error.data?.code).toBe('unauthorized');
  });
});
