import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { dmParticipants, dmRoomId, type UserDto } from '@confab/shared';
import type { StoredMessage, Stores } from '@confab/server';

/**
 * Stores a DM from `from` to `to` the way the server's send does (room recorded, message
 * appended, the sender's read mark moved to it), without telling anyone: "sent while you were away".
 */
export async function postDirectMessage(stores: Stores, from: UserDto, to: UserDto, body: string, at = new Date()): Promise<StoredMessage> {
  const roomId = dmRoomId(from.id, to.id);
  await stores.conversations.touch(roomId, dmParticipants(roomId)!, at);
  const { message } = await stores.messages.append({
    roomId,
    clientId: randomUUID(),
    author: { id: from.id, name: from.displayName },
    body,
    createdAt: at,
  });
  await stores.conversations.markRead(roomId, from.id, message.seq);
  return message;
}

/** Opens the page signed in with a session token from `registerViaApi`. */
export async function openSignedIn(page: Page, baseUrl: string, token: string, path = '/'): Promise<void> {
  await page.context().addCookies([{ name: 'confab_session', value: token, url: baseUrl }]);
  await page.goto(path);
}

/** The sidebar entry of the conversation with `username`. */
export function conversationItem(page: Page, username: string): Locator {
  return page.locator(`[data-testid="dm-conversation"][data-username="${username}"]`);
}

/** The unread badge's text, or null when there is none. */
export async function unreadBadge(page: Page, username: string): Promise<string | null> {
  const badge = conversationItem(page, username).getByTestId('dm-unread');
  return (await badge.count()) === 0 ? null : badge.textContent();
}

/** Waits for a DM view to be ready to write in. */
export async function waitForDm(page: Page, username: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === `/dm/${username}`);
  await page.getByTestId('composer-input').waitFor();
}

/** Makes the page report itself hidden (or visible again), as when its tab is in the background. */
export async function setHidden(page: Page, isHidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, isHidden);
}
