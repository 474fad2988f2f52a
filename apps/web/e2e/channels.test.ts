import { describe, expect, it } from 'vitest';
import { account, bodies, countOf, eventually, registerViaApi, send, sleep, waitForLobby } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { channelItem, createChannelAs, eventLines, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

describe('channels', () => {
  it('Alice creates #design, Bob finds it in the browser and joins, and they chat', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token);
    await openSignedIn(pageB, server.url, b.token);
    await waitForLobby(pageA);
    await waitForLobby(pageB);

    // People write channels with their "#": the form takes it off.
    await pageA.getByTestId('channel-new').click();
    await pageA.getByTestId('create-name').fill('#design');
    await pageA.getByTestId('create-topic').fill('Pixels and type');
    await pageA.getByTestId('create-submit').click();
    await waitForChannel(pageA, 'design');
    expect(await pageA.getByTestId('room-title').textContent()).toBe('#design');
    expect(await pageA.getByTestId('room-title-topic').textContent()).toBe('Pixels and type');
    await eventually(() => channelItem(pageA, 'design').count()).toBe(1);

    // A second channel of the same name, in other letters' case, is refused on the field.
    await pageA.getByTestId('channel-new').click();
    await pageA.getByTestId('create-name').fill('Design');
    await pageA.getByTestId('create-submit').click();
    await eventually(() => pageA.getByTestId('create-name-error').textContent()).toContain('already exists');
    await pageA.keyboard.press('Escape');
    await eventually(() => pageA.getByTestId('create').isVisible()).toBe(false);

    await pageB.getByTestId('channel-browse').click();
    await pageB.getByTestId('browse-search').fill('des');
    const row = pageB.locator('[data-testid="browse-result"][data-name="design"]');
    await eventually(() => row.count()).toBe(1);
    expect(await row.getByTestId('browse-members').textContent()).toBe('1 member');
    await row.getByTestId('browse-join').click();
    await waitForChannel(pageB, 'design');
    await eventually(() => channelItem(pageB, 'design').count()).toBe(1);

    // Alice sees Bob join, as a line of its own.
    await eventually(() => eventLines(pageA)).toContain('Bob Baker joined');
    await eventually(() => pageA.getByTestId('room-member-count').textContent()).toBe('2');

    await send(pageA, 'Welcome, Bob!');
    await eventually(async () => countOf(await bodies(pageB), 'Welcome, Bob!')).toBe(1);
    await send(pageB, 'Thanks, glad to be here');
    await eventually(() => bodies(pageA)).toEqual(['Welcome, Bob!', 'Thanks, glad to be here']);
    await sleep(300);
    expect(await bodies(pageB)).toEqual(['Welcome, Bob!', 'Thanks, glad to be here']);
    // Channel traffic stays out of the lobby.
    await channelItem(pageB, 'lobby').click();
    await waitForLobby(pageB);
    expect(await bodies(pageB)).toEqual([]);

    // A reload keeps the address.
    await pageA.reload();
    await waitForChannel(pageA, 'design');
    await eventually(() => bodies(pageA)).toEqual(['Welcome, Bob!', 'Thanks, glad to be here']);
  });

  it('a private channel is seen only by who is invited: Bob chats in it, Carol cannot find it', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const carol = account('carol', 'Carol Chu');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const c = await registerViaApi(server.url, carol);
    await createChannelAs(server.url, a.token, 'open-plans');
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    const pageC = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token);
    await openSignedIn(pageB, server.url, b.token);
    await openSignedIn(pageC, server.url, c.token);
    await Promise.all([waitForLobby(pageA), waitForLobby(pageB), waitForLobby(pageC)]);

    await pageA.getByTestId('channel-new').click();
    await pageA.getByTestId('create-name').fill('secret-plans');
    await pageA.getByTestId('create-private').check();
    await pageA.getByTestId('create-submit').click();
    await waitForChannel(pageA, 'secret-plans');
    expect(await channelItem(pageA, 'secret-plans').getByTestId('room-lock').count()).toBe(1);

    await pageA.getByTestId('room-members-toggle').click();
    await pageA.getByTestId('room-invite').click();
    await pageA.getByTestId('invite-search').fill(bob.username);
    await pageA.locator(`[data-testid="invite-add"][data-username="${bob.username}"]`).click();
    await pageA.getByTestId('invite-submit').click();
    await eventually(() => pageA.getByTestId('invite').isVisible()).toBe(false);
    await eventually(() => pageA.getByTestId('room-member').evaluateAll((els) => els.map((el) => el.getAttribute('data-username')))).toEqual(
      [alice.username, bob.username].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1)),
    );

    // Bob was added while online: the channel appears, locked, and he can talk in it.
    await eventually(() => channelItem(pageB, 'secret-plans').count()).toBe(1);
    expect(await channelItem(pageB, 'secret-plans').getByTestId('room-lock').count()).toBe(1);
    await channelItem(pageB, 'secret-plans').click();
    await waitForChannel(pageB, 'secret-plans');
    await send(pageB, 'Psst, Alice');
    await eventually(async () => countOf(await bodies(pageA), 'Psst, Alice')).toBe(1);
    await send(pageA, 'Hi Bob, just us here');
    await eventually(async () => countOf(await bodies(pageB), 'Hi Bob, just us here')).toBe(1);

    // Carol: not in her sidebar, not in the browser (which lists the public one), and its address says "not found".
    expect(await channelItem(pageC, 'secret-plans').count()).toBe(0);
    await pageC.getByTestId('channel-browse').click();
    await eventually(() => pageC.getByTestId('browse-result').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')))).toEqual(['open-plans']);
    await pageC.getByTestId('browse-search').fill('secret');
    await pageC.getByTestId('browse-empty').waitFor();
    await pageC.keyboard.press('Escape');
    await pageC.goto('/c/secret-plans');
    await pageC.getByTestId('room-not-found').waitFor();
    expect(await pageC.getByTestId('composer-input').count()).toBe(0);
    expect(await pageC.title()).toBe('Channel not found · Confab');
    expect(await pageC.content()).not.toContain('Psst, Alice');

    // A public channel she has not joined opens as a preview she can join from.
    await pageC.goto('/c/OPEN-PLANS');
    await pageC.getByTestId('room-preview').waitFor();
    await pageC.getByTestId('room-join').click();
    await waitForChannel(pageC, 'open-plans');
    await eventually(() => channelItem(pageC, 'open-plans').count()).toBe(1);
  });

  it('a member sets the topic and the owner renames; removing Bob takes him back to the lobby and the channel off his sidebar', async () => {
    const server = await harness.startServer();
    const a = await registerViaApi(server.url, account('alice', 'Alice Archer'));
    const b = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const crew = await createChannelAs(server.url, a.token, 'crew', true);
    const client = await roomClient(server.url, a.token);
    await client.ask('room:invite', { roomId: crew.room.id, userIds: [b.user.id] });
    client.close();
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token, '/c/crew');
    await openSignedIn(pageB, server.url, b.token, '/c/CREW');
    await waitForChannel(pageA, 'crew');
    // The address follows the channel's own spelling.
    await waitForChannel(pageB, 'crew');

    // Bob, a member, may set the topic but not rename.
    await pageB.getByTestId('room-edit').click();
    expect(await pageB.getByTestId('edit-name').count()).toBe(0);
    await pageB.getByTestId('edit-topic').fill('Release crew only');
    await pageB.getByTestId('edit-submit').click();
    await eventually(() => pageA.getByTestId('room-title-topic').textContent()).toBe('Release crew only');
    await eventually(() => eventLines(pageA)).toContain('Bob Baker set the topic: Release crew only');

    await pageA.getByTestId('room-edit').click();
    await pageA.getByTestId('edit-name').fill('#release-crew');
    await pageA.getByTestId('edit-submit').click();
    await waitForChannel(pageA, 'release-crew');
    await waitForChannel(pageB, 'release-crew');
    await eventually(() => channelItem(pageB, 'release-crew').count()).toBe(1);
    await eventually(() => eventLines(pageB)).toContain('Alice Archer renamed the channel to #release-crew');
    expect(await pageB.title()).toBe('#release-crew · Confab');

    pageA.on('dialog', (dialog) => void dialog.accept());
    await pageA.getByTestId('room-members-toggle').click();
    await pageA.locator(`[data-testid="room-member"][data-username="${b.user.username}"]`).getByTestId('room-member-remove').click();
    await waitForLobby(pageB);
    await eventually(() => channelItem(pageB, 'release-crew').count()).toBe(0);
    await eventually(() => pageA.getByTestId('room-member').count()).toBe(1);
    await eventually(() => eventLines(pageA)).toContain('Alice Archer removed Bob Baker');
  });

  it('at 390 px wide the sidebar opens as a drawer over the room, and a channel can be reached and written in', async () => {
    const server = await harness.startServer();
    const a = await registerViaApi(server.url, account('alice', 'Alice Archer'));
    await createChannelAs(server.url, a.token, 'mobile');
    const page = await harness.newPage(server.url, { width: 390, height: 760 });
    await openSignedIn(page, server.url, a.token);
    await waitForLobby(page);
    expect(await page.getByTestId('sidebar').isVisible()).toBe(false);

    await page.getByTestId('nav-open').click();
    await eventually(() => page.getByTestId('sidebar').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('sidebar').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-open');

    await page.getByTestId('nav-open').click();
    await channelItem(page, 'mobile').click();
    await waitForChannel(page, 'mobile');
    await eventually(() => page.getByTestId('sidebar').isVisible()).toBe(false);
    await send(page, 'From my phone');
    await eventually(() => bodies(page)).toEqual(['From my phone']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
