import type { AdminUserDto, AuditEntryDto, RegistrationMode } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../src/auth/sessionTokens.js';
import { SESSION_COOKIE } from '../src/http/sessionCookie.js';
import { effectiveSettings } from '../src/services/admin/liveSettings.js';
import { createRegistrationPolicy } from '../src/services/admin/registration.js';
import { BY_CONFIGURATION, createRoles } from '../src/services/admin/roles.js';
import { createMemoryStores, type Stores } from '../src/testing.js';
import { postJson, registerUser, sessionCookieFrom } from './support/client.js';
import { PASSWORD, capturingLogger, register, signIn, whoAmI } from './support/accounts.js';
import { adminRequest, connectAdmin } from './support/moderationClients.js';
import { dropDatabase, freshTestStores, openTestStores, testDatabaseName } from './support/mongo.js';
import { ok } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Who is an admin: the first account, ADMIN_USERNAMES, and whoever an admin promotes.

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

async function shared(open: () => Promise<Stores>): Promise<Stores> {
  const stores = await open();
  openStores.push(stores);
  return stores;
}

const firstAccountLines = (lines: { msg: string }[]) => lines.filter((line) => line.msg.includes("is the server's admin"));

describe('the first account', () => {
  it('the first account registered on a fresh server is its admin, said once in the log; the next is a member', async () => {
    const { lines, logger } = capturingLogger();
    const stores = await shared(BACKENDS.memory!);
    const server = await harness.start({ stores, logger });
    const first = await register(server.url, { username: 'Founder', displayName: 'Founder' });
    expect(first).toMatchObject({ status: 201, body: { user: { username: 'Founder', role: 'admin' } } });
    const cookie = sessionCookieFrom(first.headers);
    expect(await whoAmI(server.url, cookie)).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });
    expect((await signIn(server.url, 'founder')).body).toMatchObject({ user: { role: 'admin' } });

    const second = await registerUser(server.url);
    expect(await whoAmI(server.url, second.cookie)).toMatchObject({ body: { user: { role: 'member' } } });
    expect(firstAccountLines(lines)).toMatchObject([{ msg: "first account Founder is the server's admin", level: 30 }]);

    // A restart on the same database claims nothing again.
    await server.close();
    const again = await harness.start({ stores, logger });
    await registerUser(again.url);
    expect(firstAccountLines(lines)).toHaveLength(1);
  });

  for (const [backend, open] of Object.entries(BACKENDS)) {
    it(`registrations racing for a fresh server make exactly one admin (${backend})`, async () => {
      const stores = await shared(open);
      const [a, b] = [await harness.start({ stores }), await harness.start({ stores })];
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => register(i % 2 ? a.url : b.url, { username: `racer${i}` })));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(results.filter((r) => r.body.user.role === 'admin')).toHaveLength(1);
      expect(await stores.users.countActiveAdmins()).toBe(1);
    });

    it(`on a fresh closed server, of racing registrations exactly one gets in, as its admin (${backend})`, async () => {
      const stores = await shared(open);
      const config = { registration: 'closed' as const };
      const [a, b] = [await harness.start({ stores, config }), await harness.start({ stores, config })];
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => register(i % 2 ? a.url : b.url, { username: `closed${i}` })));
      const admitted = results.filter((r) => r.status === 201);
      expect(admitted).toHaveLength(1);
      expect(admitted[0]!.body.user.role).toBe('admin');
      for (const refused of results.filter((r) => r.status !== 201)) expect(refused).toMatchObject({ status: 403, body: { error: { code: 'registration_closed' } } });
      // A refused racer leaves nothing behind: no account, and its username is free.
      expect(await stores.users.count()).toBe(1);
      const losers = results.flatMap((result, i) => (result.status === 201 ? [] : [`closed${i}`]));
      for (const username of losers) {
        expect([username, await stores.users.findByUsername(username)]).toEqual([username, null]);
        expect((await signIn(a.url, username)).body).toMatchObject({ error: { code: 'invalid_credentials' } });
      }
      expect((await register(a.url, { username: 'latecomer' })).body).toMatchObject({ error: { code: 'registration_closed' } });
      // On the instance that admitted it: each test server signs sessions with a secret of its own.
      const winnerUrl = results.indexOf(admitted[0]!) % 2 ? a.url : b.url;
      const admin = await connectAdmin(winnerUrl, { user: admitted[0]!.body.user, cookie: sessionCookieFrom(admitted[0]!.headers) });
      opened.push(admin);
      expect((await ok(adminRequest<{ users: AdminUserDto[] }>(admin, 'admin:users', {}))).users).toHaveLength(1);
      await ok(adminRequest(admin, 'admin:settings:update', { registration: 'open' }));
      expect((await register(b.url, { username: losers[0]! })).status).toBe(201);
    });
  }
});

