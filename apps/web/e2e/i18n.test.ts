/**
 * Languages (issue 18, item 2): a browser set to Chinese gets the Chinese interface from the first
 * paint, error messages, relative times and plural forms included; a language chosen in the user
 * menu or on the sign-in page applies at once and is kept across a reload; "Auto" follows the
 * browser again.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomSummaryDto } from '@confab/shared';
import { account, eventually, registerViaApi, send, waitForLobby } from './support/app';
import { openSignedIn, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { roomClient } from './support/rooms';

const harness = useHarness();

/** Han characters: text in Chinese. */
const HAN = /\p{Script=Han}/u;

/** Records the first text the app renders, before anything else can change it. */
function recordFirstText(): void {
  const observer = new MutationObserver(() => {
    const text = document.getElementById('app')?.innerText.trim();
    if (text) {
      (window as unknown as { firstText: string }).firstText = text;
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

const firstText = (page: Page) => page.evaluate(() => (window as unknown as { firstText?: string }).firstText ?? null);
const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('languages', () => {
  it('a zh-CN browser sees Chinese from the first paint, and a refused sign-in and a too-short password in Chinese', async () => {
    const server = await harness.startServer();
    const user = account('mei', 'Mei Lin');
    await registerViaApi(server.url, user);
    const page = await harness.newPage(server.url, { locale: 'zh-CN' });
    await page.addInitScript(recordFirstText);

    await page.goto('/signin');
    await page.getByTestId('signin-form').waitFor();
    expect(await lang(page)).toBe('zh-CN');
    const first = await firstText(page);
    expect(first).toMatch(HAN);
    expect(first).not.toContain('Sign in');
    expect(await page.getByTestId('signin-submit').textContent()).toContain('登录');
    expect(await page.title()).toBe('登录 · Confab');

    await page.getByTestId('signin-username').fill(user.username);
    await page.getByTestId('signin-password').fill('not-the-password');
    await page.getByTestId('signin-submit').click();
    await eventually(() => page.getByTestId('signin-error').textContent()).toBe('用户名或密码错误。');

    await page.getByTestId('to-signup').click();
    await page.getByTestId('signup-username').fill('new_reader');
    await page.getByTestId('signup-password').fill('short');
    await page.getByTestId('signup-submit').click();
    const passwordError = await page.getByTestId('signup-password-error').textContent();
    expect(passwordError).toMatch(HAN);
    expect(passwordError).toContain('8');
    expect(passwordError).not.toMatch(/[a-z]{3}/);
  });

  it('signed in on a zh-CN browser: the last-seen time, a member count and the day are written in Chinese', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const carol = account('carol', 'Carol Chu');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const c = await registerViaApi(server.url, carol);

    const alicePage = await harness.newPage(server.url);
    await openSignedIn(alicePage, server.url, a.token, `/dm/${bob.username}`);
    await waitForDm(alicePage, bob.username);
    await send(alicePage, '你好 Bob');

    const page = await harness.newPage(server.url, { locale: 'zh-CN' });
    await openSignedIn(page, server.url, b.token, `/dm/${alice.username}`);
    await waitForDm(page, alice.username);
    await eventually(() => page.getByTestId('dm-presence').textContent()).toBe('在线');
    expect(await page.getByTestId('day-separator').first().textContent()).toContain('今天');
    await alicePage.close();
    await eventually(() => page.getByTestId('dm-presence').textContent()).toContain('刚刚');

    const client = await roomClient(server.url, c.token);
    const group = await client.ask<RoomSummaryDto>('group:open', { userIds: [a.user.id, b.user.id] });
    client.close();
    await page.goto(`/g/${group.room.id}`);
    await page.getByTestId('composer-input').waitFor();
    expect(await page.getByTestId('room-members-toggle').getAttribute('aria-label')).toBe('3 位成员');
    // A group is named by its other members, joined as Chinese joins a list.
    expect(await page.title()).toBe('Alice Archer、Carol Chu · Confab');
  });

  it('a language chosen in the user menu applies at once and after a reload; Auto goes back to the browser’s', async () => {
    const server = await harness.startServer();
    const user = account('jon', 'Jon Jones');
    const u = await registerViaApi(server.url, user);
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, u.token);
    await waitForLobby(page);
    const placeholder = () => page.getByTestId('composer-input').getAttribute('placeholder');
    const english = await placeholder();
    expect(english).not.toMatch(HAN);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('language-zh-CN').click();
    await eventually(() => lang(page)).toBe('zh-CN');
    await eventually(placeholder).toMatch(HAN);
    expect(await page.getByTestId('language-zh-CN').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('to-account').textContent()).toBe('修改密码');

    await page.reload();
    await waitForLobby(page);
    expect(await lang(page)).toBe('zh-CN');
    expect(await placeholder()).toMatch(HAN);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('language-system').click();
    await eventually(() => lang(page)).toBe('en');
    expect(await placeholder()).toBe(english);
    await page.reload();
    await waitForLobby(page);
    expect(await placeholder()).toBe(english);
  });

  it('a signed-out reader chooses Chinese on the sign-in page, and it stays after a reload', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    await page.goto('/signin');
    await page.getByTestId('signin-form').waitFor();
    expect(await page.getByTestId('signin-submit').textContent()).toContain('Sign in');

    await page.getByTestId('language-select').selectOption('zh-CN');
    await eventually(() => page.getByTestId('signin-submit').textContent()).toContain('登录');
    await page.reload();
    await page.getByTestId('signin-form').waitFor();
    expect(await page.getByTestId('signin-submit').textContent()).toContain('登录');
    expect(await page.getByTestId('language-select').inputValue()).toBe('zh-CN');
  });
});
