/**
 * Per-room notification settings (issue 18, item 6): the bell menu in each room's header, what it
 * does to system notifications and the tab title, and that a choice made on one device applies
 * on the user's others. Notifications are observed through the recording stub of
 * support/notifications.ts (headless Chromium shows none).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dmRoomId, type RoomSummaryDto } from '@confab/shared';
import { account, eventually, registerViaApi, sleep, waitForLobby } from './support/app';
import { conversationItem, openSignedIn, unreadBadge, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { notifications, stubNotifications } from './support/notifications';
import { channelItem, channelUnread, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

/** A page of `token`'s user at `path`, whose notifications are allowed and recorded. */
async function devicePage(url: string, token: string, path: string): Promise<Page> {
  const page = await harness.newPage(url);
  await page.context().grantPermissions(['notifications'], { origin: url });
  await page.context().addInitScript(stubNotifications, 'granted');
  await openSignedIn(page, url, token, path);
  return page;
}

/** Chooses an item of the open room's notification menu with the mouse. */
async function choose(page: Page, item: string): Promise<void> {
  await page.getByTestId('notify-menu').click();
  await page.getByTestId(item).click();
}

/** Leaves the rooms for the account screen (within the app: no reload), where no room is being read. */
async function toAccount(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('to-account').click();
  await page.waitForURL((u) => u.pathname === '/account');
  await page.getByTestId('password-current').waitFor();
}

const groupItem = (page: Page, roomId: string) => page.locator(`[data-testid="group-item"][data-room-id="${roomId}"]`);

/** Alice's protocol client: she writes while Bob's pages watch. */
async function writer(url: string, token: string) {
  const client = await roomClient(url, token);
  return {
    client,
    say: (target: { to: string } | { roomId: string }, body: string) => client.ask('dm:send', { ...target, clientId: randomUUID(), body }),
  };
}

