/**
 * The administration screens as a tester found them (issue 19, second round), in Chromium against
 * a real server: the section tabs fit a 390 px phone in both languages; deactivating and changing
 * a role ask first; an admin named in ADMIN_USERNAMES offers no demotion; sizes and windows below
 * one unit survive a save; the audit log gives dates and times; the sign-up page says plainly when
 * registration is closed or needs an invitation. Screenshots go to /tmp/confab-shots/.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { account, eventually, registerViaApi } from './support/app';
import { adminClient } from './support/adminClient';
import { seriousViolations } from './support/axe';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();
const SHOTS = '/tmp/confab-shots';
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

/** A server whose first account, Ada, is its admin, and a member, Bob. */
async function serverWithAdmin(options: Parameters<typeof harness.startServer>[0] = {}) {
  const server = await harness.startServer(options);
  const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
  const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
  return { server, ada, bob };
}

async function openAdmin(page: Page, baseUrl: string, token: string, section: string): Promise<void> {
  await openSignedIn(page, baseUrl, token, `/admin/${section}`);
  await page.getByTestId('admin-title').waitFor();
}

describe('administration screens', () => {
  it('every section tab is in sight on a 390 px phone, in English and in Chinese, and the last one opens its section', async () => {
    const { server, ada } = await serverWithAdmin();
    for (const locale of ['en-US', 'zh-CN']) {
      const page = await harness.newPage(server.url, { width: 390, height: 844, locale });
      await openAdmin(page, server.url, ada.token, 'settings');
      await page.getByTestId('admin-settings').waitFor();
      const nav = page.getByTestId('admin-tab-audit').locator('xpath=..');
      // Nothing scrolls sideways out of sight, and each tab lies inside the screen.
      expect(await nav.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      for (const name of ['settings', 'users', 'invitations', 'reports', 'audit']) {
        const box = (await page.getByTestId(`admin-tab-${name}`).boundingBox())!;
        expect(box.x, `${locale} ${name}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${locale} ${name}`).toBeLessThanOrEqual(390);
      }
      await shot(page, `admin-tabs-390-${locale}`);
      await page.getByTestId('admin-tab-audit').click();
      await page.waitForURL((url) => url.pathname === '/admin/audit');
      expect(await page.getByTestId('admin-tab-audit').getAttribute('aria-current')).toBe('page');
    }
  });

  it('deactivating and making an admin ask first, naming the person; cancelled, nothing changes; confirmed, it is done', async () => {
    const { server, ada, bob } = await serverWithAdmin();
    const page = await harness.newPage(server.url, { width: 1280, height: 800 });
    await openAdmin(page, server.url, ada.token, 'users');
    const row = page.locator(`[data-testid="admin-user"][data-username="${bob.user.username}"]`);
    await row.waitFor();

    await row.getByTestId('admin-user-active-toggle').click();
    const deactivate = page.getByTestId('admin-deactivate-dialog');
    await eventually(() => deactivate.locator('h2').textContent()).toBe('Deactivate Bob Baker?');
    expect(await deactivate.textContent()).toContain('Bob Baker is signed out everywhere at once');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'admin-deactivate-dialog-1280');
    await deactivate.getByTestId('admin-deactivate-cancel').click();
    await eventually(() => deactivate.isVisible()).toBe(false);
    expect(await row.getAttribute('data-state')).toBe('active');

    await row.getByTestId('admin-user-role-toggle').click();
    const role = page.getByTestId('admin-role-dialog');
    await eventually(() => role.locator('h2').textContent()).toBe('Make Bob Baker an admin?');
    await shot(page, 'admin-role-dialog-1280');
    await role.getByTestId('admin-role-confirm').click();
    await eventually(() => row.getAttribute('data-role')).toBe('admin');
    expect(await row.getByTestId('admin-user-notice').textContent()).toBe('Bob Baker is now an admin.');

    await row.getByTestId('admin-user-active-toggle').click();
    await page.getByTestId('admin-deactivate-confirm').click();
    await eventually(() => row.getAttribute('data-state')).toBe('deactivated');
    // The server agrees: Bob can no longer sign in.
    const signIn = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: bob.user.username, password: 'correct horse battery' }) });
    expect(signIn.status).toBe(403);
  });

  it('on a phone, the confirmation names the person and its buttons fit the screen', async () => {
    const { server, ada, bob } = await serverWithAdmin();
    const page = await harness.newPage(server.url, { width: 390, height: 844 });
    await openAdmin(page, server.url, ada.token, 'users');
    await shot(page, 'admin-users-390');
    const row = page.locator(`[data-testid="admin-user"][data-username="${bob.user.username}"]`);
    await row.getByTestId('admin-user-active-toggle').click();
    const dialog = page.getByTestId('admin-deactivate-dialog');
    await eventually(() => dialog.locator('h2').textContent()).toBe('Deactivate Bob Baker?');
    for (const button of ['admin-deactivate-cancel', 'admin-deactivate-confirm']) {
      const box = (await dialog.getByTestId(button).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await shot(page, 'admin-deactivate-dialog-390');
  });

  it('an admin named in ADMIN_USERNAMES is marked so and offers no demotion, deactivation or ban', async () => {
    const root = account('root', 'Root Operator');
    const server = await harness.startServer({ config: { adminUsernames: [root.username.toLowerCase()] } });
    const ada = await registerViaApi(server.url, account('ada', 'Ada Admin'));
    await registerViaApi(server.url, root);
    const page = await harness.newPage(server.url, { width: 1280, height: 800 });
    await openAdmin(page, server.url, ada.token, 'users');
    const row = page.locator(`[data-testid="admin-user"][data-username="${root.username}"]`);
    await eventually(() => row.getByTestId('admin-user-configured').textContent()).toContain('Admin by configuration (ADMIN_USERNAMES)');
    for (const control of ['admin-user-role-toggle', 'admin-user-active-toggle', 'admin-user-ban']) expect(await row.getByTestId(control).count()).toBe(0);
    await shot(page, 'admin-users-configured-1280');
  });

  it('an upload limit of 0.04 MB and an edit window of 20 seconds are saved, read back and saved again as they are', async () => {
    const { server, ada } = await serverWithAdmin();
    const page = await harness.newPage(server.url, { width: 1280, height: 900 });
    await openAdmin(page, server.url, ada.token, 'settings');
    await page.getByTestId('admin-upload-max').fill('0.04');
    await page.getByTestId('admin-edit-mode').selectOption('limited');
    await page.getByTestId('admin-edit-amount').fill('20');
    await page.getByTestId('admin-edit-amount-unit').selectOption('seconds');
    await page.getByTestId('admin-settings-save').click();
    await eventually(() => page.getByTestId('admin-settings-outcome').textContent()).toBe('Settings saved. Every server instance uses them now.');

    const client = await adminClient(server.url, ada.token);
    const stored = await client.ask<{ uploadMaxBytes: number; editWindowMs: number }>('admin:settings', {});
    client.close();
    expect(stored).toMatchObject({ uploadMaxBytes: Math.round(0.04 * 1024 * 1024), editWindowMs: 20_000 });

    await page.reload();
    await page.getByTestId('admin-settings').waitFor();
    expect(await page.getByTestId('admin-upload-max').inputValue()).toBe('40.96');
    expect(await page.getByTestId('admin-upload-max-unit').inputValue()).toBe('kilobytes');
    expect(await page.getByTestId('admin-edit-amount').inputValue()).toBe('20');
    expect(await page.getByTestId('admin-edit-amount-unit').inputValue()).toBe('seconds');
    await shot(page, 'admin-settings-small-limits-1280');
    await page.getByTestId('admin-settings-save').click();
    await eventually(() => page.getByTestId('admin-settings-outcome').textContent()).toBe('Nothing to save: no setting was changed.');

    // An upload over it is refused naming the limit, not "0 MB".
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(100 * 1024).fill(7)]), 'big.bin');
    const res = await fetch(`${server.url}/api/files`, { method: 'POST', body: form, headers: { cookie: `confab_session=${ada.token}` } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Files may be at most 40.9 kB. Nothing was stored.');
  });

  it('the audit log gives each entry its date and time, with how long ago beside it', async () => {
    const { server, ada, bob } = await serverWithAdmin();
    const client = await adminClient(server.url, ada.token);
    await client.ask('admin:user:deactivate', { userId: bob.user.id });
    client.close();
    for (const [width, name] of [[1280, 'admin-audit-1280'], [390, 'admin-audit-390']] as const) {
      const page = await harness.newPage(server.url, { width, height: 800 });
      await openAdmin(page, server.url, ada.token, 'audit');
      const time = page.getByTestId('admin-audit-time').first();
      await time.waitFor();
      const datetime = (await time.getAttribute('datetime'))!;
      expect(Number.isNaN(Date.parse(datetime))).toBe(false);
      expect(await time.textContent()).toContain(String(new Date(datetime).getUTCFullYear()));
      expect(await time.textContent()).toContain('UTC');
      expect(await page.getByTestId('admin-audit-ago').first().textContent()).toMatch(/^\((just now|\d+ minutes? ago)\)$/);
      const box = (await page.getByTestId('admin-audit-entry').first().boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await shot(page, name);
    }
  });

  it('the sign-up page says plainly that registration is closed, or that an invitation is needed, and shows no form', async () => {
    const { server, ada } = await serverWithAdmin();
    const client = await adminClient(server.url, ada.token);
    await client.ask('admin:settings:update', { registration: 'closed' });
    for (const [width, locale] of [[1280, 'en-US'], [390, 'en-US'], [390, 'zh-CN']] as const) {
      const page = await harness.newPage(server.url, { width, height: 800, locale });
      await page.goto('/signup');
      await page.getByTestId('signup-closed').waitFor();
      expect(await page.locator('h1').textContent()).toBe(locale === 'en-US' ? 'Sign-up is closed' : '注册已关闭');
      expect(await page.getByTestId('auth-subtitle').count()).toBe(0);
      expect(await page.getByTestId('signup-form').count()).toBe(0);
      await shot(page, `signup-closed-${width}-${locale}`);
    }
    await client.ask('admin:settings:update', { registration: 'invitation' });
    client.close();
    const page = await harness.newPage(server.url, { width: 390, height: 800 });
    await page.goto('/signup');
    await page.getByTestId('signup-needs-invitation').waitFor();
    expect(await page.locator('h1').textContent()).toBe('An invitation is needed');
    expect(await page.getByTestId('signup-form').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'signup-needs-invitation-390');
  });
});
