import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AttachmentDto, RoomSummaryDto, UploadResponse } from '@confab/shared';
import { postMessage } from '@confab/server';
import { account, bodies, eventually, messageRow, registerViaApi, send, waitForLobby } from './support/app';
import { seriousViolations } from './support/axe';
import { openSignedIn, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { createChannelAs, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

/** The browser languages the screens are checked in: English, and Simplified Chinese from the browser's own setting. */
const LOCALES = ['en-US', 'zh-CN'] as const;
const THEMES = ['light', 'dark'] as const;

/** Uploads a small PNG and a text file from a signed-in page, as the composer does. */
function uploadSamples(page: Page): Promise<AttachmentDto[]> {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 200;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#4f46e5';
    g.fillRect(0, 0, 320, 200);
    const png = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const files: AttachmentDto[] = [];
    for (const [blob, name] of [
      [png, 'sketch.png'],
      [new Blob(['agenda: colours, contrast\n'], { type: 'text/plain' }), 'agenda.txt'],
    ] as const) {
      const form = new FormData();
      form.append('file', blob, name);
      const res = await fetch('/api/files', { method: 'POST', body: form });
      if (res.status !== 201) throw new Error(`upload of ${name}: ${res.status}`);
      files.push(((await res.json()) as UploadResponse).file);
    }
    return files;
  });
}

/**
 * A server with something on every screen: a lobby with messages, a reply, a reaction, a mention
 * of the viewer and an image and a file; a public and a private channel; a DM; a group.
 */
async function populatedServer() {
  const server = await harness.startServer();
  const viewer = await registerViaApi(server.url, { ...account('nora', 'Nora Night'), username: 'nora' });
  const omar = await registerViaApi(server.url, account('omar', 'Omar Okoye'));
  const pia = await registerViaApi(server.url, account('pia', 'Pia Park'));

  const omarPage = await harness.newPage(server.url);
  await openSignedIn(omarPage, server.url, omar.token);
  await waitForLobby(omarPage);
  const [image, file] = await uploadSamples(omarPage);

  const client = await roomClient(server.url, omar.token);
  const first = await client.ask<{ id: string }>('dm:send', { roomId: 'lobby', clientId: 'a11y-1', body: 'Morning! Checking **contrast** today.' });
  await client.ask('reaction:add', { id: first.id, emoji: '👍' });
  await client.ask('dm:send', { roomId: 'lobby', clientId: 'a11y-2', body: '@nora could you look at the focus ring?', replyTo: first.id });
  await client.ask('dm:send', { roomId: 'lobby', clientId: 'a11y-3', body: 'Mockups attached', attachments: [image!.id, file!.id] });
  const design = await createChannelAs(server.url, omar.token, 'design', false, 'Mockups and colours');
  await client.ask('dm:send', { roomId: design.room.id, clientId: 'a11y-4', body: 'New palette is up.' });
  const viewerClient = await roomClient(server.url, viewer.token);
  await viewerClient.ask('room:join', { roomId: design.room.id });
  // A muted room in the sidebar on every screen: its quieter look must stay readable.
  await viewerClient.ask('notify:set', { roomId: design.room.id, mutedUntil: '9999-12-31T23:59:59.999Z' });
  viewerClient.close();
  const secret = await createChannelAs(server.url, viewer.token, 'secret-plans', true, 'Only us');
  await client.ask('dm:send', { to: viewer.user.id, clientId: 'a11y-5', body: 'Are the screenshots ready?' });
  const group = await client.ask<RoomSummaryDto>('group:open', { userIds: [viewer.user.id, pia.user.id] });
  await client.ask('dm:send', { roomId: group.room.id, clientId: 'a11y-6', body: 'Lunch on Friday?' });
  client.close();
  // A report in the admins' queue (Nora, the first account, is the server's admin).
  const piaClient = await roomClient(server.url, pia.token);
  await piaClient.ask('message:report', { id: first.id, reason: 'Checking the report queue' });
  piaClient.close();
  await omarPage.context().close();
  return { server, viewer, omar, design, secret, group };
}

