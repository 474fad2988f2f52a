import type { AuditEntryDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { whoAmI } from './support/accounts.js';
import { connectLobby, registerUser } from './support/client.js';
import { adminRequest, connectAdmin } from './support/moderationClients.js';
import { ok } from './support/roomClients.js';
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

  it("a deactivation whose read of the deactivated users fails still ends the user's sessions and sockets, is audited and acks ok", async () => {
    const server = await harness.start();
    const admin = await registerUser(server.url); // the first account: the admin
    const eve = await registerUser(server.url);
    const adminSocket = await connectAdmin(server.url, admin);
    const eveSocket = await connectLobby(server.url, eve);
    opened.push(adminSocket, eveSocket);
    const eveClosed = new Promise<string>((resolve) => eveSocket.on('disconnect', (reason) => resolve(reason)));
    const { users } = server.stores;
    const read = users.deactivatedIds.bind(users);
    let failuresLeft = 1;
    users.deactivatedIds = () => (failuresLeft-- > 0 ? Promise.reject(new Error('the database did not answer')) : read());

    const ack = await adminRequest(adminSocket, 'admin:user:deactivate', { userId: eve.user.id });
    expect(ack).toMatchObject({ ok: true, data: { id: eve.user.id, deactivatedAt: expect.any(String) } });
    expect(failuresLeft).toBe(0);
    const reason = await Promise.race([eveClosed, new Promise<string>((resolve) => setTimeout(() => resolve('still connected after 5 s'), 5_000))]);
    expect(reason).toBe('io server disconnect');
    const { entries } = await ok(adminRequest<{ entries: AuditEntryDto[] }>(adminSocket, 'admin:audit', {}));
    expect(entries.filter((e) => e.action === 'user.deactivate').map((e) => e.target.id)).toEqual([eve.user.id]);
    // Reactivated behind the server's back: her old session stays ended.
    await users.setDeactivated(eve.user.id, { deactivatedAt: null });
    expect(await whoAmI(server.url, eve.cookie)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });
});