describe('a registration that lost the race for a fresh server\'s first account', () => {
  // Deterministic where the races above depend on timing: the first-account mark is already taken.
  async function settleALoser(mode: RegistrationMode) {
    const stores = createMemoryStores();
    openStores.push(stores);
    const { logger } = capturingLogger();
    const roles = createRoles({ users: stores.users, settings: { claimFirstAccount: async () => false }, adminUsernames: [], logger });
    const fresh = async () => effectiveSettings({ serverName: 'Confab', registration: mode, recallWindowMs: 0, editWindowMs: null, uploadMaxBytes: 1024, uploadQuotaBytes: null }, {});
    const policy = createRegistrationPolicy({ users: stores.users, live: { fresh }, invitations: { peek: async () => null }, roles });
    // Let in while the server had no account, as every racer is.
    const seat = await policy.admit(undefined);
    if (!seat.ok) throw new Error('an empty server lets a registration in');
    expect(seat.data).toMatchObject({ mode, isFirstCandidate: true });
    const loser = await stores.users.create({ username: 'loser', displayName: 'Loser', passwordHash: 'hash', createdAt: new Date(), role: policy.roleAtRegistration('loser') });
    if (loser === 'username_taken') throw new Error('unexpected');
    return { stores, loser, settled: await policy.settle(loser, seat.data) };
  }

  for (const mode of ['closed', 'invitation'] as const) {
    it(`on a ${mode} server it is refused registration_closed and its account is deleted, its username free again`, async () => {
      const { stores, loser, settled } = await settleALoser(mode);
      expect(settled).toMatchObject({ ok: false, error: { code: 'registration_closed' } });
      expect(await stores.users.findById(loser.id)).toBeNull();
      expect(await stores.users.findByUsername('loser')).toBeNull();
      expect(await stores.users.count()).toBe(0);
    });
  }

  it('on an open server it stays, as a member', async () => {
    const { stores, loser, settled } = await settleALoser('open');
    expect(settled).toEqual({ ok: true, data: { ...loser, role: 'member' } });
    expect(await stores.users.findById(loser.id)).toEqual(loser);
  });
});

