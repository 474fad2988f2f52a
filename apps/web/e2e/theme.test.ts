import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { postMessage } from '@confab/server';
import { account, eventually, registerViaApi, signUp, waitForLobby } from './support/app';
import { openSignedIn, postDirectMessage, waitForDm } from './support/dm';
import { createChannelAs, roomClient } from './support/rooms';
import { useHarness } from './support/harness';
import { ARTIFACTS_DIR } from './support/paths';

const harness = useHarness();

// main.css: --color-bg in each theme, as getComputedStyle reports it.
const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(22, 23, 31)';

/** The theme on <html>, the page's background and its color-scheme, as the browser computes them. */
function pageLook(page: Page) {
  return page.evaluate(() => ({
    theme: document.documentElement.getAttribute('data-theme'),
    background: getComputedStyle(document.body).backgroundColor,
    colorScheme: getComputedStyle(document.documentElement).colorScheme,
  }));
}

async function chooseTheme(page: Page, choice: 'light' | 'dark' | 'system'): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId(`theme-${choice}`).click();
  expect(await page.getByTestId(`theme-${choice}`).getAttribute('aria-checked')).toBe('true');
}

/**
 * Records, in the page's first animation frame (which runs before its first paint), the theme
 * and background it is about to paint. Set before navigating.
 */
async function recordFirstFrame(page: Page): Promise<void> {
  await page.addInitScript(() => {
    requestAnimationFrame(() => {
      const painted = document.body ?? document.documentElement;
      (window as unknown as { firstFrame: unknown }).firstFrame = {
        theme: document.documentElement.getAttribute('data-theme'),
        background: getComputedStyle(painted).backgroundColor,
        hasApp: (document.getElementById('app')?.childElementCount ?? 0) > 0,
      };
    });
  });
}

function firstFrame(page: Page) {
  return page.evaluate(() => (window as unknown as { firstFrame?: { theme: string | null; background: string; hasApp: boolean } }).firstFrame);
}

