import { afterEach, describe, expect, it } from 'vitest';
import { connectLobby, registerUser } from './support/client.js';
import { useServer } from './support/server.js';

// A deactivation nobody announced to this instance (the operator command line on a server without
// Redis, or a broadcast lost on the way) still ends the user's sockets at the next resync.

const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

describe('deactivation read from the database', () => {
  it("a user deactivated in the database alone (as the command line does without Redis) loses their sockets within a resync, and other users keep theirs", async () => {
    const server = await harness.start({ adminResyncMs: 200 });
    await registerUser(server.url); // the first account: the admin
    const eve = await registerUser(server.url);
    const bob = await registerUser(server.url);
    const eveSocket = await connectLobby(server.url, eve);
    const bobSocket = await connectLobby(server.url, bob);
    opened.push(eveSocket, bobSocket);
    const eveClosed = new Promise<string>((resolve) => eveSocket.on('disconnect', (reason) => resolve(reason)));

    await server.stores.users.setDeactivated(eve.user.id, { deactivatedAt: new Date() });
    await server.stores.sessions.revokeAllForUser(eve.user.id);

    const reason = await Promise.race([eveClosed, new Promise<string>((resolve) => setTimeout(() => resolve('still connected after 5 s'), 5_000))]);
    expect(reason).toBe('io server disconnect');
    expect(bobSocket.connected).toBe(true);
  });
});