describe('ADMIN_USERNAMES', () => {
  const CONFIGURED = BY_CONFIGURATION;
  const promotionsIn = (entries: AuditEntryDto[]) => entries.filter((e) => e.action === 'user.role').map((e) => [e.actor, e.target.label, e.details]);

  it('names admins at registration (in any letter case), again at sign-in, and at start-up, each promotion in the audit log as the operator\'s', async () => {
    const stores = createMemoryStores();
    openStores.push(stores);
    const before = await harness.start({ stores });
    await registerUser(before.url, { username: 'founder' });
    await registerUser(before.url, { username: 'Chief' });
    expect((await stores.users.findByUsername('chief'))?.role).toBe('member');
    await before.close();

    const server = await harness.start({ stores, config: { adminUsernames: ['chief', 'boss'] } });
    expect((await stores.users.findByUsername('chief'))?.role).toBe('admin');
    const boss = await register(server.url, { username: 'BOSS' });
    expect(boss).toMatchObject({ status: 201, body: { user: { role: 'admin' } } });

    // Made a member behind the server's back (the admin screen refuses it, see below): the next sign-in restores it.
    await stores.users.setRole(boss.body.user.id, 'member');
    expect((await signIn(server.url, 'boss')).body).toMatchObject({ user: { role: 'admin' } });
    expect((await stores.users.findById(boss.body.user.id))?.role).toBe('admin');
    // Others are untouched by a sign-in; an admin already is not promoted again.
    const founder = await signIn(server.url, 'founder');
    expect(founder.body).toMatchObject({ user: { role: 'admin' } });
    expect((await signIn(server.url, 'boss')).status).toBe(200);

    const socket = await connectAdmin(server.url, { user: founder.body.user, cookie: sessionCookieFrom(founder.headers) });
    opened.push(socket);
    const { entries } = await ok(adminRequest<{ entries: AuditEntryDto[] }>(socket, 'admin:audit', {}));
    const operator = { id: 'operator', name: 'operator' };
    // Newest first: the sign-in, the registration, the start-up.
    expect(promotionsIn(entries)).toEqual([
      [operator, 'BOSS', CONFIGURED],
      [operator, 'BOSS', CONFIGURED],
      [operator, 'Chief', CONFIGURED],
    ]);
    expect(entries.find((e) => e.target.label === 'BOSS')?.target.id).toBe(boss.body.user.id);

    // A restart promotes nobody who is an admin already, and records nothing.
    await server.close();
    const again = await harness.start({ stores, config: { adminUsernames: ['chief', 'boss'] } });
    const founderAgain = await signIn(again.url, 'founder');
    const resocket = await connectAdmin(again.url, { user: founderAgain.body.user, cookie: sessionCookieFrom(founderAgain.headers) });
    opened.push(resocket);
    expect(promotionsIn((await ok(adminRequest<{ entries: AuditEntryDto[] }>(resocket, 'admin:audit', {}))).entries)).toHaveLength(3);
  });

  /** Two stores on one database, as two server processes have them (one where there can be only one). */
  const PAIRS: Record<string, () => Promise<[Stores, Stores]>> = {
    memory: async () => {
      const stores = await shared(BACKENDS.memory!);
      return [stores, stores];
    },
    mongo: async () => {
      const dbName = testDatabaseName(import.meta.filename);
      const [a, b] = await Promise.all([openTestStores(dbName), openTestStores(dbName)]);
      openStores.push(b, { ...a, close: async () => void (await a.close(), await dropDatabase(dbName)) });
      return [a, b];
    },
  };
  const auditedPromotionsOf = async (stores: Stores, username: string) =>
    (await stores.audit.list({ limit: 100 })).filter((e) => e.action === 'user.role' && e.target.label === username).map((e) => [e.actor.id, e.details]);

  for (const [backend, open] of Object.entries(PAIRS)) {
    it(`instances starting together and racing sign-ins promote a configured member once, recorded once each time (${backend})`, async () => {
      const [storesA, storesB] = await open();
      const seeding = await harness.start({ stores: storesA });
      await registerUser(seeding.url, { username: 'founder' });
      const chief = await registerUser(seeding.url, { username: 'Chief' });
      await seeding.close();

      const config = { adminUsernames: ['chief'] };
      const [a, b] = await Promise.all([harness.start({ stores: storesA, config }), harness.start({ stores: storesB, config })]);
      expect((await storesB.users.findById(chief.user.id))?.role).toBe('admin');
      expect(await auditedPromotionsOf(storesA, 'Chief')).toEqual([['operator', BY_CONFIGURATION]]);

      // Made a member behind the servers' backs: the sign-ins racing on both instances promote once.
      await storesA.users.setRole(chief.user.id, 'member');
      const signIns = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(i % 2 ? a.url : b.url, 'chief')));
      for (const answer of signIns) expect(answer).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });
      expect(await auditedPromotionsOf(storesB, 'Chief')).toEqual([
        ['operator', BY_CONFIGURATION],
        ['operator', BY_CONFIGURATION],
      ]);
    });
  }

  it('a promotion whose audit entry cannot be written is logged, and the registration or sign-in it came with still succeeds', async () => {
    const stores = createMemoryStores();
    openStores.push(stores);
    const { lines, logger } = capturingLogger();
    const server = await harness.start({ stores, logger, config: { adminUsernames: ['chief'] } });
    await registerUser(server.url, { username: 'founder' });
    stores.audit.append = () => Promise.reject(new Error('the audit log is unreachable'));

    const chief = await register(server.url, { username: 'Chief' });
    expect(chief).toMatchObject({ status: 201, body: { user: { username: 'Chief', role: 'admin' } } });
    expect(await whoAmI(server.url, sessionCookieFrom(chief.headers))).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });
    await stores.users.setRole(chief.body.user.id, 'member');
    expect(await signIn(server.url, 'chief')).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });
    expect((await stores.users.findById(chief.body.user.id))?.role).toBe('admin');

    const failures = lines.filter((line) => line.level === 50 && line.msg.includes('audit entry'));
    expect(failures).toMatchObject([
      { userId: chief.body.user.id, username: 'Chief', details: BY_CONFIGURATION, err: { message: 'the audit log is unreachable' } },
      { userId: chief.body.user.id, username: 'Chief', details: BY_CONFIGURATION, err: { message: 'the audit log is unreachable' } },
    ]);
  });

  it("an admin named there is marked configuredAdmin; demoting, deactivating or banning them is refused with forbidden and changes nothing", async () => {
    const stores = createMemoryStores();
    openStores.push(stores);
    const server = await harness.start({ stores, config: { adminUsernames: ['chief', 'dormant'] } });
    const founder = await registerUser(server.url, { username: 'founder' });
    const chief = await registerUser(server.url, { username: 'Chief' });
    const dormant = await registerUser(server.url, { username: 'dormant' });
    const member = await registerUser(server.url, { username: 'member' });
    // Deactivated behind the server's back (say, before its name was listed): a ban would still remove its messages.
    await stores.users.setDeactivated(dormant.user.id, { deactivatedAt: new Date() });
    const socket = await connectAdmin(server.url, founder);
    opened.push(socket);
    const listed = (await ok(adminRequest<{ users: AdminUserDto[] }>(socket, 'admin:users', {}))).users;
    expect(listed.map((u) => [u.username, u.role, u.configuredAdmin])).toEqual([
      ['Chief', 'admin', true],
      ['dormant', 'admin', true],
      ['founder', 'admin', undefined],
      ['member', 'member', undefined],
    ]);
    const auditBefore = (await ok(adminRequest<{ entries: AuditEntryDto[] }>(socket, 'admin:audit', {}))).entries;
    const usersBefore = await Promise.all([chief, dormant].map((u) => stores.users.findById(u.user.id)));

    for (const [event, payload] of [
      ['admin:user:role', { userId: chief.user.id, role: 'member' }],
      ['admin:user:deactivate', { userId: chief.user.id }],
      ['admin:user:ban', { userId: chief.user.id }],
      ['admin:user:ban', { userId: dormant.user.id }],
    ] as const) {
      const ack = await adminRequest(socket, event, payload);
      expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: 'forbidden', message: expect.stringContaining('ADMIN_USERNAMES') } } });
    }
    expect(await Promise.all([chief, dormant].map((u) => stores.users.findById(u.user.id)))).toEqual(usersBefore);
    expect((await ok(adminRequest<{ entries: AuditEntryDto[] }>(socket, 'admin:audit', {}))).entries).toEqual(auditBefore);
    expect(await whoAmI(server.url, chief.cookie)).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });

    // Promoting one (a no-op for an admin) and everything done to others still works.
    expect(await ok(adminRequest<AdminUserDto>(socket, 'admin:user:role', { userId: chief.user.id, role: 'admin' }))).toMatchObject({ role: 'admin', configuredAdmin: true });
    expect(await ok(adminRequest<AdminUserDto>(socket, 'admin:user:reactivate', { userId: dormant.user.id }))).toMatchObject({ configuredAdmin: true });
    expect(await ok(adminRequest<AdminUserDto>(socket, 'admin:user:deactivate', { userId: member.user.id }))).toMatchObject({ username: 'member', deactivatedAt: expect.any(String) });
    expect(await ok(adminRequest<AdminUserDto>(socket, 'admin:user:role', { userId: founder.user.id, role: 'member' }))).toMatchObject({ role: 'member' });
  });

  it('start-up warns when accounts exist but no admin does, and points to the command line', async () => {
    const stores = createMemoryStores();
    openStores.push(stores);
    const seeding = await harness.start({ stores });
    await seeding.seedUser('someone');
    await seeding.close();

    const { lines, logger } = capturingLogger();
    const server = await harness.start({ stores, logger });
    const warnings = lines.filter((line) => line.level === 40 && line.msg.includes('no active admin'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('pnpm confab create-admin');
    await server.close();

    const promoted = capturingLogger();
    await harness.start({ stores, logger: promoted.logger, config: { adminUsernames: ['someone'] } });
    expect(promoted.lines.filter((line) => line.msg.includes('no active admin'))).toEqual([]);
  });
});

