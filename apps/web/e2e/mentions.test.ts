/**
 * Mentions outside DMs: a lobby message that mentions Bob counts as a mention (a badge of its own
 * on the lobby's sidebar entry), counts in the tab title, and raises a system notification even
 * though lobby messages otherwise never notify.
 *
 * As in dmNotifications.test.ts, `window.Notification` is replaced by a recording stub (init
 * script), since a real OS notification cannot be observed from a headless browser.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { account, bodies, eventually, registerViaApi, send, sleep, waitForLobby } from './support/app';
import { openSignedIn, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { notifications, stubNotifications } from './support/notifications';
import { channelItem, channelUnread } from './support/rooms';

const harness = useHarness();

async function mentionBadge(page: Page, channel: string): Promise<string | null> {
  const badge = channelItem(page, channel).getByTestId('mention-badge');
  return (await badge.count()) === 0 ? null : badge.textContent();
}

describe('mentions', () => {
  it('Alice mentions Bob in #lobby while Bob is in a DM: a mention badge on the lobby, the title counts it, a notification fires; reading clears all three', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);

    const pageB = await harness.newPage(server.url);
    await pageB.context().grantPermissions(['notifications'], { origin: server.url });
    await pageB.context().addInitScript(stubNotifications, 'granted');
    await openSignedIn(pageB, server.url, b.token, `/dm/${alice.username}`);
    await waitForDm(pageB, alice.username);
    await eventually(() => pageB.getByTestId('sidebar-status').textContent()).toContain('Connected');

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token);
    await waitForLobby(pageA);

    // A lobby message for everyone: unread, but no mention and no notification.
    await send(pageA, 'Morning all');
    await eventually(() => channelUnread(pageB, 'lobby')).toBe('1');
    expect(await mentionBadge(pageB, 'lobby')).toBeNull();

    await send(pageA, `@${bob.username} can you **review** this?`);
    await eventually(() => mentionBadge(pageB, 'lobby')).toBe('@1');
    expect(await channelUnread(pageB, 'lobby')).toBe('2');
    // The lobby notifies and counts only mentions by default: one, not the two unread messages.
    await eventually(() => pageB.title()).toBe('(1) Alice Archer · Confab');
    // The notification reads as the message does: its plain text, no markup.
    await eventually(() => notifications(pageB)).toEqual([{ title: 'Alice Archer in #lobby', body: `@${bob.username} can you review this?`, tag: 'lobby', isClosed: false }]);
    // The badge is in the accent colour, apart from the red count.
    const colours = await channelItem(pageB, 'lobby').evaluate((el) => [
      getComputedStyle(el.querySelector('[data-testid="mention-badge"]')!).backgroundColor,
      getComputedStyle(el.querySelector('[data-testid="channel-unread"]')!).backgroundColor,
    ]);
    expect(colours[0]).not.toBe(colours[1]);

    // Mentions of others do not count for Bob.
    await send(pageA, `@${alice.username} note to self`);
    await eventually(() => channelUnread(pageB, 'lobby')).toBe('3');
    await sleep(300);
    expect(await mentionBadge(pageB, 'lobby')).toBe('@1');
    expect((await notifications(pageB)).length).toBe(1);

    // After a reload the count comes from the server's room list.
    await pageB.reload();
    await waitForDm(pageB, alice.username);
    await eventually(() => mentionBadge(pageB, 'lobby')).toBe('@1');
    await eventually(() => pageB.getByTestId('sidebar-status').textContent()).toContain('Connected');
    await send(pageA, `Also @${bob.username}, lunch?`);
    await eventually(() => mentionBadge(pageB, 'lobby')).toBe('@2');
    await eventually(async () => (await notifications(pageB)).map((n) => [n.body, n.isClosed])).toEqual([[`Also @${bob.username}, lunch?`, false]]);

    // Opening the lobby reads it: the badge, the title count and the notification go.
    await channelItem(pageB, 'lobby').click();
    await waitForLobby(pageB);
    await eventually(() => bodies(pageB)).toContain(`Also @${bob.username}, lunch?`);
    await eventually(() => mentionBadge(pageB, 'lobby')).toBeNull();
    await eventually(() => pageB.title()).toBe('#lobby · Confab');
    await eventually(async () => (await notifications(pageB))[0]?.isClosed).toBe(true);
    expect(await channelUnread(pageB, 'lobby')).toBeNull();
  });
});