describe.each(LOCALES)('accessibility (%s)', (locale) => {
  it.each(THEMES)('every screen has no serious or critical axe violation in the %s theme', async (theme) => {
    const { server, viewer, omar, group } = await populatedServer();
    const found: string[] = [];
    async function check(page: Page, screen: string): Promise<void> {
      for (const line of await seriousViolations(page)) found.push(`${screen}: ${line}`);
    }

    const page = await harness.newPage(server.url, { width: 1280, height: 800, locale });
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/signin');
    await page.getByTestId('signin-form').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale === 'zh-CN' ? 'zh-CN' : 'en');
    await check(page, 'sign-in');
    await page.goto('/signup');
    await page.getByTestId('signup-username').waitFor();
    await check(page, 'sign-up');

    await openSignedIn(page, server.url, viewer.token);
    await waitForLobby(page);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    await eventually(() => page.getByTestId('message').count()).toBe(3);
    await eventually(() => page.getByTestId('attachment-image').getAttribute('data-state')).toBe('done');
    await page.mouse.move(0, 0);
    await check(page, 'lobby');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('theme-system').waitFor();
    await check(page, 'user menu');
    await page.keyboard.press('Escape');

    const row = page.getByTestId('message').first();
    await row.hover();
    await row.getByTestId('message-react').click();
    await page.getByTestId('emoji-menu').waitFor();
    await page.locator('emoji-picker [role="option"]').first().waitFor();
    // The picker's grid is emoji-picker-element's shadow DOM (third-party); axe goes into it too, and it passes.
    await check(page, 'emoji picker');
    await page.keyboard.press('Escape');

    await page.getByTestId('attachment-image').click();
    await page.getByTestId('image-viewer').waitFor();
    await check(page, 'image viewer');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('image-viewer').isVisible()).toBe(false);

    await page.getByTestId('dm-new').click();
    await page.getByTestId('directory-search').waitFor();
    await check(page, 'DM directory');
    await page.keyboard.press('Escape');
    await page.getByTestId('channel-browse').click();
    await page.getByTestId('browse-results').waitFor();
    await check(page, 'channel browser');
    await page.keyboard.press('Escape');
    await page.getByTestId('channel-new').click();
    await page.getByTestId('create-form').waitFor();
    await check(page, 'channel create');
    await page.keyboard.press('Escape');

    await page.goto('/c/design');
    await waitForChannel(page, 'design');
    await check(page, 'public channel');
    // Its message rows take Tab (one of them); the list itself does not.
    expect(await page.getByTestId('message-list').getAttribute('tabindex')).toBeNull();
    await page.goto('/c/secret-plans');
    await waitForChannel(page, 'secret-plans');
    await check(page, 'private channel');
    // Only a 'created' entry, no message row: the list takes Tab itself, so the keyboard can scroll it.
    expect(await page.getByTestId('message-list').getAttribute('tabindex')).toBe('0');
    await page.getByTestId('room-members-toggle').click();
    await page.getByTestId('room-member').first().waitFor();
    await check(page, 'members panel');
    await page.getByTestId('notify-menu').click();
    await page.getByTestId('notify-level-all').waitFor();
    await check(page, 'notification menu');
    await page.keyboard.press('Escape');

    await page.goto(`/dm/${omar.user.username}`);
    await waitForDm(page, omar.user.username);
    await eventually(() => page.getByTestId('message').count()).toBe(1);
    await check(page, 'DM');
    await page.goto(`/g/${group.room.id}`);
    await page.getByTestId('composer-input').waitFor();
    await eventually(() => page.getByTestId('message').count()).toBe(1);
    await check(page, 'group');
    await page.goto('/account');
    await page.getByTestId('password-current').waitFor();
    await check(page, 'account');
    await page.goto('/admin/settings');
    await page.getByTestId('admin-settings').waitFor();
    await check(page, 'admin settings');
    for (const section of ['users', 'invitations', 'reports', 'audit']) {
      await page.getByTestId(`admin-tab-${section}`).click();
      await eventually(() => new URL(page.url()).pathname).toBe(`/admin/${section}`);
      // A link made here shows once, with its list: both are checked.
      if (section === 'invitations') await page.getByTestId('admin-invitation-create').click();
      await page.getByTestId(`admin-${section}`).waitFor();
      await check(page, `admin ${section}`);
    }

    const phone = await harness.newPage(server.url, { width: 390, height: 844, hasTouch: true, locale });
    await phone.emulateMedia({ colorScheme: theme });
    await openSignedIn(phone, server.url, viewer.token);
    await waitForLobby(phone);
    await check(phone, 'lobby at 390 px');
    await phone.getByTestId('nav-open').click();
    await eventually(() => phone.getByTestId('sidebar').isVisible()).toBe(true);
    await check(phone, 'drawer at 390 px');

    expect(found).toEqual([]);
  }, 300_000);
});

/** The data-testid of the element that has focus. */
function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