describe('dark mode', () => {
  it('follows a dark system from the sign-in page on, and into the app', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/signin');
    await page.getByTestId('signin-form').waitFor();
    expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });
    await mkdir(join(ARTIFACTS_DIR, 'theme'), { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'theme', 'signin-dark.png'), animations: 'disabled', caret: 'hide' });

    await signUp(page, account('dora', 'Dora Dark'));
    expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });
    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('theme-system').getAttribute('aria-checked')).toBe('true');

    // On "System", the page follows the system when it changes, without a reload.
    await page.emulateMedia({ colorScheme: 'light' });
    await eventually(() => pageLook(page)).toEqual({ theme: 'light', background: LIGHT_BG, colorScheme: 'light' });
  });

  it('dark chosen in the user menu on a light system applies at once and survives a reload, painted dark from the first frame', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    await page.emulateMedia({ colorScheme: 'light' });
    await signUp(page, account('dan', 'Dan Dusk'));
    expect((await pageLook(page)).background).toBe(LIGHT_BG);

    await chooseTheme(page, 'dark');
    expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });

    await recordFirstFrame(page);
    await page.reload();
    await waitForLobby(page);
    expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });
    expect(await firstFrame(page)).toMatchObject({ theme: 'dark', background: DARK_BG });
    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('theme-dark').getAttribute('aria-checked')).toBe('true');

    // No flash: with the app's JavaScript held back, the page the browser paints is already dark.
    await page.route('**/assets/*.js', (route) => route.abort());
    await page.reload();
    expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });
    expect(await page.locator('#app').evaluate((app) => app.childElementCount)).toBe(0);
  });

  it('light chosen on a dark system stays light, from the first frame and after a reload', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    await page.emulateMedia({ colorScheme: 'dark' });
    await signUp(page, account('lena', 'Lena Light'));
    expect((await pageLook(page)).background).toBe(DARK_BG);

    await chooseTheme(page, 'light');
    expect(await pageLook(page)).toEqual({ theme: 'light', background: LIGHT_BG, colorScheme: 'light' });

    await recordFirstFrame(page);
    await page.reload();
    await waitForLobby(page);
    expect(await firstFrame(page)).toMatchObject({ theme: 'light', background: LIGHT_BG });
    expect(await pageLook(page)).toEqual({ theme: 'light', background: LIGHT_BG, colorScheme: 'light' });

    // Back to "System": dark again, as the system is.
    await chooseTheme(page, 'system');
    expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });
  });

  it('renders the lobby in dark at 1280 and 390 px wide (screenshots for people to look at)', async () => {
    const server = await harness.startServer();
    const viewer = await registerViaApi(server.url, { ...account('nora', 'Nora Night'), username: 'nora' });
    const { user: omar, token: omarToken } = await registerViaApi(server.url, account('omar', 'Omar Okoye'));
    const { user: pia } = await registerViaApi(server.url, account('pia', 'Pia Park'));
    await postDirectMessage(server.stores, omar, viewer.user, 'Are the dark mode screenshots ready?');
    const design = await createChannelAs(server.url, omarToken, 'design', false, 'Mockups and colours');
    const omarClient = await roomClient(server.url, omarToken);
    await omarClient.ask('dm:send', { roomId: design.room.id, clientId: 'theme-design', body: 'New palette is up.' });
    await postMessage(server.stores, omar, 'Morning! Trying the **dark theme** today.');
    await postMessage(server.stores, pia, 'Code looks like this:\n```\npnpm vitest run e2e/theme.test.ts\n```\nand `inline code` too.');
    const mention = await omarClient.ask<{ id: string }>('dm:send', { roomId: 'lobby', clientId: 'theme-mention', body: '@nora can you check the contrast of small grey text?' });
    await omarClient.ask('reaction:add', { id: mention.id, emoji: '👍' });
    const recalled = await omarClient.ask<{ id: string }>('dm:send', { roomId: 'lobby', clientId: 'theme-recall', body: 'oops, wrong room' });
    await omarClient.ask('message:recall', { id: recalled.id });
    omarClient.close();

    const dir = join(ARTIFACTS_DIR, 'theme');
    await mkdir(dir, { recursive: true });
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      const page = await harness.newPage(server.url, { width, height, hasTouch: width < 768 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await openSignedIn(page, server.url, viewer.token);
      await waitForLobby(page);
      await eventually(() => page.getByTestId('message').count()).toBe(4);
      await eventually(() => page.getByTestId('reaction').count()).toBe(1);
      expect(await pageLook(page)).toEqual({ theme: 'dark', background: DARK_BG, colorScheme: 'dark' });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(dir, `lobby-dark-${width}.png`), animations: 'disabled', caret: 'hide' });
      if (width === 1280) {
        await page.getByTestId('user-menu').click();
        await page.screenshot({ path: join(dir, 'user-menu-dark.png'), animations: 'disabled', caret: 'hide' });
        await page.keyboard.press('Escape');
        await page.getByTestId('channel-browse').click();
        await page.getByTestId('browse-results').waitFor();
        await page.screenshot({ path: join(dir, 'channel-browser-dark.png'), animations: 'disabled', caret: 'hide' });
        await page.keyboard.press('Escape');
        const row = page.getByTestId('message').nth(2);
        await row.hover();
        await row.getByTestId('message-react').click();
        await page.getByTestId('emoji-menu').waitFor();
        await page.locator('emoji-picker [role="option"]').first().waitFor();
        await page.screenshot({ path: join(dir, 'emoji-menu-dark.png'), animations: 'disabled', caret: 'hide' });
        await page.keyboard.press('Escape');
        await page.locator(`[data-testid="dm-conversation"][data-username="${omar.username}"]`).click();
        await waitForDm(page, omar.username);
        await eventually(() => page.getByTestId('message-body').allTextContents()).toEqual(['Are the dark mode screenshots ready?']);
        await page.screenshot({ path: join(dir, 'dm-dark.png'), animations: 'disabled', caret: 'hide' });
        await page.getByTestId('dm-new').click();
        await page.screenshot({ path: join(dir, 'directory-dark.png'), animations: 'disabled', caret: 'hide' });
        await page.keyboard.press('Escape');
        await server.close();
        await page.getByTestId('connection-banner').waitFor();
        await page.screenshot({ path: join(dir, 'connection-banner-dark.png'), animations: 'disabled', caret: 'hide' });
      }
    }
  });
});

describe('reduced motion', () => {
  it('when asked for, transitions end at once and "jump to latest" scrolls without animating', async () => {
    const server = await harness.startServer();
    const { user: rui } = await registerViaApi(server.url, account('rui', 'Rui Rest'));
    for (let i = 1; i <= 40; i += 1) await postMessage(server.stores, rui, `still message ${i}`);
    const viewer = await registerViaApi(server.url, account('vera', 'Vera Calm'));
    const page = await harness.newPage(server.url, { height: 600 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto('/signin');
    const durations = await page.getByTestId('signin-submit').evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(durations.split(',').map(parseFloat).every((seconds) => seconds < 0.001)).toBe(true);

    await openSignedIn(page, server.url, viewer.token);
    await waitForLobby(page);
    await eventually(() => page.getByTestId('message').count()).toBe(40);

    const list = page.getByTestId('message-list');
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await page.getByTestId('jump-to-latest').waitFor();
    // Clicked and measured in one task: a smooth scroll would not have moved yet, an instant one is done.
    const gap = await list.evaluate((el) => {
      document.querySelector<HTMLElement>('[data-testid="jump-to-latest"]')!.click();
      return el.scrollHeight - el.clientHeight - el.scrollTop;
    });
    expect(gap).toBeLessThan(2);
  });
});
