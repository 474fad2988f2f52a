import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { InvitationDto, ReportDto } from '@confab/shared';
import { account, bodies, eventually, messageRow, registerViaApi, send, signIn, waitForLobby, type Account } from './support/app';
import { adminClient } from './support/adminClient';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { createChannelAs, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

/** A fresh server whose first account (its admin) is signed in over HTTP and on `/admin`. */
async function serverWithAdmin() {
  const server = await harness.startServer();
  const admin = await registerViaApi(server.url, account('root', 'Rita Root'));
  expect(admin.user.role).toBe('admin');
  const client = await adminClient(server.url, admin.token);
  return { server, admin, client };
}

async function fillSignUp(page: Page, who: Account): Promise<void> {
  await page.getByTestId('signup-username').fill(who.username);
  await page.getByTestId('signup-display-name').fill(who.displayName);
  await page.getByTestId('signup-password').fill(who.password);
  await page.getByTestId('signup-submit').click();
}

describe('registration modes on the sign-up page', () => {
  it('closed: the page says so with the server\'s name and offers sign-in, not the form; the sign-in page has no sign-up link', async () => {
    const { server, client } = await serverWithAdmin();
    await client.ask('admin:settings:update', { serverName: 'Harbour Chat', registration: 'closed' });
    client.close();

    const page = await harness.newPage(server.url);
    await page.goto('/signup');
    const notice = page.getByTestId('signup-closed');
    await eventually(() => notice.textContent()).toContain('Registration on Harbour Chat is closed. Ask an administrator for an account.');
    expect(await page.getByTestId('signup-form').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe('Sign-up is closed');
    await page.getByTestId('signup-to-signin').click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await eventually(() => page.locator('h1').textContent()).toBe('Sign in to Harbour Chat');
    expect(await page.getByTestId('to-signup').count()).toBe(0);
  });

  it('closed while the form is open: the registration is refused and the page then says registration is closed', async () => {
    const { server, client } = await serverWithAdmin();
    const page = await harness.newPage(server.url);
    await page.goto('/signup');
    await page.getByTestId('signup-form').waitFor();
    await client.ask('admin:settings:update', { registration: 'closed' });
    client.close();
    await fillSignUp(page, account('late', 'Lou Late'));
    await eventually(() => page.getByTestId('signup-closed').count()).toBe(1);
    expect(await page.getByTestId('signup-form').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/signup');
  });

  it('invitation only: without a link the page asks for one; a link registers and says "You were invited"; a forged one is refused as invalid', async () => {
    const { server, client } = await serverWithAdmin();
    await client.ask('admin:settings:update', { registration: 'invitation' });
    const invitation = await client.ask<InvitationDto>('invitation:create', { expiresInHours: 1, maxUses: 1 });
    client.close();

    const page = await harness.newPage(server.url);
    await page.goto('/signup');
    await eventually(() => page.getByTestId('signup-needs-invitation').textContent()).toContain('takes new accounts by invitation only');
    expect(await page.getByTestId('signup-form').count()).toBe(0);

    await page.goto('/signup?invitation=forged-token-that-was-never-issued');
    await page.getByTestId('signup-invited').waitFor();
    await fillSignUp(page, account('mallory', 'Mallory'));
    await eventually(() => page.getByTestId('signup-error').textContent()).toBe(
      'This invitation link is not valid: it may have expired, been used up or been revoked. Ask for a new one.',
    );
    expect(new URL(page.url()).pathname).toBe('/signup');

    const guest = await harness.newPage(server.url);
    await guest.goto(`/signup?invitation=${invitation.token}`);
    expect(await guest.getByTestId('signup-invited').textContent()).toBe('You were invited. Create your account to join.');
    await fillSignUp(guest, account('ivy', 'Ivy Invited'));
    await waitForLobby(guest);
  });
});

describe('reporting and removing messages', () => {
  it('a member reports a message with a reason; the admins see it; reporting it again says the same', async () => {
    const { server, client } = await serverWithAdmin();
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    const pageB = await harness.newPage(server.url);
    const pageC = await harness.newPage(server.url);
    await openSignedIn(pageB, server.url, bob.token);
    await openSignedIn(pageC, server.url, carol.token);
    await waitForLobby(pageB);
    await waitForLobby(pageC);
    await send(pageB, 'Cheap watches, DM me');
    await send(pageC, 'My own words');
    await eventually(() => bodies(pageC)).toEqual(['Cheap watches, DM me', 'My own words']);

    // One's own message offers no report; nobody here is a moderator, so nothing offers removal.
    await messageRow(pageC, 'My own words').hover();
    expect(await messageRow(pageC, 'My own words').getByTestId('message-report').count()).toBe(0);
    const row = messageRow(pageC, 'Cheap watches, DM me');
    await row.hover();
    expect(await pageC.getByTestId('message-remove').count()).toBe(0);
    await row.getByTestId('message-report').click();
    const dialog = pageC.getByTestId('report-dialog');
    await eventually(() => dialog.getByTestId('moderation-message').textContent()).toBe('Cheap watches, DM me');
    await dialog.getByTestId('report-reason').fill('Spam in the lobby');
    await dialog.getByTestId('report-submit').click();
    await eventually(() => row.getByTestId('message-reported').textContent()).toBe('Reported to the administrators.');
    expect(await dialog.isVisible()).toBe(false);

    const { reports } = await client.ask<{ reports: ReportDto[] }>('admin:reports', { status: 'open' });
    expect(reports.map((r) => [r.message.body, r.reason, r.reporter.name])).toEqual([['Cheap watches, DM me', 'Spam in the lobby', 'Carol Chu']]);

    await pageC.reload();
    await waitForLobby(pageC);
    await messageRow(pageC, 'Cheap watches, DM me').hover();
    await messageRow(pageC, 'Cheap watches, DM me').getByTestId('message-report').click();
    await pageC.getByTestId('report-submit').click();
    await eventually(() => messageRow(pageC, 'Cheap watches, DM me').getByTestId('message-reported').textContent()).toBe('Reported to the administrators.');
    expect((await client.ask<{ reports: ReportDto[] }>('admin:reports', { status: 'open' })).reports).toHaveLength(1);
    client.close();
  });

  it('a channel\'s owner removes a message in their channel after confirming; its author and another member see the tombstone live, and after a reload', async () => {
    const { server, client } = await serverWithAdmin();
    client.close();
    const owen = await registerViaApi(server.url, account('owen', 'Owen Owner'));
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    const dave = await registerViaApi(server.url, account('dave', 'Dave Dune'));
    const garden = await createChannelAs(server.url, owen.token, 'garden');
    for (const member of [carol, dave]) {
      const rooms = await roomClient(server.url, member.token);
      await rooms.ask('room:join', { roomId: garden.room.id });
      rooms.close();
    }
    const pages = { owen: await harness.newPage(server.url), carol: await harness.newPage(server.url), dave: await harness.newPage(server.url) };
    for (const [name, who] of [['owen', owen], ['carol', carol], ['dave', dave]] as const) {
      await openSignedIn(pages[name], server.url, who.token, '/c/garden');
      await waitForChannel(pages[name], 'garden');
    }
    await send(pages.carol, 'Weeds are the answer');
    await send(pages.owen, 'Please stay on topic');
    await eventually(() => bodies(pages.dave)).toEqual(['Weeds are the answer', 'Please stay on topic']);

    // A member who does not own the channel is not offered removal.
    await messageRow(pages.carol, 'Please stay on topic').hover();
    expect(await pages.carol.getByTestId('message-remove').count()).toBe(0);

    const row = messageRow(pages.owen, 'Weeds are the answer');
    await row.hover();
    await row.getByTestId('message-remove').click();
    const dialog = pages.owen.getByTestId('remove-dialog');
    // Cancelling changes nothing.
    await dialog.getByTestId('moderation-cancel').click();
    expect(await dialog.isVisible()).toBe(false);
    await row.hover();
    await row.getByTestId('message-remove').click();
    await dialog.getByTestId('remove-submit').click();

    for (const page of Object.values(pages)) {
      await eventually(() => page.getByTestId('message-removed').allTextContents()).toEqual(['Message removed by a moderator']);
      expect(await bodies(page)).toEqual(['Please stay on topic']);
      expect(await page.getByTestId('message-list').textContent()).not.toContain('Weeds');
    }
    await pages.dave.reload();
    await waitForChannel(pages.dave, 'garden');
    await eventually(() => pages.dave.getByTestId('message-removed').allTextContents()).toEqual(['Message removed by a moderator']);
    expect(await pages.dave.getByTestId('message-recalled').count()).toBe(0);
  });
});

describe('a deactivated account', () => {
  it('its open page is sent to sign in, signing in says it was deactivated, and its messages are marked for others', async () => {
    const { server, client } = await serverWithAdmin();
    const bobAccount = account('bob', 'Bob Baker');
    const bob = await registerViaApi(server.url, bobAccount);
    const alice = await registerViaApi(server.url, account('alice', 'Alice Archer'));
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageB, server.url, bob.token);
    await waitForLobby(pageB);
    await send(pageB, 'Last words');
    await eventually(() => pageB.locator('[data-status="sent"]').count()).toBe(1);

    await client.ask('admin:user:deactivate', { userId: bob.user.id });
    client.close();
    await pageB.waitForURL((url) => url.pathname === '/signin', { timeout: 15_000 });
    await signIn(pageB, bobAccount);
    await eventually(() => pageB.getByTestId('signin-error').textContent()).toBe('This account has been deactivated. Contact an administrator.');
    expect(new URL(pageB.url()).pathname).toBe('/signin');

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, alice.token);
    await waitForLobby(pageA);
    const row = messageRow(pageA, 'Last words');
    await eventually(() => row.getByTestId('message-author-deactivated').textContent()).toBe('deactivated');
  });
});
