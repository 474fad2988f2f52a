// Text from other users is data, never layout or authority: look-alike names stay tellable apart,
// no name can turn the words around it, and no name, body or link widens a view.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { LOBBY_ROOM_ID, type UserDto } from '@confab/shared';
import type { StoredMessage, Stores } from '@confab/server';
import type { Page } from 'playwright-core';
import { account, eventually, registerViaApi, waitForLobby } from './support/app';
import { openSignedIn, postDirectMessage, waitForDm } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

async function postLobby(stores: Stores, author: UserDto, body: string): Promise<StoredMessage> {
  const { message } = await stores.messages.append({ roomId: LOBBY_ROOM_ID, clientId: randomUUID(), author: { id: author.id, name: author.displayName }, body, createdAt: new Date() });
  return message;
}

/** Connects a lobby socket for a user registered over the API: it shows as online. */
async function goOnline(url: string, token: string): Promise<Socket> {
  const socket = io(`${url}/lobby`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Every place that scrolls sideways: the page itself, and each element that scrolls. */
function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) {
      // Name what sticks out, so a failure says where to look.
      const out = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5);
      found.push(`page ${root.scrollWidth} > ${root.clientWidth}: ${out.slice(-4).map((el) => `${el.tagName.toLowerCase()}.${el.className}`).join(', ')}`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const { overflowX } = getComputedStyle(el);
      if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth) {
        found.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return found;
  });
}

describe('telling people apart', () => {
  it('accounts with the same or a look-alike display name show their @usernames in the lobby and the online list, and in every hover title', async () => {
    const server = await harness.startServer();
    const alice = await registerViaApi(server.url, account('alice_x', 'Alice Admin'));
    const mallory = await registerViaApi(server.url, account('mallory_x', 'Alice Admin'));
    // Cyrillic А and е: drawn like the Latin letters, a different name to the server.
    const eve = await registerViaApi(server.url, account('eve_x', '\u0410lic\u0435 Admin'));
    const victor = await registerViaApi(server.url, account('victor', 'Victor'));
    await postLobby(server.stores, alice.user, 'I am the real admin');
    await postLobby(server.stores, mallory.user, 'Send me your password');
    await postLobby(server.stores, eve.user, 'Me too');
    const sockets = [await goOnline(server.url, alice.token), await goOnline(server.url, mallory.token)];
    try {
      const page = await harness.newPage(server.url);
      await openSignedIn(page, server.url, victor.token);
      await waitForLobby(page);

      const rows = page.getByTestId('message');
      await eventually(() => rows.getByTestId('user-handle').allTextContents()).toEqual([`@${alice.user.username}`, `@${mallory.user.username}`, `@${eve.user.username}`]);
      expect(await rows.getByTestId('message-author').allTextContents()).toEqual(['Alice Admin', 'Alice Admin', eve.user.displayName]);
      const titles = await rows.locator('.user-name').evaluateAll((els) => els.map((el) => el.getAttribute('title')));
      expect(titles).toEqual([`Alice Admin (@${alice.user.username})`, `Alice Admin (@${mallory.user.username})`, `${eve.user.displayName} (@${eve.user.username})`]);

      const online = (user: UserDto) => page.locator(`[data-testid="online-user"][data-user-id="${user.id}"]`);
      await eventually(() => online(alice.user).getByTestId('user-handle').textContent()).toBe(`@${alice.user.username}`);
      await eventually(() => online(mallory.user).getByTestId('user-handle').textContent()).toBe(`@${mallory.user.username}`);
      // A name nobody else shares needs no handle beside it, only in its title.
      expect(await online(victor.user).getByTestId('user-handle').count()).toBe(0);
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });
});

describe('a display name stored before direction controls were refused', () => {
  it('cannot turn "recalled a message" or the time after it around: the name is isolated', async () => {
    const server = await harness.startServer();
    // Straight into the store, past the schema, as a name from before the rule was.
    const created = await server.stores.users.create({ username: `old_${randomUUID().slice(0, 8)}`, displayName: 'Mallory\u202E', passwordHash: 'unused', createdAt: new Date() });
    if (created === 'username_taken') throw new Error('username taken');
    const old: UserDto = { id: created.id, username: created.username, displayName: created.displayName };
    await postLobby(server.stores, old, 'still here');
    const recalled = await postLobby(server.stores, old, 'take this back');
    await server.stores.messages.erase(recalled.id, new Date());
    await server.stores.messages.append({
      roomId: LOBBY_ROOM_ID,
      clientId: `recall:${recalled.id}`,
      author: { id: old.id, name: old.displayName },
      body: '',
      createdAt: new Date(),
      recall: { messageId: recalled.id, seq: recalled.seq },
    });
    const victor = await registerViaApi(server.url, account('victor', 'Victor'));
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, victor.token);
    await waitForLobby(page);

    const tombstone = page.getByTestId('message-recalled');
    await eventually(() => tombstone.textContent()).toBe('Mallory\u202E recalled a message');
    const layout = await tombstone.evaluate((p) => {
      // Where each word of the text after the name starts on screen.
      const text = [...p.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes('recalled'))!;
      const left = (word: string) => {
        const range = document.createRange();
        const at = text.textContent!.indexOf(word);
        range.setStart(text, at);
        range.setEnd(text, at + 1);
        return range.getBoundingClientRect().left;
      };
      const name = p.querySelector('bdi');
      return {
        order: [left('recalled'), left(' a '), left('message')],
        isolation: name ? getComputedStyle(name).unicodeBidi : null,
        nameLeft: name?.getBoundingClientRect().left ?? null,
      };
    });
    // Left to right: the name, then "recalled", "a", "message".
    expect(layout.order).toEqual([...layout.order].sort((a, b) => a - b));
    expect(layout.isolation).toBe('isolate');
    expect(layout.nameLeft).toBeLessThan(layout.order[0]!);

    const header = page.getByTestId('message').filter({ hasText: 'still here' }).locator('.meta');
    const [nameBox, timeBox] = [await header.locator('bdi').boundingBox(), await header.locator('time').boundingBox()];
    expect(nameBox!.x + nameBox!.width).toBeLessThanOrEqual(timeBox!.x);
  });
});

