import { createHash } from 'node:crypto';
import { LIMITS, type InvitationDto } from '@confab/shared';
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

  it('a registration refused for its username takes no use: with a 1-use link, a taken name then a good one, the good one gets in', async () => {
    const { server, socket } = await invitationOnly();
    const link = await create(socket, { maxUses: 1 });
    await registerUser(server.url, { username: 'taken_name', invitation: link.token });
    const second = await create(socket, { maxUses: 1 });
    expect(await register(server.url, { username: 'Taken_Name', invitation: second.token })).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
    expect((await server.stores.invitations.find(second.id))?.uses).toBe(0);
    expect((await register(server.url, { username: 'fresh_name', invitation: second.token })).status).toBe(201);
  });

  it("racing a registration whose username is taken, a good one always gets a 1-use link's use", async () => {
    const { server, socket } = await invitationOnly();
    await registerUser(server.url, { username: 'squatter', invitation: (await create(socket)).token! });
    for (let round = 0; round < 5; round += 1) {
      const link = await create(socket, { maxUses: 1 });
      // The doomed ones are sent first: they must not hold the only use while they fail.
      const doomed = Array.from({ length: 3 }, () => register(server.url, { username: 'Squatter', invitation: link.token }));
      const good = register(server.url, { username: `good_${round}`, invitation: link.token });
      const [goodAnswer, ...doomedAnswers] = await Promise.all([good, ...doomed]);
      expect([round, goodAnswer.status]).toEqual([round, 201]);
      for (const answer of doomedAnswers) expect(answer).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
      expect((await server.stores.invitations.find(link.id))?.uses).toBe(1);
    }
  });

  it('without a usable invitation a taken username is refused for the invitation, never as taken', async () => {
    const { server, socket } = await invitationOnly();
    const link = await create(socket, { maxUses: 1 });
    await registerUser(server.url, { username: 'occupied', invitation: link.token });
    const revoked = await create(socket);
    await ok(adminRequest(socket, 'invitation:revoke', { id: revoked.id }));
    const forged = 'A'.repeat(43);
    for (const username of ['occupied', 'vacant_name']) {
      const answers = [
        await register(server.url, { username }),
        await register(server.url, { username, invitation: forged }),
        await register(server.url, { username, invitation: link.token }),
        await register(server.url, { username, invitation: revoked.token }),
      ].map((res) => [res.status, res.body.error?.code]);
      expect([username, answers]).toEqual([username, [[403, 'registration_closed'], [403, 'invitation_invalid'], [403, 'invitation_invalid'], [403, 'invitation_invalid']]]);
    }
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

describe('a link used at once by registrations bound to fail and good ones', () => {
  for (const [backend, open] of Object.entries(BACKENDS)) {
    it(`a link for N accounts, used at once by N taken usernames and 2N free ones on two instances, registers exactly N, none of the taken (${backend})`, async () => {
      const stores = await open();
      openStores.push(stores);
      const { server: a, socket } = await invitationOnly({ stores });
      const b = await harness.start({ stores, config: { registration: 'invitation' } });
      const maxUses = 3;
      const taken = Array.from({ length: maxUses }, (_, i) => `owner${i}`);
      for (const username of taken) await registerUser(a.url, { username, invitation: (await create(socket)).token! });
      const link = await create(socket, { maxUses });
      const usersBefore = await stores.users.count();

      const free = Array.from({ length: 2 * maxUses }, (_, i) => `newcomer${i}`);
      // Interleaved, the taken names first in each pair.
      const attempts = free.flatMap((username, i) => (i < taken.length ? [taken[i]!.toUpperCase(), username] : [username]));
      const results = await Promise.all(attempts.map((username, i) => register(i % 2 ? a.url : b.url, { username, invitation: link.token })));
      const outcome = (username: string) => results[attempts.indexOf(username)]!;
      for (const username of taken) expect(outcome(username.toUpperCase())).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
      const admitted = free.filter((username) => outcome(username).status === 201);
      expect(admitted).toHaveLength(maxUses);
      for (const username of free.filter((name) => !admitted.includes(name))) expect(outcome(username)).toMatchObject({ status: 403, body: { error: { code: 'invitation_invalid' } } });
      expect(await stores.users.count()).toBe(usersBefore + maxUses);
      expect((await stores.invitations.find(link.id))?.uses).toBe(maxUses);
    });
  }
});

describe('the list of links, page by page', () => {
  it("invitation:list pages newest first: hasMore, then the rest before the last one's id; a member pages through only their own", async () => {
    const { server, socket } = await invitationOnly();
    const made: InvitationDto[] = [];
    for (let i = 0; i < LIMITS.adminPageMax + 3; i += 1) made.push(await create(socket, { maxUses: 1 + (i % 5) }));
    const newestFirst = [...made].reverse().map(({ token: _token, ...listed }) => listed);
    const list = (payload: Record<string, unknown>, on = socket) => ok(adminRequest<{ invitations: InvitationDto[]; hasMore: boolean }>(on, 'invitation:list', payload));

    const first = await list({});
    expect(first).toEqual({ invitations: newestFirst.slice(0, LIMITS.adminPageMax), hasMore: true });
    const rest = await list({ before: first.invitations.at(-1)!.id });
    expect(rest).toEqual({ invitations: newestFirst.slice(LIMITS.adminPageMax), hasMore: false });
    expect(await list({ before: newestFirst[9]!.id, limit: 3 })).toEqual({ invitations: newestFirst.slice(10, 13), hasMore: true });
    for (const bad of [{ before: 'nope' }, { limit: LIMITS.adminPageMax + 1 }, { limit: 0 }, { after: newestFirst[0]!.id }]) {
      expect(await adminRequest(socket, 'invitation:list', bad)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }

    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: true }));
    const member = await registerUser(server.url, { invitation: (await create(socket)).token! });
    const memberSocket = await connectAdmin(server.url, member);
    opened.push(memberSocket);
    const own: InvitationDto[] = [];
    for (let i = 0; i < 3; i += 1) own.push(await create(memberSocket));
    const ownNewestFirst = [...own].reverse().map(({ token: _token, ...listed }) => listed);
    const page = await list({ limit: 2 }, memberSocket);
    expect(page).toEqual({ invitations: ownNewestFirst.slice(0, 2), hasMore: true });
    expect(await list({ before: page.invitations.at(-1)!.id, limit: 2 }, memberSocket)).toEqual({ invitations: ownNewestFirst.slice(2), hasMore: false });
    // Whatever the page, never the admin's links (older than the member's, and a page's worth).
    expect(await list({ before: ownNewestFirst[0]!.id, limit: 50 }, memberSocket)).toEqual({ invitations: ownNewestFirst.slice(1), hasMore: false });
  });
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

  it('invitation:list marks a link paused while its maker may not invite, and unmarks it once the right comes back', async () => {
    const { server, socket } = await invitationOnly();
    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: true }));
    const signUp = async (role: 'admin' | 'member') => {
      const user = await registerUser(server.url, { invitation: (await create(socket)).token! });
      if (role === 'admin') await ok(adminRequest(socket, 'admin:user:role', { userId: user.user.id, role: 'admin' }));
      const userSocket = await connectAdmin(server.url, user);
      opened.push(userSocket);
      return { user, socket: userSocket };
    };
    const demoted = await signUp('admin');
    const demotedLinks = [await create(demoted.socket, { maxUses: 3 }), await create(demoted.socket, { maxUses: 2 })];
    const demotedRevoked = await create(demoted.socket);
    await ok(adminRequest(demoted.socket, 'invitation:revoke', { id: demotedRevoked.id }));
    const member = await signUp('member');
    const membersLink = await create(member.socket, { maxUses: 3 });
    const adminsLink = await create(socket, { maxUses: 3 });
    const paused = async () => {
      const { invitations } = await ok(adminRequest<{ invitations: InvitationDto[] }>(socket, 'invitation:list', {}));
      return invitations.filter((i) => i.isPaused).map((i) => i.id).sort();
    };
    expect(await paused()).toEqual([]);

    await ok(adminRequest(socket, 'admin:user:role', { userId: demoted.user.user.id, role: 'member' }));
    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: false }));
    // A revoked link registers nobody anyway: it is revoked, not paused.
    expect(await paused()).toEqual([...demotedLinks.map((l) => l.id), membersLink.id].sort());
    const { invitations } = await ok(adminRequest<{ invitations: InvitationDto[] }>(socket, 'invitation:list', {}));
    expect(invitations.find((i) => i.id === membersLink.id)).toMatchObject({ isPaused: true, uses: 0, maxUses: 3 });
    expect(invitations.find((i) => i.id === adminsLink.id)).not.toHaveProperty('isPaused');
    expect(invitations.find((i) => i.id === demotedRevoked.id)).toMatchObject({ revokedAt: expect.any(String) });
    expect(invitations.find((i) => i.id === demotedRevoked.id)).not.toHaveProperty('isPaused');
    // What the list says is what registration does.
    expect((await register(server.url, { username: uniqueName('guest'), invitation: membersLink.token })).status).toBe(403);
    expect((await register(server.url, { username: uniqueName('guest'), invitation: adminsLink.token })).status).toBe(201);

    await ok(adminRequest(socket, 'admin:settings:update', { membersCanInvite: true }));
    expect(await paused()).toEqual([]);
    await ok(adminRequest(socket, 'admin:user:deactivate', { userId: member.user.user.id }));
    expect(await paused()).toEqual([membersLink.id]);
    await ok(adminRequest(socket, 'admin:user:reactivate', { userId: member.user.user.id }));
    expect(await paused()).toEqual([]);
    expect((await register(server.url, { username: uniqueName('guest'), invitation: membersLink.token })).status).toBe(201);
  });

  it("a page reads each maker's right to invite once, however many of their links it holds", async () => {
    const { server, socket } = await invitationOnly();
    for (let i = 0; i < 6; i += 1) await create(socket);
    const findById = server.stores.users.findById.bind(server.stores.users);
    let reads = 0;
    server.stores.users.findById = async (id) => {
      reads += 1;
      return findById(id);
    };
    try {
      const { invitations } = await ok(adminRequest<{ invitations: InvitationDto[] }>(socket, 'invitation:list', {}));
      expect(invitations).toHaveLength(6);
      // One read for the caller (the /admin event checks who asks), one for the single maker.
      expect(reads).toBe(2);
    } finally {
      server.stores.users.findById = findById;
    }
  });
});
