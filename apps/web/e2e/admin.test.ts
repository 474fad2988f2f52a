/**
 * The administration screen (issue 19) in Chromium against a real server: a fresh server's first
 * account is its admin and closes registration, which the sign-up page then says; a member never
 * reaches the screen; a reported message removed from the reports queue turns into a tombstone
 * for the reporter; the audit log shows both.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, account, eventually, messageRow, registerViaApi, signUp, uniqueName, waitForLobby } from './support/app';
import { adminClient } from './support/adminClient';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { roomClient } from './support/rooms';

const harness = useHarness();

/** Opens the administration screen the way an admin does: from the user menu. */
async function openAdministration(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('to-admin').click();
  await page.waitForURL((url) => url.pathname === '/admin');
  await page.getByTestId('admin-settings').waitFor();
}

/** Chooses a registration mode on the settings section and saves it. */
async function setRegistration(page: Page, mode: 'open' | 'invitation' | 'closed'): Promise<void> {
  await page.getByTestId(`admin-registration-${mode}`).check();
  await page.getByTestId('admin-settings-save').click();
  await eventually(() => page.getByTestId('admin-settings-outcome').textContent()).toBe('Settings saved. Every server instance uses them now.');
}

describe('administration', () => {
  it("a fresh server's first account is its admin and closes registration; the sign-up page then says so", async () => {
    const server = await harness.startServer();
    const ada = account('ada', 'Ada Admin');
    const page = await harness.newPage(server.url);
    await signUp(page, ada);
    await openAdministration(page);
    expect(await page.getByTestId('admin-registration-open').isChecked()).toBe(true);
    await setRegistration(page, 'closed');
    expect(await page.getByTestId('admin-registration-closed').isChecked()).toBe(true);

    const visitor = await harness.newPage(server.url);
    await visitor.goto('/signup');
    await eventually(() => visitor.getByTestId('signup-closed').textContent()).toContain('Registration on Confab is closed. Ask an administrator for an account.');
    expect(await visitor.getByTestId('signup-form').count()).toBe(0);
    // The server refuses too: the page is not the only gate.
    const refused = await fetch(`${server.url}/api/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'late_comer', password: ada.password }) });
    expect(refused.status).toBe(403);
  });

  it('a member has no way in: no menu entry, and /admin leads to the lobby', async () => {
    const server = await harness.startServer();
    await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    expect(bob.user.role).toBe('member');
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, bob.token, '/admin/users');
    await waitForLobby(page);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('to-account').waitFor();
    expect(await page.getByTestId('to-admin').count()).toBe(0);
    expect(await page.getByTestId('admin-title').count()).toBe(0);
  });

  it('an admin removes a reported message from the queue, the reporter sees the tombstone, and the audit log shows it with the registration change', async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    const bobClient = await roomClient(server.url, bob.token);
    await bobClient.ask('dm:send', { roomId: 'lobby', clientId: randomUUID(), body: 'Cheap watches at example.test' });
    bobClient.close();

    const adminPage = await harness.newPage(server.url);
    await openSignedIn(adminPage, server.url, ada.token);
    await waitForLobby(adminPage);
    await openAdministration(adminPage);
    await setRegistration(adminPage, 'invitation');

    const reporter = await harness.newPage(server.url);
    await openSignedIn(reporter, server.url, carol.token);
    await waitForLobby(reporter);
    const row = messageRow(reporter, 'Cheap watches at example.test');
    await row.hover();
    await row.getByTestId('message-report').click();
    await reporter.getByTestId('report-reason').fill('Spam');
    await reporter.getByTestId('report-submit').click();
    await row.getByTestId('message-reported').waitFor();

    await adminPage.getByTestId('admin-tab-reports').click();
    const report = adminPage.getByTestId('admin-report');
    await eventually(() => report.count()).toBe(1);
    expect(await report.getByTestId('admin-report-reason').textContent()).toBe('Spam');
    expect(await report.locator('[data-reported] [data-testid="admin-report-body"]').textContent()).toBe('Cheap watches at example.test');
    await report.getByTestId('admin-report-remove').click();
    await eventually(() => report.getAttribute('data-status')).toBe('removed');
    expect(await report.getByTestId('admin-report-tombstone').textContent()).toContain('Removed by a moderator');

    await eventually(() => reporter.getByTestId('message-removed').allTextContents()).toEqual(['Message removed by a moderator']);
    expect(await reporter.getByText('Cheap watches at example.test').count()).toBe(0);

    await adminPage.getByTestId('admin-tab-audit').click();
    const entries = adminPage.getByTestId('admin-audit-entry');
    await eventually(() => entries.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))).toEqual(['message.remove', 'settings.update']);
    const [removal, settings] = await adminPage.getByTestId('admin-audit-sentence').allTextContents();
    expect(removal).toMatch(/^Ada Admin removed a message: /);
    expect(settings).toBe('Ada Admin changed the server settings');
    expect(await entries.nth(0).getByTestId('admin-audit-details').textContent()).toContain('Bob Baker');
    expect(await entries.nth(1).getByTestId('admin-audit-details').textContent()).toContain('Who can create an account:Invitation only');
  });

  it('an invitation link made on the Invitations section registers as many accounts as it allows, and then no more', async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const adminPage = await harness.newPage(server.url);
    await openSignedIn(adminPage, server.url, ada.token);
    await waitForLobby(adminPage);
    await openAdministration(adminPage);
    await setRegistration(adminPage, 'invitation');
    await adminPage.getByTestId('admin-tab-invitations').click();
    await adminPage.getByTestId('admin-invitation-uses').fill('1');
    await adminPage.getByTestId('admin-invitation-create').click();
    const link = await adminPage.getByTestId('admin-invitation-link').inputValue();
    expect(link.startsWith(`${server.url}/signup?invitation=`)).toBe(true);
    expect(await adminPage.getByTestId('admin-invitation').getAttribute('data-state')).toBe('active');

    const guest = await harness.newPage(server.url);
    await guest.goto(link);
    await guest.getByTestId('signup-invited').waitFor();
    await guest.getByTestId('signup-username').fill(uniqueName('gil'));
    await guest.getByTestId('signup-password').fill(PASSWORD);
    await guest.getByTestId('signup-submit').click();
    await waitForLobby(guest);

    const late = await harness.newPage(server.url);
    await late.goto(link);
    await late.getByTestId('signup-username').fill(uniqueName('lee'));
    await late.getByTestId('signup-password').fill(PASSWORD);
    await late.getByTestId('signup-submit').click();
    await eventually(() => late.getByTestId('signup-error').textContent()).toContain('This invitation link is not valid');
    expect(new URL(late.url()).pathname).toBe('/signup');

    // Shown once: after a reload the list has it, used up, and the link is nowhere on the page.
    await adminPage.reload();
    const row = adminPage.getByTestId('admin-invitation');
    await eventually(() => row.getAttribute('data-state')).toBe('usedUp');
    expect(await row.getByTestId('admin-invitation-uses').textContent()).toBe('1 of 1 used');
    expect(await adminPage.getByTestId('admin-invitation-created').count()).toBe(0);
  });

  it('the Invitations section shows the newest links a page at a time, and Load more the older ones', async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const client = await adminClient(server.url, ada.token);
    // Told apart by their use counts: the n-th made allows n.
    for (let n = 1; n <= 52; n += 1) await client.ask('invitation:create', { maxUses: n });
    client.close();

    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, ada.token, '/admin/invitations');
    const rows = page.getByTestId('admin-invitation');
    const uses = () => rows.getByTestId('admin-invitation-uses').allTextContents();
    await eventually(() => rows.count()).toBe(50);
    expect([(await uses())[0], (await uses()).at(-1)]).toEqual(['0 of 52 used', '0 of 3 used']);
    await page.getByTestId('admin-invitations-more').click();
    await eventually(() => rows.count()).toBe(52);
    expect((await uses()).slice(-3)).toEqual(['0 of 3 used', '0 of 2 used', '0 of 1 used']);
    expect(await page.getByTestId('admin-invitations-more').count()).toBe(0);
  });

  it('a ban from the Users section, once confirmed, signs the member out and turns their messages into tombstones for everyone', async () => {
    const server = await harness.startServer();
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    const bobClient = await roomClient(server.url, bob.token);
    for (const body of ['Buy followers', 'Buy more followers']) await bobClient.ask('dm:send', { roomId: 'lobby', clientId: randomUUID(), body });
    bobClient.close();

    const bobPage = await harness.newPage(server.url);
    await openSignedIn(bobPage, server.url, bob.token);
    await waitForLobby(bobPage);
    const carolPage = await harness.newPage(server.url);
    await openSignedIn(carolPage, server.url, carol.token);
    await waitForLobby(carolPage);
    await messageRow(carolPage, 'Buy more followers').waitFor();

    const adminPage = await harness.newPage(server.url, { width: 390, height: 844 });
    await openSignedIn(adminPage, server.url, ada.token, '/admin/users');
    const bobRow = adminPage.locator(`[data-testid="admin-user"][data-username="${bob.user.username}"]`);
    await bobRow.getByTestId('admin-user-ban').click();
    const dialog = adminPage.getByTestId('admin-ban-dialog');
    expect(await dialog.textContent()).toContain('The removed messages cannot be brought back.');
    await dialog.getByTestId('admin-ban-confirm').click();
    await eventually(() => bobRow.getAttribute('data-state')).toBe('banned');
    expect(await bobRow.getByTestId('admin-user-notice').textContent()).toBe('Bob Baker is banned; 2 messages were removed.');
    expect(await dialog.isVisible()).toBe(false);

    await eventually(() => carolPage.getByTestId('message-removed').count()).toBe(2);
    expect(await carolPage.getByText('Buy more followers').count()).toBe(0);
    await bobPage.waitForURL((url) => url.pathname === '/signin');
  });
});
