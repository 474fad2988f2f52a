// Markup from another user stays inert text: a display name and message bodies full of HTML are
// shown literally (message list, online list, DM sidebar), create no elements, run no script on
// either page, and are stored exactly as sent.
import { describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { dmRoomId, type Ack, type MessagePage } from '@confab/shared';
import type { Page } from 'playwright-core';
import { account, bodies, eventually, send, signUp, sleep } from './support/app';
import { conversationItem } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

const NAME = '<img src=x onerror="window.__pwned=1">Mallory';
const SCRIPT = '<script>window.__pwned=2</script><b>bold?</b>';
const IMG = '<img src=x onerror="window.__pwned=3">';

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'confab_session');
  if (!cookie) throw new Error('not signed in');
  return `confab_session=${cookie.value}`;
}

async function me(page: Page): Promise<{ id: string; username: string }> {
  return ((await (await page.request.get('/api/auth/me')).json()) as { user: { id: string; username: string } }).user;
}

/** A protocol client of the page's user, to write or read what the UI does not show raw. */
async function socketOf(url: string, nsp: string, page: Page): Promise<Socket> {
  const socket = io(`${url}${nsp}`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: await sessionCookie(page) } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await socket.timeout(5_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code}`);
  return ack.data;
}

describe('HTML from another user', () => {
  it('is shown as literal text, creates no elements and never runs, and is stored exactly as sent', async () => {
    const server = await harness.startServer();
    const pageV = await harness.newPage(server.url);
    const pageM = await harness.newPage(server.url);
    await signUp(pageV, account('victor', 'Victor'));
    await signUp(pageM, account('mallory', NAME));
    const [mallory, victor] = [await me(pageM), await me(pageV)];
    const sockets: Socket[] = [];
    try {
      await send(pageM, SCRIPT);
      await eventually(() => bodies(pageM)).toEqual([SCRIPT]);
      await send(pageM, IMG);
      const dmFromMallory = await socketOf(server.url, '/dm', pageM);
      sockets.push(dmFromMallory);
      await ask(dmFromMallory, 'dm:send', { to: victor.id, clientId: 'inert-dm', body: IMG });

      await eventually(() => bodies(pageV)).toEqual([SCRIPT, IMG]);
      const inOnlineList = pageV.locator(`[data-testid="online-user"][data-user-id="${mallory.id}"]`).getByTestId('online-user-name');
      await eventually(() => inOnlineList.textContent()).toBe(NAME);
      await eventually(() => conversationItem(pageV, mallory.username).getByTestId('dm-conversation-name').textContent()).toBe(NAME);
      expect(await conversationItem(pageV, mallory.username).getByTestId('dm-conversation-preview').textContent()).toBe(IMG);
      // An onerror handler fires after the image fails to load: give it time to.
      await sleep(500);

      for (const page of [pageV, pageM]) {
        expect(await bodies(page)).toEqual([SCRIPT, IMG]);
        // Consecutive messages of one author share one name heading.
        expect([...new Set(await page.getByTestId('message-author').allTextContents())]).toEqual([NAME]);
        for (const region of [page.getByTestId('message-list'), page.getByRole('navigation', { name: 'Channels and direct messages' })]) {
          expect(await region.locator('script, img, b').count()).toBe(0);
        }
        const injected = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
          images: document.querySelectorAll('img[src="x"]').length,
          scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__pwned')).length,
        }));
        expect(injected).toEqual({ pwned: undefined, images: 0, scripts: 0 });
      }
      expect(await pageM.getByTestId('current-user').textContent()).toBe(NAME);

      const lobbyOfVictor = await socketOf(server.url, '/lobby', pageV);
      const dmOfVictor = await socketOf(server.url, '/dm', pageV);
      sockets.push(lobbyOfVictor, dmOfVictor);
      const lobby = await ask<MessagePage>(lobbyOfVictor, 'message:sync', { afterSeq: 0 });
      expect(lobby.messages.map((m) => [m.author.name, m.body])).toEqual([
        [NAME, SCRIPT],
        [NAME, IMG],
      ]);
      const dm = await ask<MessagePage>(dmOfVictor, 'dm:sync', { roomId: dmRoomId(mallory.id, victor.id), afterSeq: 0 });
      expect(dm.messages.map((m) => [m.author.name, m.body])).toEqual([[NAME, IMG]]);
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });
});
