/**
 * The administration screen (issue 19) in Chromium against a real server: a fresh server's first
 * account is its admin and closes registration, which the sign-up page then says; a member never
 * reaches the screen; a reported message removed from the reports queue turns into a tombstone
 * for the reporter; the audit log shows both.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { account, eventually, messageRow, registerViaApi, signUp, waitForLobby } from './support/app';
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
});
