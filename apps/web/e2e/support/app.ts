import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { UserDto } from '@confab/shared';

export const PASSWORD = 'correct horse battery';

let counter = 0;
/** A username no other test in this run uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 7)}`;
}

/** Polls `read` until the assertion holds (10 s at most): the DOM updates asynchronously. */
export function eventually<T>(read: () => Promise<T> | T, timeout = 10_000) {
  return expect.poll(read, { timeout, interval: 50 });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Account {
  username: string;
  displayName: string;
  password: string;
}

export function account(prefix: string, displayName: string): Account {
  return { username: uniqueName(prefix), displayName, password: PASSWORD };
}

/** Signs up through the form and waits for the lobby. */
export async function signUp(page: Page, who: Account): Promise<void> {
  await page.goto('/signup');
  await page.getByTestId('signup-username').fill(who.username);
  await page.getByTestId('signup-display-name').fill(who.displayName);
  await page.getByTestId('signup-password').fill(who.password);
  await page.getByTestId('signup-submit').click();
  await waitForLobby(page);
}

/** Signs in through the form, staying on the current sign-in page (and its redirect) if already there. */
export async function signIn(page: Page, who: Pick<Account, 'username' | 'password'>): Promise<void> {
  if (new URL(page.url()).pathname !== '/signin') await page.goto('/signin');
  await page.getByTestId('signin-username').fill(who.username);
  await page.getByTestId('signin-password').fill(who.password);
  await page.getByTestId('signin-submit').click();
}

export async function waitForLobby(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByTestId('composer-input').waitFor();
}

/** Registers over HTTP (no browser), returning the user and its `name=value` session cookie. */
export async function registerViaApi(baseUrl: string, who: Account): Promise<{ user: UserDto; token: string }> {
  const res = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password, displayName: who.displayName }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('confab_session='));
  if (!cookie) throw new Error('no session cookie');
  const body = (await res.json()) as { user: UserDto };
  return { user: body.user, token: cookie.split(';')[0]!.slice('confab_session='.length) };
}

/** Types into the composer and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
}

/** Every message body in the list, in order. */
export function bodies(page: Page): Promise<string[]> {
  return page.getByTestId('message-body').allTextContents();
}

export function messageRow(page: Page, body: string): Locator {
  return page.getByTestId('message').filter({ has: page.getByTestId('message-body').getByText(body, { exact: true }) });
}

/** The receipt an own message shows (`sent`, `delivered`, `seen`), or null when it shows none. */
export async function receiptState(page: Page, body: string): Promise<string | null> {
  const found = messageRow(page, body).getByTestId('message-receipt');
  return (await found.count()) === 0 ? null : found.getAttribute('data-state');
}

export function countOf(list: readonly string[], value: string): number {
  return list.filter((item) => item === value).length;
}
