import type { AdminClientToServerEvents, AdminSettingsDto, AdminUserDto, AuditEntryDto, InvitationDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { postMessage, type RunningServer, type Stores } from '../src/testing.js';
import { connectLobby, disconnected, registerUser, type TestUser } from './support/client.js';
import { adminRequest, connectAdmin, type AdminClient } from './support/moderationClients.js';
import { ok } from './support/roomClients.js';
import { useServer } from './support/server.js';

// The /admin namespace on one instance: who may use it, what bad input does, and the audit log.

const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function openAdmin(server: RunningServer, user: TestUser): Promise<AdminClient> {
  const socket = await connectAdmin(server.url, user);
  opened.push(socket);
  return socket;
}

/** An event with any number of payloads before the ack (`adminRequest` sends exactly one). */
function sendRaw(socket: AdminClient, event: string, ...payloads: unknown[]): Promise<unknown> {
  return (socket.timeout(5_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> }).emitWithAck(event, ...payloads);
}

/** Everything an admin event could change, read straight from the stores. */
async function adminState(stores: Stores) {
  return {
    settings: await stores.settings.get(),
    users: await stores.users.search({ prefix: '', limit: 1000 }),
    audit: await stores.audit.list({ limit: 1000 }),
    invitations: await stores.invitations.list({ limit: 1000 }),
    reports: await stores.reports.list({ status: 'all', limit: 1000 }),
  };
}

/** A fresh server whose first account (an admin) and a member are signed in on `/admin`. */
async function serverWithAdmin(): Promise<{ server: RunningServer; admin: TestUser; member: TestUser; adminSocket: AdminClient; memberSocket: AdminClient }> {
  const server = await harness.start();
  const admin = await registerUser(server.url, { username: 'root_admin', displayName: 'Root' });
  const member = await registerUser(server.url, { username: 'mallory', displayName: 'Mallory' });
  const roles = await Promise.all([admin, member].map(async (u) => (await server.stores.users.findById(u.user.id))?.role));
  expect(roles).toEqual(['admin', 'member']);
  const adminSocket = await openAdmin(server, admin);
  const memberSocket = await openAdmin(server, member);
  return { server, admin, member, adminSocket, memberSocket };
}

describe('who may use /admin', () => {
  it('a member calling every admin event is refused with forbidden, and nothing changes', async () => {
    const { server, admin, member, adminSocket, memberSocket } = await serverWithAdmin();
    const bystander = await registerUser(server.url, { username: 'bystander' });
    await ok(adminRequest(adminSocket, 'admin:settings:update', { serverName: 'Before' }));
    await ok(adminRequest(adminSocket, 'admin:user:deactivate', { userId: bystander.user.id }));
    const invitation = await ok(adminRequest<InvitationDto>(adminSocket, 'invitation:create', { maxUses: 2 }));
    const message = await postMessage(server.stores, admin.user, 'reported');
    const report = await server.stores.reports.create({ id: '6b0f00000000000000000001', messageId: message.id, roomId: message.roomId, reporter: { id: member.user.id, name: 'Mallory' }, reason: 'spam', createdAt: new Date() });
    if (report === 'duplicate') throw new Error('duplicate report');
    const before = await adminState(server.stores);

    // Typed against the protocol: an admin event added later and not tried here fails the type check.
    const attempts: Record<keyof AdminClientToServerEvents, unknown[]> = {
      'admin:settings': [{}],
      'admin:settings:update': [{ registration: 'closed' }, { membersCanInvite: true }],
      'admin:users': [{}],
      'admin:user:role': [{ userId: member.user.id, role: 'admin' }, { userId: admin.user.id, role: 'member' }],
      'admin:user:deactivate': [{ userId: admin.user.id }],
      'admin:user:reactivate': [{ userId: bystander.user.id }],
      'admin:user:ban': [{ userId: admin.user.id }],
      'admin:reports': [{}],
      'admin:report:resolve': [{ id: report.id, action: 'remove' }, { id: report.id, action: 'dismiss' }],
      'admin:audit': [{}],
      'invitation:list': [{}],
      'invitation:create': [{}],
      'invitation:revoke': [{ id: invitation.id }],
    };
    for (const [event, payloads] of Object.entries(attempts)) {
      for (const payload of payloads) {
        const ack = await adminRequest(memberSocket, event, payload);
        expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: 'forbidden' } } });
      }
    }

    expect(await adminState(server.stores)).toEqual(before);
    expect((await server.stores.messages.findById(message.id))?.recalledAt).toBeUndefined();
  });

  it('a member sending a malformed payload to any admin event is refused with forbidden, never told what is wrong with it', async () => {
    const { server, memberSocket } = await serverWithAdmin();
    const before = await adminState(server.stores);
    const notAnId = { $ne: '' };
    // Typed against the protocol: an admin event added later and not tried here fails the type check.
    const malformed: Record<keyof AdminClientToServerEvents, unknown[]> = {
      'admin:settings': [{ everything: true }, 'all'],
      'admin:settings:update': [{ registration: 'maybe' }, { recallWindowMs: -1 }, {}],
      'admin:users': [{ limit: 0 }, { query: 5 }],
      'admin:user:role': [{ userId: 'nobody', role: 'admin' }, { userId: notAnId, role: 'owner' }],
      'admin:user:deactivate': [{ userId: notAnId }, {}],
      'admin:user:reactivate': [{ userId: 'x' }],
      'admin:user:ban': [{}, null],
      'admin:reports': [{ status: 'closed' }, { limit: 'all' }],
      'admin:report:resolve': [{ id: 'x', action: 'remove' }, { action: 'burn' }],
      'admin:audit': [{ before: 'x' }, { limit: 0 }],
      'invitation:list': [{ before: 'x' }, { limit: 51 }],
      'invitation:create': [{ maxUses: 0 }, { expiresInHours: 100_000 }],
      'invitation:revoke': [{ id: 'abc' }, {}],
    };
    for (const [event, payloads] of Object.entries(malformed)) {
      for (const payload of payloads) {
        const ack = await adminRequest(memberSocket, event, payload);
        expect({ event, payload, ack }).toMatchObject({ event, payload, ack: { ok: false, error: { code: 'forbidden' } } });
      }
    }
    // Nor by sending no payload or two.
    for (const args of [[], [{}, {}]]) {
      const ack = await sendRaw(memberSocket, 'admin:settings', ...args);
      expect({ args, ack }).toMatchObject({ args, ack: { ok: false, error: { code: 'forbidden' } } });
    }
    expect(await adminState(server.stores)).toEqual(before);
  });

  it('while members may invite, a member with a malformed invitation payload is told what is wrong; the admin events still refuse them', async () => {
    const { adminSocket, memberSocket } = await serverWithAdmin();
    await ok(adminRequest(adminSocket, 'admin:settings:update', { membersCanInvite: true }));
    expect(await adminRequest(memberSocket, 'invitation:create', { maxUses: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'maxUses' } });
    expect(await adminRequest(memberSocket, 'invitation:revoke', { id: 'abc' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'id' } });
    expect(await adminRequest(memberSocket, 'admin:users', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a demoted admin is refused from their very next event, on the socket they already hold', async () => {
    const { server, admin, member, adminSocket } = await serverWithAdmin();
    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'admin' }));
    const promoted = await openAdmin(server, member);
    expect(await adminRequest(promoted, 'admin:settings', {})).toMatchObject({ ok: true });

    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'member' }));
    expect(await adminRequest(promoted, 'admin:settings:update', { serverName: 'Mine now' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await server.stores.settings.get()).serverName).toBeUndefined();
    expect((await server.stores.users.findById(admin.user.id))?.role).toBe('admin');
  });

  it('members manage their own invitations only while membersCanInvite is on', async () => {
    const { server, adminSocket, memberSocket } = await serverWithAdmin();
    const adminsLink = await ok(adminRequest<InvitationDto>(adminSocket, 'invitation:create', {}));
    expect(await adminRequest(memberSocket, 'invitation:create', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await ok(adminRequest(adminSocket, 'admin:settings:update', { membersCanInvite: true }));
    const membersLink = await ok(adminRequest<InvitationDto>(memberSocket, 'invitation:create', { maxUses: 3, expiresInHours: 2 }));
    expect(membersLink).toMatchObject({ maxUses: 3, uses: 0, createdBy: { name: 'Mallory' } });
    expect(membersLink.token).toHaveLength(43);
    const listed = await ok(adminRequest<{ invitations: InvitationDto[] }>(memberSocket, 'invitation:list', {}));
    expect(listed.invitations.map((i) => i.id)).toEqual([membersLink.id]);
    expect(listed.invitations[0]).not.toHaveProperty('token');
    expect(await adminRequest(memberSocket, 'invitation:revoke', { id: adminsLink.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await server.stores.invitations.find(adminsLink.id))?.revokedAt).toBeNull();
    expect(await ok(adminRequest<InvitationDto>(memberSocket, 'invitation:revoke', { id: membersLink.id }))).toMatchObject({ id: membersLink.id, revokedAt: expect.any(String) });
    // Admins still may not be by-passed the other way: a member may not reach the admin events.
    expect(await adminRequest(memberSocket, 'admin:audit', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('what admins may not do', () => {
  it('demoting the last admin is refused with last_admin and changes nothing', async () => {
    const { server, admin, adminSocket } = await serverWithAdmin();
    const before = await adminState(server.stores);
    expect(await adminRequest(adminSocket, 'admin:user:role', { userId: admin.user.id, role: 'member' })).toMatchObject({ ok: false, error: { code: 'last_admin' } });
    expect(await adminState(server.stores)).toEqual(before);
    expect((await server.stores.users.findById(admin.user.id))?.role).toBe('admin');
  });

  it('an admin cannot deactivate or ban their own account', async () => {
    const { server, admin, adminSocket } = await serverWithAdmin();
    const before = await adminState(server.stores);
    for (const event of ['admin:user:deactivate', 'admin:user:ban']) {
      expect(await adminRequest(adminSocket, event, { userId: admin.user.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await adminState(server.stores)).toEqual(before);
  });

  it('the last two admins demoting each other at once leave at least one admin', async () => {
    const { server, admin, member, adminSocket } = await serverWithAdmin();
    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'admin' }));
    const second = await openAdmin(server, member);
    for (let round = 0; round < 5; round += 1) {
      await Promise.all([
        adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'member' }),
        adminRequest(second, 'admin:user:role', { userId: admin.user.id, role: 'member' }),
      ]);
      expect(await server.stores.users.countActiveAdmins()).toBeGreaterThanOrEqual(1);
      // Whoever is left promotes the other back for the next round.
      const [a, m] = await Promise.all([server.stores.users.findById(admin.user.id), server.stores.users.findById(member.user.id)]);
      if (a?.role !== 'admin') await server.stores.users.setRole(admin.user.id, 'admin');
      if (m?.role !== 'admin') await server.stores.users.setRole(member.user.id, 'admin');
    }
  });
});

describe('bad input on /admin', () => {
  it('a bad settings change is refused with invalid_payload naming the field, and nothing changes', async () => {
    const { server, adminSocket } = await serverWithAdmin();
    await ok(adminRequest(adminSocket, 'admin:settings:update', { recallWindowMs: 60_000 }));
    const before = await adminState(server.stores);
    const cases: [unknown, string][] = [
      [{ recallWindowMs: -1 }, 'recallWindowMs'],
      [{ recallWindowMs: 1.5 }, 'recallWindowMs'],
      [{ recallWindowMs: '5000' }, 'recallWindowMs'],
      [{ editWindowMs: 8 * 24 * 3_600_000 }, 'editWindowMs'],
      [{ registration: 'maybe' }, 'registration'],
      [{ uploadMaxBytes: 10 }, 'uploadMaxBytes'],
      [{ uploadQuotaBytes: { $gt: 0 } }, 'uploadQuotaBytes'],
      [{ rateLimitPreset: 'off' }, 'rateLimitPreset'],
      [{ membersCanInvite: 'yes' }, 'membersCanInvite'],
      [{ serverName: '' }, 'serverName'],
      [{ serverName: 'x'.repeat(61) }, 'serverName'],
      [{ recallWindowMs: 1000, isAdmin: true }, ''],
      [{}, ''],
      ['closed', ''],
    ];
    for (const [payload, field] of cases) {
      const ack = await adminRequest(adminSocket, 'admin:settings:update', payload);
      expect({ payload, ack }).toMatchObject({ payload, ack: { ok: false, error: { code: 'invalid_payload', field } } });
    }
    expect(await adminState(server.stores)).toEqual(before);
    expect((await ok(adminRequest<AdminSettingsDto>(adminSocket, 'admin:settings', {}))).recallWindowMs).toBe(60_000);
  });

  it('other admin events refuse malformed ids and unknown fields, and name the field', async () => {
    const { server, adminSocket } = await serverWithAdmin();
    const before = await adminState(server.stores);
    const cases: [string, unknown, string][] = [
      ['admin:user:role', { userId: 'nobody', role: 'admin' }, 'userId'],
      ['admin:user:role', { userId: '6b0f00000000000000000001', role: 'owner' }, 'role'],
      ['admin:user:deactivate', { userId: { $ne: '' } }, 'userId'],
      ['admin:user:ban', {}, 'userId'],
      ['admin:users', { limit: 1000 }, 'limit'],
      ['invitation:create', { maxUses: 0 }, 'maxUses'],
      ['invitation:create', { expiresInHours: 100_000 }, 'expiresInHours'],
      ['invitation:revoke', { id: 'abc' }, 'id'],
      ['admin:audit', { before: 'x' }, 'before'],
      ['invitation:list', { before: 'x' }, 'before'],
      ['invitation:list', { limit: 51 }, 'limit'],
      ['admin:settings', { everything: true }, ''],
      ['admin:reports', { status: 'closed' }, 'status'],
    ];
    for (const [event, payload, field] of cases) {
      const ack = await adminRequest(adminSocket, event, payload);
      expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: 'invalid_payload', field } } });
    }
    // The paged events' messages read as sentences, not the validator's defaults.
    const tooFew = await adminRequest(adminSocket, 'admin:users', { limit: 0 });
    expect(tooFew).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'limit' } });
    expect(tooFew.ok ? '' : tooFew.error.message).toContain('limit must be at least 1');
    const twoPayloads = await sendRaw(adminSocket, 'admin:settings', {}, {});
    expect(twoPayloads).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: '' } });
    expect(await adminRequest(adminSocket, 'admin:user:deactivate', { userId: '6b0f00000000000000000001' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await adminState(server.stores)).toEqual(before);
  });
});