describe('menus and dialogs by keyboard (WAI-ARIA patterns)', () => {
  it('the user menu opens from the keyboard, arrows go through the theme choices and the commands, Escape gives focus back', async () => {
    const server = await harness.startServer();
    const viewer = await registerViaApi(server.url, account('kai', 'Kai Keys'));
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, viewer.token);
    await waitForLobby(page);

    const button = page.getByTestId('user-menu');
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('menu').getAttribute('aria-labelledby')).toBe(await button.getAttribute('id'));
    // Kai is the server's first account, so its admin: the menu has Administration too.
    const order = ['theme-light', 'theme-dark', 'theme-system', 'language-system', 'language-en', 'language-zh-CN', 'to-account', 'to-admin', 'sign-out'];
    expect(await focused(page)).toBe(order[0]);
    for (const next of [...order.slice(1), order[0]]) {
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).toBe(next);
    }
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('sign-out');
    await page.keyboard.press('Home');
    expect(await focused(page)).toBe('theme-light');
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('sign-out');

    // A theme is chosen with Enter; the menu stays open on it.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('theme-dark').getAttribute('aria-checked')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await focused(page)).toBe('theme-dark');

    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').count()).toBe(0);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(page)).toBe('user-menu');

    // Up on the button opens the menu at its last item; Tab leaves and closes it.
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('sign-out');
    await page.keyboard.press('Tab');
    expect(await page.getByRole('menu').count()).toBe(0);
  });

  it('a dialog closed with Escape or its close button gives focus back to the button that opened it', async () => {
    const server = await harness.startServer();
    const viewer = await registerViaApi(server.url, account('dina', 'Dina Dial'));
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, viewer.token);
    await waitForLobby(page);

    for (const [opener, dialog] of [
      ['channel-browse', 'browse'],
      ['channel-new', 'create'],
      ['dm-new', 'directory'],
    ] as const) {
      await page.getByTestId(opener).focus();
      await page.keyboard.press('Enter');
      await eventually(() => page.locator(`dialog[open][data-testid="${dialog}"]`).count()).toBe(1);
      expect(await page.locator('dialog[open]').evaluate((el) => el.contains(document.activeElement))).toBe(true);
      await page.keyboard.press('Escape');
      await eventually(() => page.locator('dialog[open]').count()).toBe(0);
      expect([dialog, await focused(page)]).toEqual([dialog, opener]);
    }

    await page.getByTestId('channel-browse').click();
    await eventually(() => page.locator('dialog[open]').count()).toBe(1);
    await page.locator('dialog[open] button[aria-label="Close"]').click();
    await eventually(() => page.locator('dialog[open]').count()).toBe(0);
    expect(await focused(page)).toBe('channel-browse');
  });
});

describe('the message list for screen readers', () => {
  it('is a log; a new message from someone else is announced politely, the reader\'s own and the history loaded above are not', async () => {
    const server = await harness.startServer();
    const { user: kim } = await registerViaApi(server.url, account('kim', 'Kim Kato'));
    for (let i = 1; i <= 80; i += 1) await postMessage(server.stores, kim, `old message ${i}`);
    const omar = await registerViaApi(server.url, account('omar', 'Omar Okoye'));
    const viewer = await registerViaApi(server.url, account('lia', 'Lia Listen'));
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, viewer.token);
    await waitForLobby(page);
    await eventually(async () => (await bodies(page)).at(-1)).toBe('old message 80');

    const list = page.getByTestId('message-list');
    expect(await list.getAttribute('role')).toBe('log');
    const live = page.getByTestId('message-announcer');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    const announced = () => live.locator('p').allTextContents();
    // The history the room opened with is not read out.
    expect(await announced()).toEqual([]);

    const client = await roomClient(server.url, omar.token);
    await client.ask('dm:send', { roomId: 'lobby', clientId: 'live-1', body: 'hello there' });
    await eventually(announced).toEqual(['Omar Okoye: hello there']);

    await send(page, 'my own words');
    await eventually(() => messageRow(page, 'my own words').getAttribute('data-status')).toBe('sent');
    await client.ask('dm:send', { roomId: 'lobby', clientId: 'live-2', body: 'second one' });
    await eventually(announced).toEqual(['Omar Okoye: hello there', 'Omar Okoye: second one']);

    // Scrolling up loads older pages; none of them is announced.
    const shownBefore = (await bodies(page)).length;
    await eventually(async () => {
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      return (await bodies(page))[0];
    }).toBe('old message 1');
    expect((await bodies(page)).length).toBeGreaterThan(shownBefore);
    expect(await announced()).toEqual(['Omar Okoye: hello there', 'Omar Okoye: second one']);
    client.close();
  });
});
