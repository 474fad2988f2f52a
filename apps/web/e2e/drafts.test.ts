import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { account, eventually, messageRow, registerViaApi, send, waitForLobby } from './support/app';
import { conversationItem, openSignedIn, postDirectMessage, waitForDm } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

const composer = (page: Page) => page.getByTestId('composer-input');

async function goToLobby(page: Page): Promise<void> {
  await page.locator('a.channel-link').click();
  await waitForLobby(page);
}

describe('drafts', () => {
  it('a draft stays with its room across navigation and reloads, and is cleared once sent', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    await postDirectMessage(server.stores, b.user, a.user, 'got a minute?');
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, a.token);
    await waitForLobby(page);

    await composer(page).fill('half a thought for the lobby');
    await conversationItem(page, bob.username).click();
    await waitForDm(page, bob.username);
    expect(await composer(page).inputValue()).toBe('');
    await composer(page).fill('a private draft\nfor Bob');

    await goToLobby(page);
    expect(await composer(page).inputValue()).toBe('half a thought for the lobby');
    await conversationItem(page, bob.username).click();
    await waitForDm(page, bob.username);
    expect(await composer(page).inputValue()).toBe('a private draft\nfor Bob');

    await page.reload();
    await waitForDm(page, bob.username);
    await eventually(() => composer(page).inputValue()).toBe('a private draft\nfor Bob');
    await goToLobby(page);
    expect(await composer(page).inputValue()).toBe('half a thought for the lobby');

    // Sent: the lobby's draft is gone, also after a reload; the DM's stays.
    await send(page, 'half a thought for the lobby, finished');
    await eventually(() => messageRow(page, 'half a thought for the lobby, finished').getAttribute('data-status')).toBe('sent');
    expect(await composer(page).inputValue()).toBe('');
    await page.reload();
    await waitForLobby(page);
    await messageRow(page, 'half a thought for the lobby, finished').waitFor();
    expect(await composer(page).inputValue()).toBe('');
    await conversationItem(page, bob.username).click();
    await waitForDm(page, bob.username);
    expect(await composer(page).inputValue()).toBe('a private draft\nfor Bob');
  });
});
