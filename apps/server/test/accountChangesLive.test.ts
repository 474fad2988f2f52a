import type { UserUpdateDto } from '@confab/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStores, type StartServerOptions, type Stores } from '../src/testing.js';
import { whoAmI } from './support/accounts.js';
import { eventually, registerUser, settle, type TestUser } from './support/client.js';
import { adminRequest, connectAdmin } from './support/moderationClients.js';
import { useRedisServer } from './support/redisServer.js';
import { heard, ok, openTab, type Tab } from './support/roomClients.js';
import { useServer } from './support/server.js';

// Open tabs follow what an admin changes about an account, on every instance, without a reload:
// the user's own tabs hear `session:changed` (and fetch their role again), everyone hears
// `user:updated` when someone is deactivated or reactivated. Two instances share one store and a
// redis-server of this file's own; each socket must hear each change once.

const openStores: Stores[] = [];
// Registered before useServer's: hooks run in reverse order, so this runs after the servers closed.
afterEach(async () => {
  for (const stores of openStores.splice(0)) await stores.close();
});
const harness = useServer();
const redis = useRedisServer();
const config = { sessionSecret: 'account-changes-live-secret-0123456789abcdef' };
const opened: { disconnect(): unknown }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

async function twoInstances(extra: Omit<StartServerOptions, 'stores' | 'config' | 'redisUrl'> = {}) {
  const stores = createMemoryStores();
  openStores.push(stores);
  const startOptions = { ...extra, stores, config, redisUrl: redis.url };
  const a = await harness.start(startOptions);
  const b = await harness.start(startOptions);
  const admin = await registerUser(a.url, { username: 'operator_one', displayName: 'Op' }); // the first account: an admin
  const adminSocket = await connectAdmin(a.url, admin);
  opened.push(adminSocket);
  return { a, b, stores, adminSocket };
}

/** Waits for `list` to hold `expected`, then long enough for a second (duplicate) copy to arrive too. */
async function heardOnce<T>(list: T[], expected: T[]): Promise<void> {
  await eventually(() => expect(list).toEqual(expected));
  await settle(300);
  expect(list).toEqual(expected);
}

/** What each tab's lobby socket hears of `event` from now on. */
function tabsOf<T>(tabs: Tab[], event: string): T[][] {
  return tabs.map((tab) => heard(tab.lobby, event) as T[]);
}

describe('a role change reaches the user\'s open tabs', () => {
  it("promoting a member on A tells each of their tabs, on A and on B, once, and what B answers then is the new role; others hear nothing", async () => {
    const { a, b, adminSocket } = await twoInstances();
    const member = await registerUser(b.url, { username: 'rising' });
    const bystander: TestUser = await registerUser(b.url, { username: 'bystander' });
    const [onA, onB] = [await openTab(a.url, member, opened), await openTab(b.url, member, opened)];
    const other = await openTab(b.url, bystander, opened);
    const [heardOnA, heardOnB, heardByOther] = tabsOf<undefined>([onA, onB, other], 'session:changed') as [undefined[], undefined[], undefined[]];

    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'admin' }));
    await heardOnce(heardOnB, [undefined]);
    expect(heardOnA).toEqual([undefined]);
    expect(await whoAmI(b.url, member.cookie)).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });

    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'member' }));
    await heardOnce(heardOnB, [undefined, undefined]);
    expect(heardOnA).toEqual([undefined, undefined]);
    expect(await whoAmI(b.url, member.cookie)).toMatchObject({ status: 200, body: { user: { role: 'member' } } });
    expect(heardByOther).toEqual([]);
  });
});

describe('a deactivation reaches every open tab', () => {
  it("deactivating a member on A tells a third user's tabs on A and on B once each, and reactivating tells them again; the member's own tabs end instead", async () => {
    const { a, b, adminSocket } = await twoInstances();
    const member = await registerUser(b.url, { username: 'leaving' });
    const witness = await registerUser(b.url, { username: 'witness' });
    const [onA, onB] = [await openTab(a.url, witness, opened), await openTab(b.url, witness, opened)];
    const memberTab = await openTab(b.url, member, opened);
    const [updatesOnA, updatesOnB] = tabsOf<UserUpdateDto>([onA, onB], 'user:updated') as [UserUpdateDto[], UserUpdateDto[]];
    const memberTold = heard(memberTab.lobby, 'session:changed');
    const memberGone = new Promise<void>((resolve) => memberTab.lobby.once('disconnect', () => resolve()));

    await ok(adminRequest(adminSocket, 'admin:user:deactivate', { userId: member.user.id }));
    const deactivated = { userId: member.user.id, deactivated: true };
    await heardOnce(updatesOnB, [deactivated]);
    expect(updatesOnA).toEqual([deactivated]);
    await memberGone;
    expect(memberTold).toEqual([]);

    await ok(adminRequest(adminSocket, 'admin:user:reactivate', { userId: member.user.id }));
    const reactivated = { userId: member.user.id, deactivated: false };
    await heardOnce(updatesOnB, [deactivated, reactivated]);
    expect(updatesOnA).toEqual([deactivated, reactivated]);
  });

  it('a ban of a member announces one deactivation, and a change of role announces none', async () => {
    const { b, adminSocket } = await twoInstances();
    const member = await registerUser(b.url, { username: 'troll' });
    const witness = await openTab(b.url, await registerUser(b.url), opened);
    const updates = heard<UserUpdateDto>(witness.lobby, 'user:updated');

    await ok(adminRequest(adminSocket, 'admin:user:role', { userId: member.user.id, role: 'admin' }));
    await ok(adminRequest(adminSocket, 'admin:user:ban', { userId: member.user.id }));
    await heardOnce(updates, [{ userId: member.user.id, deactivated: true }]);
  });

  it('a deactivation made in the database alone (no announcement) reaches the tabs on both instances at the next resync, and so does the reactivation', async () => {
    const { a, b, stores } = await twoInstances({ adminResyncMs: 200 });
    const member = await registerUser(b.url, { username: 'quietly_gone' });
    const witness = await registerUser(b.url, { username: 'onlooker' });
    const [onA, onB] = [await openTab(a.url, witness, opened), await openTab(b.url, witness, opened)];
    const [updatesOnA, updatesOnB] = tabsOf<UserUpdateDto>([onA, onB], 'user:updated') as [UserUpdateDto[], UserUpdateDto[]];

    await stores.users.setDeactivated(member.user.id, { deactivatedAt: new Date() });
    const deactivated = { userId: member.user.id, deactivated: true };
    await eventually(() => expect([updatesOnA, updatesOnB]).toEqual([[deactivated], [deactivated]]));
    // Later resyncs read the same: nothing more is announced.
    await settle(600);
    expect([updatesOnA, updatesOnB]).toEqual([[deactivated], [deactivated]]);

    await stores.users.setDeactivated(member.user.id, { deactivatedAt: null });
    const reactivated = { userId: member.user.id, deactivated: false };
    await eventually(() => expect([updatesOnA, updatesOnB]).toEqual([[deactivated, reactivated], [deactivated, reactivated]]));
  });
});
