/**
 * Members' invitation links (issue 19) in Chromium against a real server: once an admin lets
 * members invite, a member finds "Invite people" in the user menu, makes a link there, and a
 * stranger registers with it.
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, account, eventually, registerViaApi, uniqueName, waitForLobby } from './support/app';
import { adminClient } from './support/adminClient';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

describe("members' invitation links", () => {
  it('once an admin lets members invite, a member makes a link from "Invite people" in the user menu and a stranger registers with it', async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const admin = await adminClient(server.url, ada.token);
    await admin.ask('admin:settings:update', { registration: 'invitation' });
    // The admin's own link, which the member's list must not show.
    await admin.ask('invitation:create', {});

    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, bob.token);
    await waitForLobby(page);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('to-account').waitFor();
    expect(await page.getByTestId('to-invitations').count()).toBe(0);
    await page.goto('/invitations');
    await waitForLobby(page);
    expect(new URL(page.url()).pathname).toBe('/');

    await admin.ask('admin:settings:update', { membersCanInvite: true });
    admin.close();
    await page.reload();
    await waitForLobby(page);
    await page.getByTestId('user-menu').click();
    // A member has one way in, and still none to Administration.
    expect(await page.getByTestId('to-admin').count()).toBe(0);
    await page.getByTestId('to-invitations').click();
    await page.waitForURL((url) => url.pathname === '/invitations');
    await eventually(() => page.getByTestId('invitations-title').textContent()).toContain('Invite people');
    // Loaded, and empty: the admin's link is not the member's to see.
    await eventually(() => page.getByTestId('admin-empty').textContent()).toBe('No invitation links yet.');
    expect(await page.getByTestId('admin-invitation').count()).toBe(0);

    await page.getByTestId('admin-invitation-uses').fill('1');
    await page.getByTestId('admin-invitation-create').click();
    const link = await page.getByTestId('admin-invitation-link').inputValue();
    expect(link.startsWith(`${server.url}/signup?invitation=`)).toBe(true);
    const row = page.getByTestId('admin-invitation');
    await eventually(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Bob Baker');

    const guest = await harness.newPage(server.url);
    await guest.goto(link);
    await guest.getByTestId('signup-invited').waitFor();
    const username = uniqueName('gil');
    await guest.getByTestId('signup-username').fill(username);
    await guest.getByTestId('signup-password').fill(PASSWORD);
    await guest.getByTestId('signup-submit').click();
    await waitForLobby(guest);
    expect(await server.stores.users.findByUsername(username)).not.toBeNull();

    // The member's list follows: after a reload it shows the link used up, and only theirs.
    await page.reload();
    await eventually(() => row.getAttribute('data-state')).toBe('usedUp');
    expect(await row.count()).toBe(1);
  });
});

describe("a member's link once members may no longer invite", () => {
  it("the admin's Invitations list shows it Paused, with why, and still offers Revoke; the admin's own link stays Active", async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const admin = await adminClient(server.url, ada.token);
    await admin.ask('admin:settings:update', { registration: 'invitation', membersCanInvite: true });
    const member = await adminClient(server.url, bob.token);
    await member.ask('invitation:create', { maxUses: 3 });
    member.close();
    await admin.ask('invitation:create', { maxUses: 2 });
    await admin.ask('admin:settings:update', { membersCanInvite: false });
    admin.close();

    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, ada.token, '/admin/invitations');
    const rows = page.getByTestId('admin-invitation');
    await eventually(() => rows.count()).toBe(2);
    const bobs = rows.filter({ hasText: 'Bob Baker' });
    expect(await bobs.getByTestId('admin-invitation-state').textContent()).toBe('Paused');
    expect(await bobs.getByTestId('admin-invitation-paused').textContent()).toBe('Its maker can’t invite people now, so it signs nobody up.');
    expect(await bobs.getByTestId('admin-invitation-uses').textContent()).toBe('0 of 3 used');
    expect(await bobs.getByTestId('admin-invitation-revoke').count()).toBe(1);
    const adas = rows.filter({ hasText: 'Ada Admin' });
    expect(await adas.getByTestId('admin-invitation-state').textContent()).toBe('Active');
  });
});

describe('settings in an open tab', () => {
  it("an open tab follows an admin's change without a reload: the sidebar's server name, and Invite people once members may invite", async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, bob.token);
    await waitForLobby(page);
    expect(await page.getByTestId('server-name').textContent()).toBe('Confab');

    const admin = await adminClient(server.url, ada.token);
    await admin.ask('admin:settings:update', { serverName: 'Harbour Chat', membersCanInvite: true });
    admin.close();

    await eventually(() => page.getByTestId('server-name').textContent()).toBe('Harbour Chat');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('to-invitations').waitFor();
  });
});