describe('notification settings', () => {
  it('a muted room raises no notification and no title count, mentions included; its unread stays, dimmed; unmuting brings both back', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const aliceWrites = await writer(server.url, a.token);
    await aliceWrites.say({ to: b.user.id }, 'Hello Bob');

    const page = await devicePage(server.url, b.token, '/');
    await waitForLobby(page);
    await choose(page, 'notify-mute-1h');
    await eventually(() => page.getByTestId('notify-menu').getAttribute('data-muted')).toBe('true');
    await eventually(() => channelItem(page, 'lobby').getAttribute('data-muted')).toBe('true');
    await conversationItem(page, alice.username).click();
    await waitForDm(page, alice.username);
    await choose(page, 'notify-mute-forever');
    await eventually(() => conversationItem(page, alice.username).getByTestId('muted-mark').count()).toBe(1);
    await page.getByTestId('notify-menu').click();
    expect(await page.getByTestId('notify-muted-until').textContent()).toBe('Muted until you unmute');
    await page.keyboard.press('Escape');
    await toAccount(page);

    await aliceWrites.say({ to: b.user.id }, 'Are you there?');
    await aliceWrites.say({ roomId: 'lobby' }, `@${bob.username} the lobby needs you`);
    await eventually(() => unreadBadge(page, alice.username)).toBe('1');
    await eventually(() => channelUnread(page, 'lobby')).toBe('1');
    // Shown, but quieter, as Slack shows muted rooms: a grey count instead of the red one.
    const badgeColour = () => channelItem(page, 'lobby').getByTestId('channel-unread').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await badgeColour()).toBe('rgba(255, 255, 255, 0.12)');
    await sleep(300);
    expect(await notifications(page)).toEqual([]);
    expect(await page.title()).toBe('Account · Confab');

    // Unmuted (here from a protocol client of Bob's: another device), the DM speaks again.
    const bobElsewhere = await roomClient(server.url, b.token);
    await bobElsewhere.ask('notify:set', { roomId: dmRoomId(a.user.id, b.user.id), mutedUntil: null });
    await eventually(() => conversationItem(page, alice.username).getByTestId('muted-mark').count()).toBe(0);
    await eventually(() => page.title()).toBe('(1) Account · Confab');
    await aliceWrites.say({ to: b.user.id }, 'Ping again');
    await eventually(() => notifications(page)).toEqual([{ title: 'Alice Archer', body: 'Ping again', tag: dmRoomId(a.user.id, b.user.id), isClosed: false }]);
    await eventually(() => page.title()).toBe('(2) Account · Confab');
    bobElsewhere.close();
    aliceWrites.client.close();
  });

  it('"Mentions only" notifies and counts a message that mentions the reader, and not a plain one', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const carol = account('carol', 'Carol Chu');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const c = await registerViaApi(server.url, carol);
    const aliceWrites = await writer(server.url, a.token);
    const group = await aliceWrites.client.ask<RoomSummaryDto>('group:open', { userIds: [b.user.id, c.user.id] });
    const roomId = group.room.id;

    const page = await devicePage(server.url, b.token, `/g/${roomId}`);
    await page.getByTestId('composer-input').waitFor();
    // A group notifies for every message until told otherwise.
    expect(await page.getByTestId('notify-menu').getAttribute('data-level')).toBe('all');
    await choose(page, 'notify-level-mentions');
    await eventually(() => page.getByTestId('notify-menu').getAttribute('data-level')).toBe('mentions');
    await toAccount(page);

    await aliceWrites.say({ roomId }, 'Plain update for everyone');
    await eventually(() => groupItem(page, roomId).getByTestId('group-unread').textContent()).toBe('1');
    await sleep(300);
    expect(await notifications(page)).toEqual([]);
    expect(await page.title()).toBe('Account · Confab');

    await aliceWrites.say({ roomId }, `@${bob.username} can you check this?`);
    await eventually(() => notifications(page)).toEqual([{ title: 'Alice Archer', body: `@${bob.username} can you check this?`, tag: roomId, isClosed: false }]);
    await eventually(() => page.title()).toBe('(1) Account · Confab');
    expect(await groupItem(page, roomId).getByTestId('group-unread').textContent()).toBe('2');
    aliceWrites.client.close();
  });

  it('a setting made on one device applies on the other at once and after a reload; the menu follows the keyboard', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const aliceWrites = await writer(server.url, a.token);
    const design = await aliceWrites.client.ask<RoomSummaryDto>('channel:create', { name: 'design', private: false, topic: '' });
    const bobSetup = await roomClient(server.url, b.token);
    await bobSetup.ask('room:join', { roomId: design.room.id });
    bobSetup.close();

    const laptop = await devicePage(server.url, b.token, '/');
    const phone = await devicePage(server.url, b.token, '/');
    await waitForLobby(laptop);
    await waitForLobby(phone);
    const laptopBell = laptop.getByTestId('notify-menu');
    expect(await laptopBell.getAttribute('data-level')).toBe('mentions');

    // Keyboard: the menu opens on the current choice; arrows move; Enter picks; focus comes back.
    await laptopBell.focus();
    await laptop.keyboard.press('Enter');
    await eventually(() => laptop.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notify-level-mentions');
    expect(await laptop.getByRole('menu').count()).toBe(1);
    await laptop.keyboard.press('ArrowDown');
    expect(await laptop.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notify-level-none');
    await laptop.keyboard.press('Enter');
    await eventually(() => laptopBell.getAttribute('data-level')).toBe('none');
    expect(await laptop.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notify-menu');
    await laptop.keyboard.press('ArrowUp');
    expect(await laptop.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notify-mute-forever');
    await laptop.keyboard.press('Escape');
    expect(await laptop.getByRole('menu').count()).toBe(0);
    expect(await laptop.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notify-menu');

    // The phone hears it at once.
    await eventually(() => phone.getByTestId('notify-menu').getAttribute('data-level')).toBe('none');
    // The laptop mutes #design for good; the phone's sidebar shows it, then and after a reload.
    await channelItem(laptop, 'design').click();
    await waitForChannel(laptop, 'design');
    await choose(laptop, 'notify-mute-forever');
    await eventually(() => channelItem(phone, 'design').getAttribute('data-muted')).toBe('true');
    // Out of #design, or the laptop would read what arrives there for both devices.
    await toAccount(laptop);
    await phone.reload();
    await waitForLobby(phone);
    await eventually(() => phone.getByTestId('notify-menu').getAttribute('data-level')).toBe('none');
    await eventually(() => channelItem(phone, 'design').getAttribute('data-muted')).toBe('true');

    // And it acts on the phone: a mention in the lobby, set to "Nothing", neither notifies nor counts.
    await toAccount(phone);
    await aliceWrites.say({ roomId: 'lobby' }, `@${bob.username} hello`);
    await aliceWrites.say({ roomId: design.room.id }, `@${bob.username} muted channel`);
    await eventually(() => channelUnread(phone, 'lobby')).toBe('1');
    await eventually(() => channelUnread(phone, 'design')).toBe('1');
    await sleep(300);
    expect(await notifications(phone)).toEqual([]);
    expect(await phone.title()).toBe('Account · Confab');
    aliceWrites.client.close();
  });
});
