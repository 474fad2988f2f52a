import { LIMITS, type MessageDto, type MessagePage } from '@confab/shared';
import { describe, expect, it } from 'vitest';
import { connectLobby, recordMessages, registerUser, request, roundTrip } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

async function lobbyWithTwoUsers() {
  const server = await harness.start();
  const alice = await registerUser(server.url, { displayName: 'Alice' });
  const bob = await registerUser(server.url, { displayName: 'Bob' });
  const aliceTab1 = harness.track(await connectLobby(server.url, alice));
  const aliceTab2 = harness.track(await connectLobby(server.url, alice));
  const bobTab = harness.track(await connectLobby(server.url, bob));
  return { server, alice, bob, aliceTab1, aliceTab2, bobTab };
}

describe('sending in the lobby', () => {
  it('acks the stored message, and every other socket, the sender\'s other tab included, receives it exactly once', async () => {
    const { alice, aliceTab1, aliceTab2, bobTab } = await lobbyWithTwoUsers();
    const atBob = recordMessages(bobTab);
    const atAliceTab2 = recordMessages(aliceTab2);

    const ack = await request<MessageDto>(aliceTab1, 'message:send', { clientId: 'c-1', body: '  hello lobby  ' });

    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.data).toMatchObject({
      roomId: 'lobby',
      seq: 1,
      clientId: 'c-1',
      author: { id: alice.user.id, name: 'Alice' },
      body: 'hello lobby',
    });
    expect(ack.data.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Date.parse(ack.data.createdAt)).not.toBeNaN();
    await roundTrip(bobTab);
    await roundTrip(aliceTab2);
    expect(atBob).toEqual([ack.data]);
    expect(atAliceTab2).toEqual([ack.data]);
  });

  it('numbers messages 1, 2, 3… in the order the server stored them', async () => {
    const { aliceTab1, bobTab } = await lobbyWithTwoUsers();
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request<MessageDto>(i % 2 ? aliceTab1 : bobTab, 'message:send', { clientId: `n-${i}`, body: `m${i}` })),
    );
    const seqs = acks.map((a) => (a.ok ? a.data.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a retry with the same clientId returns the same message and broadcasts nothing', async () => {
    const { aliceTab1, bobTab } = await lobbyWithTwoUsers();
    const atBob = recordMessages(bobTab);
    const first = await request<MessageDto>(aliceTab1, 'message:send', { clientId: 'retry-me', body: 'once' });
    const again = await request<MessageDto>(aliceTab1, 'message:send', { clientId: 'retry-me', body: 'once' });

    expect(again).toEqual(first);
    const stored = await roundTrip(bobTab);
    expect(atBob).toHaveLength(1);
    expect(stored).toHaveLength(1);
  });

  it('the author is the signed-in user, and the payload cannot name another', async () => {
    const { alice, bob, aliceTab1 } = await lobbyWithTwoUsers();
    const res = await request<MessageDto>(aliceTab1, 'message:send', { clientId: 'x', body: 'hi', author: { id: bob.user.id, name: 'Bob' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const ok = await request<MessageDto>(aliceTab1, 'message:send', { clientId: 'y', body: 'hi' });
    expect(ok.ok && ok.data.author.id).toBe(alice.user.id);
  });
});

describe('history and sync', () => {
  async function lobbyWith(count: number) {
    const setup = await lobbyWithTwoUsers();
    for (let i = 1; i <= count; i += 1) {
      const res = await request<MessageDto>(setup.aliceTab1, 'message:send', { clientId: `h-${i}`, body: `message ${i}` });
      expect(res.ok).toBe(true);
    }
    return setup;
  }

  it('history pages walk back through the room, newest last, with no gap or overlap', async () => {
    const { bobTab } = await lobbyWith(23);
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const res = await request<MessagePage>(bobTab, 'message:history', beforeSeq ? { beforeSeq, limit: 10 } : { limit: 10 });
      if (!res.ok) throw new Error(res.error.message);
      const seqs = res.data.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      seen.unshift(...seqs);
      if (!res.data.hasMore) break;
      beforeSeq = seqs[0];
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it('history without a limit returns the default page size', async () => {
    const { bobTab } = await lobbyWith(3);
    const res = await request<MessagePage>(bobTab, 'message:history', {});
    expect(res).toMatchObject({ ok: true, data: { hasMore: false } });
    expect(res.ok && res.data.messages.map((m) => m.body)).toEqual(['message 1', 'message 2', 'message 3']);
  });

  it('sync after a seq returns exactly the messages after it, in order', async () => {
    const { bobTab } = await lobbyWith(7);
    const res = await request<MessagePage>(bobTab, 'message:sync', { afterSeq: 4 });
    expect(res.ok && res.data.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(res.ok && res.data.hasMore).toBe(false);
    const none = await request<MessagePage>(bobTab, 'message:sync', { afterSeq: 7 });
    expect(none).toEqual({ ok: true, data: { messages: [], hasMore: false } });
  });

  it('sync is bounded and says when there is more', async () => {
    const { server, alice } = await lobbyWithTwoUsers();
    for (let i = 0; i < LIMITS.syncPageMax + 5; i += 1) {
      await server.stores.messages.append({ roomId: 'lobby', clientId: `b-${i}`, author: { id: alice.user.id, name: 'Alice' }, body: `b${i}`, createdAt: new Date() });
    }
    const reader = harness.track(await connectLobby(server.url, alice));
    const first = await request<MessagePage>(reader, 'message:sync', { afterSeq: 0 });
    expect(first.ok && first.data.messages.length).toBe(LIMITS.syncPageMax);
    expect(first.ok && first.data.hasMore).toBe(true);
    const rest = await request<MessagePage>(reader, 'message:sync', { afterSeq: LIMITS.syncPageMax });
    expect(rest.ok && rest.data.messages.map((m) => m.seq)).toEqual([201, 202, 203, 204, 205]);
    expect(rest.ok && rest.data.hasMore).toBe(false);
  });
});
