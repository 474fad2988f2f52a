import { describe, expect, it } from 'vitest';
import { dmRoomId } from '@confab/shared';
import { account, bodies, countOf, eventually, receiptState, registerViaApi, send, signIn, sleep, waitForLobby } from './support/app';
import { conversationItem, openSignedIn, unreadBadge, waitForDm } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('direct messages', () => {
  it('a DM reaches the recipient\'s sidebar with a badge, is read by opening it (in every tab), and shows "Seen" to the sender', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const bobId = b.user.id;
    const roomId = dmRoomId(a.user.id, bobId);
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token);
    await openSignedIn(pageB, server.url, b.token);
    await waitForLobby(pageA);
    await waitForLobby(pageB);
    const pageB2 = await pageB.context().newPage();
    await pageB2.goto('/');
    await waitForLobby(pageB2);

    // Alice finds Bob in the directory by the start of his display name.
    await pageA.getByTestId('dm-new').click();
    await pageA.getByTestId('directory').waitFor();
    await pageA.getByTestId('directory-search').fill('Bob B');
    const result = pageA.locator(`[data-testid="directory-result"][data-username="${bob.username}"]`);
    await eventually(() => pageA.getByTestId('directory-result').count()).toBe(1);
    await result.click();
    await waitForDm(pageA, bob.username);
    expect(await pageA.getByTestId('directory').isVisible()).toBe(false);
    expect(await pageA.getByTestId('dm-title').textContent()).toBe('Bob Baker');
    expect(await pageA.getByTestId('dm-title-topic').textContent()).toBe(`@${bob.username}`);
    await pageA.getByTestId('room-start').waitFor();

    await send(pageA, 'Hi Bob, a private question');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    expect(await receiptState(pageA, 'Hi Bob, a private question')).not.toBe('seen');

    // Bob is in the lobby, in two tabs: both list the conversation, unread.
    for (const page of [pageB, pageB2]) {
      await eventually(() => unreadBadge(page, alice.username)).toBe('1');
      expect(await conversationItem(page, alice.username).getByTestId('dm-conversation-name').textContent()).toBe('Alice Archer');
      expect(await conversationItem(page, alice.username).getByTestId('dm-conversation-preview').textContent()).toBe('Hi Bob, a private question');
      await eventually(() => page.title()).toBe('(1) #lobby · Confab');
    }
    expect(await bodies(pageB)).toEqual([]);

    await conversationItem(pageB, alice.username).click();
    await waitForDm(pageB, alice.username);
    await eventually(() => bodies(pageB)).toEqual(['Hi Bob, a private question']);
    await eventually(() => server.stores.conversations.readSeq(roomId, bobId)).toBe(1);
    // Reading in the first tab clears the badge in both, and tells Alice.
    await eventually(() => unreadBadge(pageB, alice.username)).toBeNull();
    await eventually(() => unreadBadge(pageB2, alice.username)).toBeNull();
    await eventually(() => pageB2.title()).toBe('#lobby · Confab');
    await eventually(() => receiptState(pageA, 'Hi Bob, a private question')).toBe('seen');

    await send(pageB, 'Sure, ask away');
    await eventually(async () => countOf(await bodies(pageA), 'Sure, ask away')).toBe(1);
    // Alice is looking, so Bob's replies are read at once: each shows as seen.
    await eventually(() => receiptState(pageB, 'Sure, ask away')).toBe('seen');
    await send(pageB, 'Anything else?');
    await eventually(() => receiptState(pageB, 'Anything else?')).toBe('seen');
    expect(await pageB.locator('[data-testid="message-receipt"][data-state="seen"]').count()).toBe(2);
    expect(await conversationItem(pageB2, alice.username).getByTestId('dm-conversation-preview').textContent()).toBe('You: Anything else?');

    // Acks and broadcasts both carry each message: late duplicates would show up after a moment.
    await sleep(300);
    const expected = ['Hi Bob, a private question', 'Sure, ask away', 'Anything else?'];
    for (const page of [pageA, pageB]) {
      expect(await bodies(page)).toEqual(expected);
      expect(await page.locator('[data-status="pending"], [data-status="failed"]').count()).toBe(0);
    }
    expect(await pageA.locator('[data-testid="message-receipt"][data-state="seen"]').count()).toBe(1);

    // Carol, a third user online all along, never sees the conversation, its badge or its text.
    const carol = account('carol', 'Carol Chu');
    const c = await registerViaApi(server.url, carol);
    const pageC = await harness.newPage(server.url);
    await openSignedIn(pageC, server.url, c.token);
    await waitForLobby(pageC);
    await send(pageA, 'One more, Bob');
    await eventually(async () => countOf(await bodies(pageB), 'One more, Bob')).toBe(1);
    expect(await conversationItem(pageC, alice.username).count()).toBe(0);
    expect(await conversationItem(pageC, bob.username).count()).toBe(0);
    expect(await pageC.content()).not.toContain('One more, Bob');
    expect(await pageC.title()).toBe('#lobby · Confab');
    expect(await unreadBadge(pageA, bob.username)).toBeNull();
  });

  it('DMs sent to someone signed out are waiting, counted, when they sign in', async () => {
    const server = await harness.startServer();
    const carol = account('carol', 'Carol Chu');
    const dan = account('dan', 'Dan Diaz');
    const { token, user: carolUser } = await registerViaApi(server.url, carol);
    const { user: danUser } = await registerViaApi(server.url, dan);

    const pageC = await harness.newPage(server.url);
    await openSignedIn(pageC, server.url, token, `/dm/${dan.username}`);
    await waitForDm(pageC, dan.username);
    await send(pageC, 'Are you around later?');
    await send(pageC, 'No rush.');
    await eventually(() => pageC.locator('[data-status="sent"]').count()).toBe(2);

    const pageD = await harness.newPage(server.url);
    await signIn(pageD, dan);
    await waitForLobby(pageD);
    await eventually(() => unreadBadge(pageD, carol.username)).toBe('2');
    const item = conversationItem(pageD, carol.username);
    expect(await item.getByTestId('dm-conversation-preview').textContent()).toBe('No rush.');
    expect(await item.getAttribute('class')).toContain('is-unread');
    expect(await pageD.title()).toBe('(2) #lobby · Confab');

    await item.click();
    await eventually(() => bodies(pageD)).toEqual(['Are you around later?', 'No rush.']);
    await eventually(() => server.stores.conversations.readSeq(dmRoomId(carolUser.id, danUser.id), danUser.id)).toBe(2);
    await eventually(() => pageD.title()).toBe('Carol Chu · Confab');
    expect(await unreadBadge(pageD, carol.username)).toBeNull();
    expect(await item.getAttribute('class')).toContain('is-active');
  });

  it('the directory searches as you type, pages with "Load more", and works from the keyboard', async () => {
    const server = await harness.startServer();
    const finn = account('finn', 'Finn Ford');
    const { token } = await registerViaApi(server.url, finn);
    // Stored directly: 24 sign-ups through the API would spend seconds hashing passwords.
    for (let i = 1; i <= 24; i += 1) {
      const n = String(i).padStart(2, '0');
      await server.stores.users.create({ username: `zed${n}`, displayName: `Zed Number ${n}`, passwordHash: 'unused', createdAt: new Date() });
    }
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, token);
    await page.getByTestId('composer-input').waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    const results = () => page.getByTestId('directory-result').evaluateAll((els) => els.map((el) => el.getAttribute('data-username')));

    await page.getByTestId('dm-new').click();
    await eventually(focused).toBe('directory-search');
    const zeds = Array.from({ length: 24 }, (_, i) => `zed${String(i + 1).padStart(2, '0')}`);
    // Opening lists everyone (Finn first); typing narrows it to the Zeds, a page of 20.
    await eventually(async () => (await results())[0]).toBe(finn.username);
    await page.keyboard.type('zed');
    await eventually(results).toEqual(zeds.slice(0, 20));
    await page.getByTestId('directory-more').click();
    await eventually(results).toEqual(zeds);
    expect(await page.getByTestId('directory-more').count()).toBe(0);

    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('directory').isVisible()).toBe(false);
    expect(await focused()).toBe('dm-new');

    // At once: the dialog's close event may still be on its way.
    await page.keyboard.press('Enter');
    await eventually(focused).toBe('directory-search');
    expect(await page.getByTestId('directory-search').inputValue()).toBe('');
    await page.keyboard.type('Zed Number 2');
    await eventually(results).toEqual(['zed20', 'zed21', 'zed22', 'zed23', 'zed24']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-username'))).toBe('zed21');
    await page.keyboard.press('Enter');
    await waitForDm(page, 'zed21');
    expect(await page.getByTestId('dm-title').textContent()).toBe('Zed Number 21');
    expect(await page.getByTestId('directory').isVisible()).toBe(false);
  });

  it('an unknown username shows a clear "no such user" state', async () => {
    const server = await harness.startServer();
    const { token } = await registerViaApi(server.url, account('erin', 'Erin Eve'));
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, token, '/dm/nobody');
    await page.getByTestId('dm-not-found').waitFor();
    expect(await page.getByTestId('dm-not-found').locator('h2').textContent()).toBe('No user named “nobody”');
    expect(await page.getByTestId('composer-input').count()).toBe(0);
    expect(await page.title()).toBe('No such user · Confab');
    await page.getByTestId('dm-not-found').getByText('Back to #lobby').click();
    await waitForLobby(page);
  });
});