describe('the audit log', () => {
  it('every admin action shows in admin:audit, newest first, with who did it to what', async () => {
    const { server, admin, member, adminSocket } = await serverWithAdmin();
    const spammer = await registerUser(server.url, { username: 'spammer', displayName: 'Spammer' });
    await postMessage(server.stores, spammer.user, 'buy now');
    const memberLobby = harness.track(await connectLobby(server.url, member));

    await ok(adminRequest(adminSocket, 'admin:settings:update', { registration: 'invitation', recallWindowMs: 30_000, serverName: 'Root' }));
    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'admin' }));
    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'member' }));
    const gone = disconnected(memberLobby);
    await ok(adminRequest<AdminUserDto>(adminSocket, 'admin:user:deactivate', { userId: member.user.id }));
    await gone;
    await ok(adminRequest<AdminUserDto>(adminSocket, 'admin:user:reactivate', { userId: member.user.id }));
    const banned = await ok(adminRequest<{ user: AdminUserDto; removedMessages: number }>(adminSocket, 'admin:user:ban', { userId: spammer.user.id }));
    expect(banned).toMatchObject({ removedMessages: 1, user: { id: spammer.user.id, bannedAt: expect.any(String), deactivatedAt: expect.any(String) } });
    const link = await ok(adminRequest<InvitationDto>(adminSocket, 'invitation:create', { maxUses: 5 }));
    await ok(adminRequest(adminSocket, 'invitation:revoke', { id: link.id }));
    // Changes that change nothing are not actions: not recorded.
    await ok(adminRequest(adminSocket, 'admin:settings:update', { registration: 'invitation' }));
    await ok(adminRequest(adminSocket, 'admin:user:reactivate', { userId: member.user.id }));

    const { entries, hasMore } = await ok(adminRequest<{ entries: AuditEntryDto[]; hasMore: boolean }>(adminSocket, 'admin:audit', {}));
    const actor = { id: admin.user.id, name: 'Root' };
    expect(hasMore).toBe(false);
    expect(entries.map(({ actor: who, action, target, details }) => ({ who, action, target, details }))).toEqual([
      { who: actor, action: 'invitation.revoke', target: { kind: 'invitation', id: link.id, label: 'invitation by Root' }, details: undefined },
      { who: actor, action: 'invitation.create', target: { kind: 'invitation', id: link.id, label: 'invitation by Root' }, details: { maxUses: '5', expiresAt: link.expiresAt } },
      { who: actor, action: 'user.ban', target: { kind: 'user', id: spammer.user.id, label: 'spammer' }, details: { removedMessages: '1' } },
      { who: actor, action: 'user.reactivate', target: { kind: 'user', id: member.user.id, label: 'mallory' }, details: undefined },
      { who: actor, action: 'user.deactivate', target: { kind: 'user', id: member.user.id, label: 'mallory' }, details: undefined },
      { who: actor, action: 'user.role', target: { kind: 'user', id: member.user.id, label: 'mallory' }, details: { role: 'member' } },
      { who: actor, action: 'user.role', target: { kind: 'user', id: member.user.id, label: 'mallory' }, details: { role: 'admin' } },
      { who: actor, action: 'settings.update', target: { kind: 'settings', id: 'settings', label: 'server settings' }, details: { registration: 'invitation', recallWindowMs: '30000', serverName: 'Root' } },
    ]);
    expect(entries.every((e) => Date.parse(e.at) > 0)).toBe(true);
    const firstPage = await ok(adminRequest<{ entries: AuditEntryDto[]; hasMore: boolean }>(adminSocket, 'admin:audit', { limit: 3 }));
    const nextPage = await ok(adminRequest<{ entries: AuditEntryDto[]; hasMore: boolean }>(adminSocket, 'admin:audit', { limit: 10, before: firstPage.entries.at(-1)!.id }));
    expect([firstPage.hasMore, [...firstPage.entries, ...nextPage.entries].map((e) => e.id)]).toEqual([true, entries.map((e) => e.id)]);
  });

  it('the user list pages by username and shows roles and deactivation', async () => {
    const { server, member, adminSocket } = await serverWithAdmin();
    for (const name of ['carol', 'dave', 'erin']) await registerUser(server.url, { username: name });
    await ok(adminRequest(adminSocket, 'admin:user:deactivate', { userId: member.user.id }));
    const first = await ok(adminRequest<{ users: AdminUserDto[]; hasMore: boolean }>(adminSocket, 'admin:users', { limit: 3 }));
    expect([first.hasMore, first.users.map((u) => [u.username, u.role])]).toEqual([true, [['carol', 'member'], ['dave', 'member'], ['erin', 'member']]]);
    const rest = await ok(adminRequest<{ users: AdminUserDto[]; hasMore: boolean }>(adminSocket, 'admin:users', { limit: 3, afterUsername: 'erin' }));
    expect([rest.hasMore, rest.users.map((u) => [u.username, u.role, Boolean(u.deactivatedAt)])]).toEqual([false, [['mallory', 'member', true], ['root_admin', 'admin', false]]]);
    expect(rest.users[0]).not.toHaveProperty('passwordHash');
    const found = await ok(adminRequest<{ users: AdminUserDto[] }>(adminSocket, 'admin:users', { query: 'MAL' }));
    expect(found.users.map((u) => u.username)).toEqual(['mallory']);
  });
});
