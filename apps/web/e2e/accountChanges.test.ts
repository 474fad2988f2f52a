/**
 * Open tabs follow what an admin changes about an account, without a reload (issue 19): a member
 * made admin finds Administration in their menu, and loses it (and the screen) when demoted; a
 * deactivated member's tab says the account was deactivated, and others see the mark beside that
 * member's messages come and go.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { adminClient } from './support/adminClient';
import { account, eventually, messageRow, registerViaApi, waitForLobby } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { roomClient } from './support/rooms';

const harness = useHarness();

/** A fresh server whose first account (its admin) is on `/admin` over the protocol, and a member. */
async function serverWithMember() {
  const server = await harness.startServer();
  const admin = await registerViaApi(server.url, account('root', 'Rita Root'));
  const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
  const client = await adminClient(server.url, admin.token);
  return { server, bob, client };
}

async function openedAs(baseUrl: string, token: string): Promise<Page> {
  const page = await harness.newPage(baseUrl);
  await openSignedIn(page, baseUrl, token);
  await waitForLobby(page);
  return page;
}

describe('a role changed while the tab is open', () => {
  it('a member made admin finds Administration in the open menu; demoted, leaves the admin screen and the entry is gone', async () => {
    const { server, bob, client } = await serverWithMember();
    const page = await openedAs(server.url, bob.token);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('to-account').waitFor();
    expect(await page.getByTestId('to-admin').count()).toBe(0);

    await client.ask('admin:user:role', { userId: bob.user.id, role: 'admin' });
    // The menu stayed open: the entry appears in it.
    await page.getByTestId('to-admin').waitFor({ timeout: 10_000 });
    await page.getByTestId('to-admin').click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByTestId('admin-settings').waitFor();

    await client.ask('admin:user:role', { userId: bob.user.id, role: 'member' });
    await page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 });
    await page.getByTestId('composer-input').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('to-account').waitFor();
    expect(await page.getByTestId('to-admin').count()).toBe(0);
    client.close();
  });
});

describe('a deactivation while tabs are open', () => {
  it("the member's tab says the account was deactivated; another member sees the mark beside their messages, and sees it go on reactivation", async () => {
    const { server, bob, client } = await serverWithMember();
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    const bobSocket = await roomClient(server.url, bob.token);
    await bobSocket.ask('dm:send', { roomId: 'lobby', clientId: randomUUID(), body: 'Hello from Bob' });
    bobSocket.close();
    const bobPage = await openedAs(server.url, bob.token);
    const carolPage = await openedAs(server.url, carol.token);
    const row = messageRow(carolPage, 'Hello from Bob');
    await row.waitFor();
    expect(await row.getByTestId('message-author-deactivated').count()).toBe(0);

    // Whether "your session has ended" ever shows on Bob's page, even for a moment (the app does not reload).
    await bobPage.evaluate(() => {
      const seen = window as unknown as { sawExpired: boolean };
      seen.sawExpired = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="session-expired"]')) seen.sawExpired = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await client.ask('admin:user:deactivate', { userId: bob.user.id });
    await bobPage.waitForURL((url) => url.pathname === '/signin', { timeout: 15_000 });
    await eventually(() => bobPage.getByTestId('session-deactivated').textContent()).toBe('This account has been deactivated. Contact an administrator.');
    // Not "your session has ended" first, nor beside it.
    expect(await bobPage.evaluate(() => (window as unknown as { sawExpired: boolean }).sawExpired)).toBe(false);

    await eventually(() => row.getByTestId('message-author-deactivated').count()).toBe(1);
    await client.ask('admin:user:reactivate', { userId: bob.user.id });
    await eventually(() => row.getByTestId('message-author-deactivated').count()).toBe(0);
    client.close();
  });
});