describe('long names, bodies and links', () => {
  const LONG_NAME = 'W'.repeat(64);
  const LONG_BODY = 'x'.repeat(500);
  const LONG_URL = `https://example.com/${'a1b2c3'.repeat(60)}?q=${'z'.repeat(120)}`;

  it.each([1280, 390])('never make the lobby or a DM scroll sideways at %i px', async (width) => {
    const server = await harness.startServer();
    const long = await registerViaApi(server.url, account('long', LONG_NAME));
    const victor = await registerViaApi(server.url, account('victor', 'Victor'));
    for (const body of [LONG_BODY, LONG_URL]) {
      await postLobby(server.stores, long.user, body);
      await postDirectMessage(server.stores, long.user, victor.user, body);
    }
    const socket = await goOnline(server.url, long.token);
    try {
      const page = await harness.newPage(server.url, { width, height: 800 });
      await openSignedIn(page, server.url, victor.token);
      await waitForLobby(page);
      await eventually(() => page.getByTestId('message-body').allTextContents()).toEqual([LONG_BODY, LONG_URL]);
      if (width > 720) await eventually(() => page.getByTestId('online-user').count()).toBe(2);
      expect(await sidewaysScrollers(page)).toEqual([]);

      await page.goto(`/dm/${long.user.username}`);
      await waitForDm(page, long.user.username);
      await eventually(() => page.getByTestId('message-body').allTextContents()).toEqual([LONG_BODY, LONG_URL]);
      expect(await page.getByTestId('dm-title').textContent()).toBe(LONG_NAME);
      expect(await sidewaysScrollers(page)).toEqual([]);
      // Cut to fit, and shown whole on hover.
      expect(await page.locator('h1.title').getAttribute('title')).toBe(LONG_NAME);
      // Who this is stays readable beside the user menu: some of the name, and the whole @username.
      const topic = page.getByTestId('dm-title-topic');
      expect(await topic.textContent()).toBe(`@${long.user.username}`);
      expect(await topic.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      const [title, handle, menu] = await Promise.all([page.getByTestId('dm-title'), topic, page.getByTestId('user-menu')].map((el) => el.boundingBox()));
      expect(title!.width).toBeGreaterThan(40);
      expect(handle!.x + handle!.width).toBeLessThanOrEqual(menu!.x + 1);
    } finally {
      socket.disconnect();
    }
  });
});
