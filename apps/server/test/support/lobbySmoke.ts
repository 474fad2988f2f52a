import type { MessageDto, MessagePage } from '@confab/shared';
import { expect } from 'vitest';
import { connectLobby, eventually, recordMessages, registerUser, request, uniqueName, type LobbyClient } from './client.js';

/**
 * The lobby smoke test, the same for every way of running the server: two people sign up over
 * HTTP, connect to /lobby, one sends, the other receives it exactly once, and history holds it.
 */
export async function lobbySmokeTest(baseUrl: string): Promise<void> {
  const sockets: LobbyClient[] = [];
  try {
    const alice = await registerUser(baseUrl, { displayName: 'Alice' });
    const bob = await registerUser(baseUrl, { displayName: 'Bob' });
    const aliceLobby = await connectLobby(baseUrl, alice);
    sockets.push(aliceLobby);
    const bobLobby = await connectLobby(baseUrl, bob);
    sockets.push(bobLobby);
    const atBob = recordMessages(bobLobby);

    const body = `hello from ${uniqueName('smoke')}`;
    const sent = await request<MessageDto>(aliceLobby, 'message:send', { clientId: uniqueName('c'), body });
    expect(sent).toMatchObject({ ok: true, data: { body, author: { id: alice.user.id, name: 'Alice' } } });
    if (!sent.ok) return;

    await eventually(() => expect(atBob.map((m) => m.id)).toEqual([sent.data.id]), 5_000);
    const history = await request<MessagePage>(bobLobby, 'message:history', {});
    expect(history.ok).toBe(true);
    if (history.ok) expect(history.data.messages.at(-1)).toEqual(sent.data);
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}
