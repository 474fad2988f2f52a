import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type Stores } from '../src/testing.js';
import { registerUser, sessionCookieFrom } from './support/client.js';
import { PASSWORD, capturingLogger, register, signIn, whoAmI } from './support/accounts.js';
import { adminRequest, connectAdmin } from './support/moderationClients.js';
import { freshTestStores } from './support/mongo.js';
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
      // A refused racer's account, if the race created one, can never be used.
      for (const [i, result] of results.entries()) {
        if (result.status === 201) continue;
        expect((await signIn(a.url, `closed${i}`)).status).not.toBe(200);
      }
      expect((await register(a.url, { username: 'latecomer' })).body).toMatchObject({ error: { code: 'registration_closed' } });
    });
  }
});

describe('ADMIN_USERNAMES', () => {
  it('names admins at registration (in any letter case), again at sign-in after a demotion, and at start-up', async () => {
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

    const founder = await signIn(server.url, 'founder');
    const socket = await connectAdmin(server.url, { user: founder.body.user, cookie: sessionCookieFrom(founder.headers) });
    opened.push(socket);
    await ok(adminRequest(socket, 'admin:user:role', { userId: boss.body.user.id, role: 'member' }));
    expect((await stores.users.findById(boss.body.user.id))?.role).toBe('member');
    expect((await signIn(server.url, 'boss')).body).toMatchObject({ user: { role: 'admin' } });
    expect((await stores.users.findById(boss.body.user.id))?.role).toBe('admin');
    // Others are untouched by a sign-in.
    expect((await signIn(server.url, 'founder')).body).toMatchObject({ user: { role: 'admin' } });
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
    expect((await whoAmI(server.url, inmate.cookie)).status).toBe(401);

    await ok(adminRequest(socket, 'admin:user:reactivate', { userId: inmate.user.id }));
    expect(await signIn(server.url, 'inmate', PASSWORD)).toMatchObject({ status: 200, body: { user: { role: 'member' } } });
    // Ended sessions stay ended: reactivation starts nothing by itself.
    expect((await whoAmI(server.url, inmate.cookie)).status).toBe(401);
  });
});
