import type { AdminSettingsDto, InvitationDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/testing.js';
import { registerUser, type TestUser } from './support/client.js';
import { publicSettings, register } from './support/accounts.js';
import { adminRequest, connectAdmin, type AdminClient } from './support/moderationClients.js';
import { ok } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Registration modes on one instance: what a visitor is told, who gets in, and that a refusal stores nothing.

const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function withAdmin(config: Parameters<typeof harness.start>[0] = {}): Promise<{ server: RunningServer; admin: TestUser; socket: AdminClient }> {
  const server = await harness.start(config);
  const admin = await registerUser(server.url, { username: 'keeper' });
  const socket = await connectAdmin(server.url, admin);
  opened.push(socket);
  return { server, admin, socket };
}

const userCount = (server: RunningServer) => server.stores.users.count();

describe('what a visitor is told', () => {
  it('GET /api/settings says open while the server has no account, then the mode in force, with the server name', async () => {
    const server = await harness.start({ config: { registration: 'closed', serverName: 'Harbour' } });
    expect(await publicSettings(server.url)).toMatchObject({ serverName: 'Harbour', registration: 'open' });
    expect((await register(server.url, { username: 'first_one' })).status).toBe(201);
    expect(await publicSettings(server.url)).toMatchObject({ serverName: 'Harbour', registration: 'closed' });
  });

  it("an admin's settings show in GET /api/settings at once", async () => {
    const { server, socket } = await withAdmin();
    await ok(adminRequest(socket, 'admin:settings:update', { serverName: 'Lighthouse', registration: 'invitation', recallWindowMs: 5_000, editWindowMs: null, uploadMaxBytes: 2048 }));
    expect(await publicSettings(server.url)).toMatchObject({ serverName: 'Lighthouse', registration: 'invitation', recallWindowMs: 5_000, editWindowMs: null, uploadMaxBytes: 2048 });
  });

  it('GET /api/settings says whether members may create invitation links, following each change an admin makes', async () => {
    const { server, socket } = await withAdmin();
    expect((await publicSettings(server.url)).membersCanInvite).toBe(false);
    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: true }));
    expect((await publicSettings(server.url)).membersCanInvite).toBe(true);
    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: false }));
    expect((await publicSettings(server.url)).membersCanInvite).toBe(false);
  });
});

describe('who may register', () => {
  it('a closed server refuses registration with registration_closed, an invitation too, and stores nothing', async () => {
    const { server, socket } = await withAdmin();
    const link = await ok(adminRequest<InvitationDto>(socket, 'invitation:create', {}));
    await ok(adminRequest(socket, 'admin:settings:update', { registration: 'closed' }));
    const before = await userCount(server);
    for (const body of [{ username: 'outsider' }, { username: 'outsider', invitation: link.token }]) {
      expect(await register(server.url, body)).toMatchObject({ status: 403, body: { error: { code: 'registration_closed' } } });
    }
    expect(await userCount(server)).toBe(before);
    expect(await server.stores.users.findByUsername('outsider')).toBeNull();
    expect((await server.stores.invitations.find(link.id))?.uses).toBe(0);
  });

  it('an invitation-only server refuses a registration without a link (registration_closed) or with a bad one (invitation_invalid)', async () => {
    const { server } = await withAdmin({ config: { registration: 'invitation' } });
    const before = await userCount(server);
    expect(await register(server.url, { username: 'walk_in' })).toMatchObject({ status: 403, body: { error: { code: 'registration_closed' } } });
    expect(await register(server.url, { username: 'walk_in', invitation: 'A'.repeat(43) })).toMatchObject({ status: 403, body: { error: { code: 'invitation_invalid' } } });
    expect(await userCount(server)).toBe(before);
  });

  it("an admin's change of mode applies to the very next registration", async () => {
    const { server, socket } = await withAdmin();
    expect((await register(server.url, { username: 'early_bird' })).status).toBe(201);
    await ok(adminRequest<AdminSettingsDto>(socket, 'admin:settings:update', { registration: 'closed' }));
    expect((await register(server.url, { username: 'late_bird' })).body).toMatchObject({ error: { code: 'registration_closed' } });
    await ok(adminRequest<AdminSettingsDto>(socket, 'admin:settings:update', { registration: 'open' }));
    expect((await register(server.url, { username: 'late_bird' })).status).toBe(201);
  });

  it('the mode is read from the database on every registration, not from what this instance last heard', async () => {
    const { server } = await withAdmin();
    // As another instance's admin would leave it, with no announcement reaching this one.
    await server.stores.settings.update({ registration: 'closed' });
    expect((await register(server.url, { username: 'unannounced' })).body).toMatchObject({ error: { code: 'registration_closed' } });
  });

  it('while open, a usable invitation counts a use and an unusable one is ignored', async () => {
    const { server, socket } = await withAdmin();
    const link = await ok(adminRequest<InvitationDto>(socket, 'invitation:create', { maxUses: 1 }));
    expect((await register(server.url, { username: 'invited_one', invitation: link.token })).status).toBe(201);
    expect((await server.stores.invitations.find(link.id))?.uses).toBe(1);
    expect((await register(server.url, { username: 'invited_two', invitation: link.token })).status).toBe(201);
    expect((await register(server.url, { username: 'forger', invitation: 'forged' })).status).toBe(201);
    expect((await server.stores.invitations.find(link.id))?.uses).toBe(1);
  });
});
