/**
 * Tab title and system notifications for direct messages.
 *
 * A real OS notification cannot be observed from a headless browser, so `window.Notification` is
 * replaced by a stub (init script) that records each construction and each `close()`. Chromium's
 * own permission is granted too, so the page is in the state a user who allowed notifications
 * would leave it in; the stub starts at "default" so that the sidebar's "Enable notifications"
 * action is exercised. Hidden tabs are emulated by overriding `document.visibilityState`/`hidden`
 * and dispatching `visibilitychange`, since headless pages are always visible.
 */
import { describe, expect, it } from 'vitest';
import { dmRoomId } from '@confab/shared';
import { account, bodies, eventually, messageRow, receiptState, registerViaApi, send, sleep } from './support/app';
import { conversationItem, openSignedIn, setHidden, unreadBadge, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { notifications, stubNotifications } from './support/notifications';

const harness = useHarness();

describe('DM notifications', () => {
  it('an unread DM counts in the title and raises one notification per room; opening or reading it clears both, never a hidden tab', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const roomId = dmRoomId(a.user.id, b.user.id);

    const pageB = await harness.newPage(server.url);
    await pageB.context().grantPermissions(['notifications'], { origin: server.url });
    await pageB.context().addInitScript(stubNotifications, 'default');
    await openSignedIn(pageB, server.url, b.token);
    await pageB.getByTestId('composer-input').waitFor();
    await pageB.getByTestId('enable-notifications').click();
    await eventually(() => pageB.getByTestId('enable-notifications').count()).toBe(0);

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token, `/dm/${bob.username}`);
    await waitForDm(pageA, bob.username);
    await eventually(() => pageB.getByTestId('sidebar-status').textContent()).toContain('Connected');

    // Bob is in the lobby: the conversation is not open.
    await send(pageA, 'Ping from Alice');
    await eventually(() => pageB.title()).toBe('(1) #lobby · Confab');
    await eventually(() => notifications(pageB)).toEqual([{ title: 'Alice Archer', body: 'Ping from Alice', tag: roomId, isClosed: false }]);

    await conversationItem(pageB, alice.username).click();
    await waitForDm(pageB, alice.username);
    await eventually(() => pageB.title()).toBe('Alice Archer · Confab');
    await eventually(async () => (await notifications(pageB))[0]?.isClosed).toBe(true);
    await eventually(() => server.stores.conversations.readSeq(roomId, b.user.id)).toBe(1);
    await eventually(() => unreadBadge(pageB, alice.username)).toBeNull();

    // The conversation is open, but the tab goes to the background: nothing may be marked read.
    await setHidden(pageB, true);
    await send(pageA, 'Are you there?');
    await eventually(() => bodies(pageB)).toEqual(['Ping from Alice', 'Are you there?']);
    await eventually(() => pageB.title()).toBe('(1) Alice Archer · Confab');
    await eventually(async () => (await notifications(pageB)).length).toBe(2);
    expect((await notifications(pageB))[1]).toEqual({ title: 'Alice Archer', body: 'Are you there?', tag: roomId, isClosed: false });
    await sleep(600); // well past the read debounce
    expect(await unreadBadge(pageB, alice.username)).toBe('1');
    expect(await server.stores.conversations.readSeq(roomId, b.user.id)).toBe(1);
    // Bob's hidden tab received it (delivered) but he has not seen it.
    expect(await receiptState(pageA, 'Are you there?')).toBe('delivered');

    // Back to the tab: read, title reset, notification gone, and Alice sees it was seen.
    await setHidden(pageB, false);
    await eventually(() => pageB.title()).toBe('Alice Archer · Confab');
    await eventually(async () => (await notifications(pageB))[1]?.isClosed).toBe(true);
    await eventually(() => unreadBadge(pageB, alice.username)).toBeNull();
    await eventually(() => receiptState(pageA, 'Are you there?')).toBe('seen');
    expect(await server.stores.conversations.readSeq(roomId, b.user.id)).toBe(2);

    // While Bob looks at the conversation, a new message neither notifies nor counts in the title.
    await send(pageA, 'Great, talk soon');
    await eventually(() => receiptState(pageA, 'Great, talk soon')).toBe('seen');
    expect(await pageB.title()).toBe('Alice Archer · Confab');
    // His own messages never notify him either.
    await send(pageB, 'Bye!');
    await eventually(() => messageRow(pageA, 'Bye!').count()).toBe(1);
    await sleep(200);
    expect((await notifications(pageB)).length).toBe(2);
  });
});
