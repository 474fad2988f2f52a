/**
 * A phone: 390 × 844, touch, a mobile viewport. The sidebar is a drawer, opened from the header's
 * button (which shows what is unread) or by a swipe from the left edge, and closed by a choice, the
 * backdrop, Escape or a swipe back; Enter makes a new line and Send sends; and no screen, on a
 * phone or on a laptop, scrolls sideways or has anything sticking out.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { LOBBY_ROOM_ID, type MessageDto, type RoomSummaryDto } from '@confab/shared';
import { account, bodies, eventually, registerViaApi } from './support/app';
import { conversationItem, openSignedIn, unreadBadge, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { PHONE, headerOverlaps, horizontalOverflow, postToRooms, shoot, smallTargets, swipe, usePhones } from './support/phone';
import { channelItem, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();
const phones = usePhones(harness);
afterEach(() => phones.closeAll());

const drawerShown = (page: Page) => page.getByTestId('sidebar').isVisible();
const menuLabel = (page: Page) => page.getByTestId('nav-open').getAttribute('aria-label');

describe('Confab on a phone', () => {
  it('the drawer opens from its button and by a swipe from the left edge; its button counts unread messages and mentions, a DM\'s clearing once it is read; Enter makes a new line and Send sends', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const page = await phones.newPhonePage(server.url);
    await openSignedIn(page, server.url, a.token);
    await page.getByTestId('composer-input').waitFor();
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    expect(await drawerShown(page)).toBe(false);
    expect(await menuLabel(page)).toBe('Open navigation');

    const bobDm = await roomClient(server.url, b.token);
    for (const body of ['Are you on your phone?', 'Call me when you can']) await bobDm.ask<MessageDto>('dm:send', { to: a.user.id, clientId: randomUUID(), body });
    bobDm.close();
    await eventually(() => menuLabel(page)).toBe('Open navigation, 2 unread');
    expect(await page.getByTestId('nav-unread').textContent()).toBe('2');
    await shoot(page, 'lobby-unread');

    // The button opens it; the backdrop (beside the drawer) closes it.
    await page.getByTestId('nav-open').tap();
    await eventually(() => drawerShown(page)).toBe(true);
    expect(await unreadBadge(page, bob.username)).toBe('2');
    await shoot(page, 'drawer');
    await page.getByTestId('nav-backdrop').tap({ position: { x: PHONE.width - 20, y: 400 } });
    await eventually(() => drawerShown(page)).toBe(false);

    // A swipe across the room is not from the edge: it opens nothing. One from the edge does; one back closes it.
    await swipe(page, { x: 150, y: 420 }, { x: 360, y: 430 });
    expect(await drawerShown(page)).toBe(false);
    await swipe(page, { x: 3, y: 420 }, { x: 260, y: 430 });
    await eventually(() => drawerShown(page)).toBe(true);
    await swipe(page, { x: 240, y: 420 }, { x: 30, y: 430 });
    await eventually(() => drawerShown(page)).toBe(false);
    await swipe(page, { x: 3, y: 420 }, { x: 260, y: 430 });
    await eventually(() => drawerShown(page)).toBe(true);
    await page.keyboard.press('Escape');
    await eventually(() => drawerShown(page)).toBe(false);

    // To the DM through the drawer: choosing it closes the drawer, and reading it clears the counts.
    await page.getByTestId('nav-open').tap();
    await conversationItem(page, bob.username).tap();
    await waitForDm(page, bob.username);
    await eventually(() => drawerShown(page)).toBe(false);
    await eventually(() => bodies(page)).toEqual(['Are you on your phone?', 'Call me when you can']);
    await eventually(() => menuLabel(page)).toBe('Open navigation');
    expect(await page.getByTestId('nav-unread').count()).toBe(0);
    await shoot(page, 'dm');

    // Enter makes a new line (no keys named under the field); the Send button sends.
    expect(await page.getByTestId('composer-note').textContent()).toBe('');
    const input = page.getByTestId('composer-input');
    await input.tap();
    await page.keyboard.type('On my way');
    await page.keyboard.press('Enter');
    await page.keyboard.type('ten minutes');
    expect(await input.inputValue()).toBe('On my way\nten minutes');
    expect(await bodies(page)).toHaveLength(2);
    await page.getByTestId('composer-send').tap();
    await eventually(() => bodies(page).then((list) => list.length)).toBe(3);
    expect((await bodies(page))[2]).toMatch(/^On my way\s*ten minutes$/);
    expect(await input.inputValue()).toBe('');

    // A mention in the lobby while Alice is in the DM: the button counts it apart, as "@1".
    await postToRooms(server.url, b.token, [{ roomId: LOBBY_ROOM_ID, body: `@${a.user.username} the build is green` }]);
    await eventually(() => menuLabel(page)).toBe('Open navigation, 1 unread, 1 mention');
    expect(await page.getByTestId('nav-open').getByTestId('mention-badge').textContent()).toBe('@1');
    await shoot(page, 'dm-mention');

    // Back to the lobby; the DM has no badge left, and the lobby's is read there.
    await page.getByTestId('nav-open').tap();
    expect(await unreadBadge(page, bob.username)).toBeNull();
    await channelItem(page, 'lobby').tap();
    await page.waitForURL((url) => url.pathname === '/');
    await eventually(() => drawerShown(page)).toBe(false);
    expect(await page.getByTestId('channel-title').textContent()).toContain('lobby');
    await eventually(() => menuLabel(page)).toBe('Open navigation');
  });

  it('no screen scrolls sideways or has anything sticking out, at 390 px (touch) and at 1280 px; on touch its buttons take a fingertip', async () => {
    const server = await harness.startServer();
    const alice = await registerViaApi(server.url, account('alice', 'Alice Archer-Montgomery of the Very Long Name'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    const client = await roomClient(server.url, alice.token);
    const channelName = 'release-planning-for-the-spring-launch-and-everything-after-it';
    const channel = await client.ask<RoomSummaryDto>('channel:create', {
      name: channelName,
      private: false,
      topic: 'Everything about the spring launch: dates, owners, risks, and who brings the cake on the day itself',
    });
    const group = await client.ask<RoomSummaryDto>('group:open', { userIds: [bob.user.id, carol.user.id] });
    const long = `See https://example.com/${'a-very-long-path-segment-'.repeat(6)} and ${'unbreakable'.repeat(12)}`;
    const code = `\`\`\`\npnpm --filter @confab/web run build -- --mode production --sourcemap --emptyOutDir --logLevel info\n\`\`\``;
    for (const body of [long, code]) await client.ask('dm:send', { to: bob.user.id, clientId: randomUUID(), body });
    client.close();
    await postToRooms(server.url, alice.token, [channel.room.id, group.room.id].flatMap((roomId) => [long, code].map((body) => ({ roomId, body }))));

    for (const width of [PHONE.width, 1280]) {
      const isPhone = width === PHONE.width;
      const page = isPhone ? await phones.newPhonePage(server.url) : await harness.newPage(server.url, { width, height: 800 });
      const overflowed: string[] = [];
      const check = async (screen: string, hasHeader = false) => {
        overflowed.push(...(await horizontalOverflow(page)).map((what) => `${width} px, ${screen}: ${what}`));
        if (hasHeader) overflowed.push(...(await headerOverlaps(page)).map((what) => `${width} px, ${screen} header: ${what}`));
        if (isPhone) await shoot(page, screen);
      };
      const openDrawer = async () => {
        if (!isPhone) return;
        await page.getByTestId('nav-open').tap();
        await eventually(() => drawerShown(page)).toBe(true);
      };

      await page.goto('/signin');
      await page.getByTestId('signin-form').waitFor();
      if (isPhone) {
        // The check itself: a box wider than the screen is seen.
        await page.evaluate(() => {
          const wide = document.createElement('div');
          wide.id = 'too-wide';
          wide.style.width = '500px';
          wide.style.height = '10px';
          document.body.append(wide);
        });
        const seen = await horizontalOverflow(page);
        expect(seen).toContain('div spans 0–500 px');
        expect(seen.some((what) => what.startsWith('the page is'))).toBe(true);
        await page.evaluate(() => document.getElementById('too-wide')!.remove());
      }
      await check('sign-in');
      await page.goto('/signup');
      await page.getByTestId('signup-submit').waitFor();
      await check('sign-up');

      await openSignedIn(page, server.url, alice.token);
      await page.getByTestId('composer-input').waitFor();
      await check('lobby', true);
      if (isPhone) {
        // The check itself: a title forced wider than its room runs over the buttons, and is seen.
        const force = (isForced: boolean) =>
          page.evaluate((forced) => {
            const title = document.querySelector<HTMLElement>('main header h1')!;
            title.style.minWidth = forced ? '600px' : '';
            title.parentElement!.style.overflow = forced ? 'visible' : '';
          }, isForced);
        await force(true);
        expect((await headerOverlaps(page)).length).toBeGreaterThan(0);
        await force(false);
        expect(await headerOverlaps(page)).toEqual([]);
      }
      await openDrawer();
      await check('lobby-drawer');
      if (isPhone) {
        // Tested on touch: the header's, the sidebar's and the composer's buttons and entries.
        const targets = '[data-testid="sidebar"] li > a, [data-testid="sidebar"] button, header button, [data-testid="composer"] .box button';
        expect(await smallTargets(page, targets)).toEqual([]);
      }

      await page.getByTestId('dm-new').click();
      await page.getByTestId('directory').waitFor();
      await check('directory');
      await page.getByTestId('directory-close').click();
      // (The drawer is still open behind the dialog.)
      await page.getByTestId('channel-browse').click();
      await page.getByTestId('browse').waitFor();
      await check('channel-browser');
      await page.getByTestId('browse-close').click();

      await page.goto(`/c/${channelName}`);
      await waitForChannel(page, channelName);
      await eventually(() => bodies(page).then((list) => list.length)).toBe(2);
      await check('channel', true);
      if (isPhone) expect(await smallTargets(page, 'header button')).toEqual([]);
      await page.goto(`/g/${group.room.id}`);
      await page.getByTestId('composer-input').waitFor();
      await eventually(() => bodies(page).then((list) => list.length)).toBe(2);
      await check('group', true);
      await page.goto(`/dm/${bob.user.username}`);
      await waitForDm(page, bob.user.username);
      await eventually(() => bodies(page).then((list) => list.length)).toBe(2);
      await check('dm', true);
      await page.goto('/account');
      await page.getByTestId('account-title').waitFor();
      await check('account', true);

      expect(overflowed).toEqual([]);
    }

    // The narrowest phones: a channel's and a DM's header at 320 px.
    const small = await phones.newPhonePage(server.url, { width: 320, height: 640 });
    await openSignedIn(small, server.url, alice.token, `/c/${channelName}`);
    await waitForChannel(small, channelName);
    expect([...(await horizontalOverflow(small)), ...(await headerOverlaps(small))]).toEqual([]);
    await shoot(small, 'channel-320');
    await small.goto(`/dm/${bob.user.username}`);
    await waitForDm(small, bob.user.username);
    expect([...(await horizontalOverflow(small)), ...(await headerOverlaps(small))]).toEqual([]);
    await shoot(small, 'dm-320');
  });
});
