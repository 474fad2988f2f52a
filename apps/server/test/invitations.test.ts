import { createHash } from 'node:crypto';
import type { InvitationDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type RunningServer, type Stores } from '../src/testing.js';
import { registerUser, uniqueName } from './support/client.js';
import { register, signIn } from './support/accounts.js';
import { adminRequest, connectAdmin, type AdminClient } from './support/moderationClients.js';
import { freshTestStores } from './support/mongo.js';
import { ok } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Invitation links on an invitation-only server: which links register someone, and how many.

const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const BACKENDS: Record<string, () => Promise<Stores>> = {
  memory: async () => createMemoryStores(),
  mongo: () => freshTestStores(import.meta.filename),
};

/** A clock the test moves: sessions and invitations read it. */
function testClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => void (offsetMs += ms) };
}

async function invitationOnly(options: { stores?: Stores; now?: () => Date } = {}): Promise<{ server: RunningServer; socket: AdminClient }> {
  const server = await harness.start({ ...options, config: { registration: 'invitation' } });
  const admin = await registerUser(server.url, { username: `host_${uniqueName()}` });
  const socket = await connectAdmin(server.url, admin);
  opened.push(socket);
  return { server, socket };
}

const create = (socket: AdminClient, input: { maxUses?: number; expiresInHours?: number } = {}) => ok(adminRequest<InvitationDto>(socket, 'invitation:create', input));

/** What a refused link must leave as it was: the accounts and the link's uses. */
async function snapshot(server: RunningServer, invitationId?: string) {
  return { users: await server.stores.users.count(), invitation: invitationId ? await server.stores.invitations.find(invitationId) : null };
}

describe('unusable links', () => {
  it('expired, revoked, used-up and forged links are all refused with invitation_invalid, and nothing is stored', async () => {
    const clock = testClock();
    const { server, socket } = await invitationOnly({ now: clock.now });
    const expiring = await create(socket, { expiresInHours: 1 });
    const revoked = await create(socket);
    const usedUp = await create(socket, { maxUses: 1 });
    await ok(adminRequest(socket, 'invitation:revoke', { id: revoked.id }));
    expect((await register(server.url, { username: 'first_guest', invitation: usedUp.token })).status).toBe(201);
    clock.advance(60 * 60 * 1000 + 1);

    const forged = usedUp.token!.slice(0, -2) + (usedUp.token!.endsWith('AA') ? 'BB' : 'AA');
    const answers = [];
    for (const [link, id] of [[expiring.token, expiring.id], [revoked.token, revoked.id], [usedUp.token, usedUp.id], [forged, undefined]] as const) {
      const before = await snapshot(server, id);
      const res = await register(server.url, { username: uniqueName('guest'), invitation: link });
      expect(await snapshot(server, id)).toEqual(before);
      answers.push([res.status, res.body]);
    }
    // All four read the same, so a caller learns nothing about links it does not hold.
    expect(answers).toEqual(Array(4).fill([403, { error: { code: 'invitation_invalid', message: expect.any(String) } }]));
    expect(new Set(answers.map(([, body]) => JSON.stringify(body))).size).toBe(1);
  });

  it('a registration refused for its username gives its use back', async () => {
    const { server, socket } = await invitationOnly();
    const link = await create(socket, { maxUses: 1 });
    await registerUser(server.url, { username: 'taken_name', invitation: link.token });
    const second = await create(socket, { maxUses: 1 });
    expect(await register(server.url, { username: 'Taken_Name', invitation: second.token })).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
    expect((await server.stores.invitations.find(second.id))?.uses).toBe(0);
    expect((await register(server.url, { username: 'fresh_name', invitation: second.token })).status).toBe(201);
  });

  it('only the SHA-256 of a token is stored, and the token is shown only when the link is made', async () => {
    const { server, socket } = await invitationOnly();
    const link = await create(socket, { maxUses: 4, expiresInHours: 48 });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await server.stores.invitations.find(link.id);
    expect(stored?.tokenHash).toBe(createHash('sha256').update(link.token!).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(link.token);
    const { invitations } = await ok(adminRequest<{ invitations: InvitationDto[] }>(socket, 'invitation:list', {}));
    const { token: _token, ...listed } = link;
    expect(invitations).toEqual([listed]);
  });
});

describe('a link used by many at once', () => {
  for (const [backend, open] of Object.entries(BACKENDS)) {
    it(`a link for N accounts used by 3N registrations at once, on two instances, registers exactly N (${backend})`, async () => {
      const stores = await open();
      openStores.push(stores);
      const { server: a, socket } = await invitationOnly({ stores });
      const b = await harness.start({ stores, config: { registration: 'invitation' } });
      const maxUses = 4;
      const link = await create(socket, { maxUses });
      const usersBefore = await stores.users.count();

      const names = Array.from({ length: 3 * maxUses }, (_, i) => `crowd${i}`);
      const results = await Promise.all(names.map((username, i) => register(i % 2 ? a.url : b.url, { username, invitation: link.token })));
      const admitted = names.filter((_, i) => results[i]!.status === 201);
      expect(admitted).toHaveLength(maxUses);
      for (const refused of results.filter((r) => r.status !== 201)) expect(refused).toMatchObject({ status: 403, body: { error: { code: 'invitation_invalid' } } });
      expect(await stores.users.count()).toBe(usersBefore + maxUses);
      expect((await stores.invitations.find(link.id))?.uses).toBe(maxUses);
      // The admitted are real accounts; the refused left none behind.
      for (const username of names) {
        const res = await signIn(a.url, username);
        expect([username, res.status]).toEqual([username, admitted.includes(username) ? 200 : 401]);
      }
    });
  }
});

describe("a link is only as good as its maker's right to invite", () => {
  it("a member's link registers nobody once its maker is deactivated or banned, or once members may no longer invite; an admin's keeps working", async () => {
    const { server, socket } = await invitationOnly();
    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: true }));
    const makeMember = async () => {
      const member = await registerUser(server.url, { invitation: (await create(socket)).token! });
      const memberSocket = await connectAdmin(server.url, member);
      opened.push(memberSocket);
      return { member, link: await create(memberSocket, { maxUses: 10 }) };
    };
    const deactivated = await makeMember();
    const banned = await makeMember();
    const whileAllowed = await makeMember();
    const adminLink = await create(socket, { maxUses: 10 });

    await ok(adminRequest(socket, 'admin:user:deactivate', { userId: deactivated.member.user.id }));
    await ok(adminRequest(socket, 'admin:user:ban', { userId: banned.member.user.id }));
    for (const { link } of [deactivated, banned]) {
      const before = await snapshot(server, link.id);
      const res = await register(server.url, { username: uniqueName('guest'), invitation: link.token });
      expect([res.status, res.body.error?.code]).toEqual([403, 'invitation_invalid']);
      expect(await snapshot(server, link.id)).toEqual(before);
    }
    expect((await register(server.url, { username: uniqueName('guest'), invitation: whileAllowed.link.token })).status).toBe(201);

    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: false }));
    const refused = await register(server.url, { username: uniqueName('guest'), invitation: whileAllowed.link.token });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'invitation_invalid']);
    expect((await register(server.url, { username: uniqueName('guest'), invitation: adminLink.token })).status).toBe(201);

    // The right back, the link counts again (it was never revoked).
    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: true }));
    expect((await register(server.url, { username: uniqueName('guest'), invitation: whileAllowed.link.token })).status).toBe(201);
  });
});
