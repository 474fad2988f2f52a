import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningServer } from '@confab/server';
import { dmRoomId } from '@confab/shared';
import { account, bodies, countOf, eventually, messageRow, registerViaApi, send, signIn, signUp, waitForLobby, type Account } from './support/app';
import { waitForDm } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();
const ROTATED_SECRET = `rotated-${'k'.repeat(40)}`;

/** The clientId under which this browser keeps the unsent message `body`. */
function keptClientId(page: Page, body: string): Promise<string | undefined> {
  return page.evaluate((wanted) => {
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i)!;
      if (!key.startsWith('confab:outbox:')) continue;
      const kept = JSON.parse(localStorage.getItem(key)!) as { items: { clientId: string; body: string }[] };
      const item = kept.items.find((i) => i.body === wanted);
      if (item) return item.clientId;
    }
    return undefined;
  }, body);
}

async function storedLobby(server: RunningServer) {
  return (await server.stores.messages.history('lobby', { limit: 100 })).messages;
}

/**
 * Signs `who` up, takes the server down, writes `body` (it shows pending), and brings the server
 * back with a new signing key, so the session has ended: the page is at the sign-in form.
 */
async function writeWhileDownThenLoseSession(who: Account, body: string, openRoom?: (server: RunningServer, page: Page) => Promise<void>) {
  const first = await harness.startServer();
  const page = await harness.newPage(first.url);
  await signUp(page, who);
  await openRoom?.(first, page);
  await eventually(() => page.getByTestId('sidebar-status').textContent()).toContain('Connected');
  await first.close();
  await eventually(() => page.getByTestId('composer-note').textContent()).toContain('You are offline');

  await send(page, body);
  expect(await messageRow(page, body).getAttribute('data-status')).toBe('pending');
  const clientId = await keptClientId(page, body);
  expect(clientId).toMatch(/^[0-9a-f]{32}$/);

  const server = await harness.startServer({ port: first.port, stores: first.stores, config: { sessionSecret: ROTATED_SECRET } });
  await page.waitForURL((url) => url.pathname === '/signin', { timeout: 15_000 });
  await page.getByTestId('session-expired').waitFor();
  return { page, server, clientId: clientId! };
}

describe('the outbox outlives the session', () => {
  it('a message written while the server was down goes out once, under its original clientId, after signing in again', async () => {
    const nina = account('nina', 'Nina Noor');
    const body = 'written while the server was down';
    const { page, server, clientId } = await writeWhileDownThenLoseSession(nina, body);
    expect(await storedLobby(server)).toEqual([]);

    await signIn(page, nina);
    await waitForLobby(page);
    await eventually(() => messageRow(page, body).getAttribute('data-status'), 15_000).toBe('sent');
    const stored = await storedLobby(server);
    expect(stored.map((m) => [m.body, m.clientId, m.author.name])).toEqual([[body, clientId, 'Nina Noor']]);

    // Nothing is left to send: a reload shows it once and stores nothing more.
    await page.reload();
    await waitForLobby(page);
    await eventually(() => bodies(page)).toEqual([body]);
    expect(await page.getByTestId('message-pending').count()).toBe(0);
    expect(await keptClientId(page, body)).toBeUndefined();
    expect(await storedLobby(server)).toHaveLength(1);
  });

  it('a message the server stored although its ack was lost is not stored twice', async () => {
    const omar = account('omar', 'Omar Ortiz');
    const body = 'stored, but the ack never came';
    const { page, server, clientId } = await writeWhileDownThenLoseSession(omar, body);
    const user = (await server.stores.users.findByUsername(omar.username))!;
    await server.stores.messages.append({ roomId: 'lobby', clientId, author: { id: user.id, name: user.displayName }, body, createdAt: new Date() });

    await signIn(page, omar);
    await waitForLobby(page);
    await eventually(() => messageRow(page, body).getAttribute('data-status'), 15_000).toBe('sent');
    // The kept copy was taken back and settled by the stored one, not sent as a second message.
    await eventually(() => keptClientId(page, body)).toBeUndefined();
    expect(countOf(await bodies(page), body)).toBe(1);
    expect((await storedLobby(server)).map((m) => m.clientId)).toEqual([clientId]);
  });

  it('another user signing in on that browser does not send it; it goes out when its author is back', async () => {
    const pia = account('pia', 'Pia Park');
    const quinn = account('quinn', 'Quinn Quill');
    const body = 'for Pia to send, never Quinn';
    const { page, server } = await writeWhileDownThenLoseSession(pia, body);
    await registerViaApi(server.url, quinn);

    await signIn(page, quinn);
    await waitForLobby(page);
    // Sends go out in order, so once Quinn's own message is stored, Pia's would have been too.
    await send(page, 'Quinn here');
    await eventually(() => messageRow(page, 'Quinn here').getAttribute('data-status'), 15_000).toBe('sent');
    expect(await bodies(page)).toEqual(['Quinn here']);
    expect((await storedLobby(server)).map((m) => [m.author.name, m.body])).toEqual([['Quinn Quill', 'Quinn here']]);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await signIn(page, pia);
    await waitForLobby(page);
    await eventually(() => messageRow(page, body).getAttribute('data-status'), 15_000).toBe('sent');
    expect((await storedLobby(server)).map((m) => [m.author.name, m.body])).toEqual([
      ['Quinn Quill', 'Quinn here'],
      ['Pia Park', body],
    ]);
  });

  it('a DM written while the server was down goes out after signing in again, though its conversation is not open', async () => {
    const rosa = account('rosa', 'Rosa Reyes');
    const sam = account('sam', 'Sam Stone');
    const body = 'a private word, written offline';
    let samId = '';
    const { page, server, clientId } = await writeWhileDownThenLoseSession(rosa, body, async (first, p) => {
      samId = (await registerViaApi(first.url, sam)).user.id;
      await p.goto(`/dm/${sam.username}`);
      await waitForDm(p, sam.username);
    });
    const rosaId = (await server.stores.users.findByUsername(rosa.username))!.id;

    await page.goto('/signin');
    await signIn(page, rosa);
    await waitForLobby(page);
    const room = dmRoomId(rosaId, samId);
    await eventually(async () => (await server.stores.messages.history(room, { limit: 10 })).messages.map((m) => [m.body, m.clientId]), 15_000).toEqual([
      [body, clientId],
    ]);
    expect(await bodies(page)).toEqual([]);
  });
});