describe('a deactivated account', () => {
  it('its right password is answered account_deactivated, a wrong one invalid_credentials as before', async () => {
    const server = await harness.start();
    const admin = await registerUser(server.url, { username: 'warden' });
    const inmate = await registerUser(server.url, { username: 'inmate' });
    const socket = await connectAdmin(server.url, admin);
    opened.push(socket);
    await ok(adminRequest(socket, 'admin:user:deactivate', { userId: inmate.user.id }));

    expect(await signIn(server.url, 'inmate')).toMatchObject({ status: 403, body: { error: { code: 'account_deactivated' } } });
    const wrong = await signIn(server.url, 'inmate', 'not the password');
    const nobody = await signIn(server.url, 'nobody_here', 'not the password');
    expect([wrong.status, wrong.body]).toEqual([nobody.status, nobody.body]);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_credentials' } });
  });

  it('their open tab asks GET /api/auth/me and is told account_deactivated; once reactivated, the old cookie is only signed out', async () => {
    const server = await harness.start();
    const admin = await registerUser(server.url, { username: 'warden' });
    const inmate = await registerUser(server.url, { username: 'inmate' });
    const bystander = await registerUser(server.url, { username: 'bystander' });
    const socket = await connectAdmin(server.url, admin);
    opened.push(socket);
    await ok(adminRequest(socket, 'admin:user:deactivate', { userId: inmate.user.id }));

    expect(await whoAmI(server.url, inmate.cookie)).toEqual({ status: 403, body: { error: { code: 'account_deactivated', message: expect.any(String) } } });
    // Only a token this server signed tells: one signed with another secret, or no token at all, is signed out.
    const forged = await createSessionTokens({ secret: 'not-the-servers-secret-0123456789abcdef', ttlMs: 60_000, now: () => new Date() }).issue(inmate.user.id);
    for (const cookie of [`${SESSION_COOKIE}=${forged.token}`, `${SESSION_COOKIE}=${inmate.cookie.split('=')[1]!.slice(0, -2)}xx`, '']) {
      expect(await whoAmI(server.url, cookie)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    }
    // A signed-out session of an active user is signed out, as before.
    expect((await postJson(server.url, '/api/auth/logout', {}, { cookie: bystander.cookie })).status).toBe(204);
    expect(await whoAmI(server.url, bystander.cookie)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });

    await ok(adminRequest(socket, 'admin:user:reactivate', { userId: inmate.user.id }));
    // Ended sessions stay ended: reactivation starts nothing by itself.
    expect(await whoAmI(server.url, inmate.cookie)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await signIn(server.url, 'inmate', PASSWORD)).toMatchObject({ status: 200, body: { user: { role: 'member' } } });
    expect((await whoAmI(server.url, inmate.cookie)).status).toBe(401);
  });
});
