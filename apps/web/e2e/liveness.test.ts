import { describe, expect, it } from 'vitest';
import { account, bodies, eventually, registerViaApi, send, signUp } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('typing indicators and presence', () => {
  it('Bob sees "Alice is typing…" while she types in the lobby, and it goes once her message arrives', async () => {
    const server = await harness.startServer();
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await signUp(pageA, account('alice', 'Alice Archer'));
    await signUp(pageB, account('bob', 'Bob Baker'));
    await eventually(() => pageA.getByTestId('sidebar-status').textContent()).toContain('Connected');
    await eventually(() => pageB.getByTestId('sidebar-status').textContent()).toContain('Connected');

    await pageA.getByTestId('composer-input').click();
    await pageA.keyboard.type('Hello every');
    await eventually(() => pageB.getByTestId('typing-indicator').textContent()).toBe('Alice Archer is typing…');
    // The typer's own tabs never hear about it.
    expect(await pageA.getByTestId('typing-indicator').count()).toBe(0);

    await pageA.keyboard.type('one');
    await pageA.keyboard.press('Enter');
    await eventually(() => bodies(pageB)).toEqual(['Hello everyone']);
    await eventually(() => pageB.getByTestId('typing-indicator').count()).toBe(0);
  });

  it('Bob sees Alice online in the lobby list, and offline once she closes her page', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageB, server.url, b.token);
    await eventually(() => pageB.getByTestId('online-count').textContent()).toBe('1 online');
    expect(await pageB.getByTestId('online-user-name').allTextContents()).toEqual(['Bob Baker (you)']);

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token);
    const aliceRow = pageB.locator(`[data-testid="online-user"][data-user-id="${a.user.id}"]`);
    await eventually(() => aliceRow.getByTestId('online-user-name').textContent()).toBe('Alice Archer');
    expect(await aliceRow.getAttribute('data-state')).toBe('online');
    expect(await pageB.getByTestId('online-count').textContent()).toBe('2 online');
    // Alice sees both of them too, from her connect-time snapshot.
    await eventually(() => pageA.getByTestId('online-count').textContent()).toBe('2 online');

    await pageA.close();
    await eventually(() => aliceRow.count()).toBe(0);
    expect(await pageB.getByTestId('online-count').textContent()).toBe('1 online');
  });

  it('the DM header shows the peer online, then when they were last seen', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token);
    await openSignedIn(pageB, server.url, b.token, `/dm/${alice.username}`);
    await eventually(() => pageB.getByTestId('dm-presence').textContent()).toBe('online');

    await send(pageB, 'Are you there?');
    await eventually(() => pageA.locator(`[data-testid="dm-conversation"][data-username="${bob.username}"] [data-testid="presence-dot"]`).getAttribute('data-state')).toBe('online');

    await pageA.close();
    await eventually(() => pageB.getByTestId('dm-presence').textContent()).toBe('last seen just now');
  });
});
