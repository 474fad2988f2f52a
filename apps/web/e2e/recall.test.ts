import { describe, expect, it } from 'vitest';
import { account, bodies, eventually, messageRow, registerViaApi, send, signIn, signUp, waitForLobby } from './support/app';
import { conversationItem, openSignedIn, unreadBadge, waitForDm } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('recalling a message', () => {
  it('Alice recalls a lobby message: Bob sees a tombstone instead of the text, and is never offered Recall on it', async () => {
    const server = await harness.startServer();
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await signUp(pageA, account('alice', 'Alice Archer'));
    await signUp(pageB, account('bob', 'Bob Baker'));

    await send(pageA, 'Wrong window, sorry');
    await eventually(() => bodies(pageB)).toEqual(['Wrong window, sorry']);
    await messageRow(pageB, 'Wrong window, sorry').hover();
    expect(await pageB.getByTestId('message-recall').count()).toBe(0);

    const row = messageRow(pageA, 'Wrong window, sorry');
    await row.hover();
    const button = row.getByTestId('message-recall');
    await eventually(() => button.textContent()).toMatch(/^Recall \((1:5\d|2:00)\)$/);
    await button.click();

    for (const page of [pageA, pageB]) {
      await eventually(() => page.getByTestId('message-recalled').allTextContents()).toEqual(['Alice Archer recalled a message']);
      expect(await bodies(page)).toEqual([]);
      expect(await page.getByTestId('message-list').textContent()).not.toContain('Wrong window');
      expect(await page.getByTestId('message-recall').count()).toBe(0);
    }
    // A reload rebuilds the tombstone from history alone.
    await pageB.reload();
    await waitForLobby(pageB);
    await eventually(() => pageB.getByTestId('message-recalled').allTextContents()).toEqual(['Alice Archer recalled a message']);
    expect(await bodies(pageB)).toEqual([]);
  });

  it('a DM recalled while Bob is signed out shows as a tombstone when he signs in, with nothing unread', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    // Bob was here earlier, then closed everything: no socket of his hears what follows.
    const earlier = await harness.newPage(server.url);
    await openSignedIn(earlier, server.url, b.token);
    await waitForLobby(earlier);
    await earlier.context().close();
    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token, `/dm/${bob.username}`);
    await waitForDm(pageA, bob.username);

    await send(pageA, 'The door code is 4711');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    const row = messageRow(pageA, 'The door code is 4711');
    await row.hover();
    await row.getByTestId('message-recall').click();
    await eventually(() => pageA.getByTestId('message-recalled').allTextContents()).toEqual(['Alice Archer recalled a message']);

    // Bob signs in again, in a fresh context.
    const pageB = await harness.newPage(server.url);
    await signIn(pageB, bob);
    await waitForLobby(pageB);
    await eventually(() => conversationItem(pageB, alice.username).getByTestId('dm-conversation-preview').textContent()).toBe('Alice Archer recalled a message');
    expect(await unreadBadge(pageB, alice.username)).toBeNull();
    await eventually(() => pageB.title()).toBe('#lobby · Confab');

    // Live, while Bob is in the lobby: the unread count rises with a DM and drops with its recall.
    await send(pageA, 'Call me later');
    await eventually(() => unreadBadge(pageB, alice.username)).toBe('1');
    const last = messageRow(pageA, 'Call me later');
    await last.hover();
    await last.getByTestId('message-recall').click();
    await eventually(() => unreadBadge(pageB, alice.username)).toBeNull();
    await eventually(() => conversationItem(pageB, alice.username).getByTestId('dm-conversation-preview').textContent()).toBe('Alice Archer recalled a message');

    await conversationItem(pageB, alice.username).click();
    await waitForDm(pageB, alice.username);
    await eventually(() => pageB.getByTestId('message-recalled').count()).toBe(2);
    expect(await bodies(pageB)).toEqual([]);
    const text = await pageB.getByTestId('message-list').textContent();
    expect(text).not.toContain('4711');
    expect(text).not.toContain('Call me later');
    expect(await pageB.getByTestId('message-recall').count()).toBe(0);
    expect(await unreadBadge(pageB, alice.username)).toBeNull();
  });
});
