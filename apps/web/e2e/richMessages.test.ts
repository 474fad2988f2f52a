import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dmRoomId, LOBBY_ROOM_ID, type Ack, type MessageDto, type RoomSummaryDto } from '@confab/shared';
import { account, bodies, eventually, messageRow, registerViaApi, send, sleep, waitForLobby } from './support/app';
import { openSignedIn, setHidden, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { createChannelAs, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

/** A protocol client on `/lobby` for a session token: posts without the UI. */
async function lobbyClient(baseUrl: string, token: string) {
  const socket: Socket = io(`${baseUrl}/lobby`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  async function ask<T>(event: string, payload: unknown): Promise<T> {
    const ack = (await socket.timeout(5_000).emitWithAck(event, payload)) as Ack<T>;
    if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }
  return {
    ask,
    post: (body: string, roomId = LOBBY_ROOM_ID) => ask<MessageDto>('message:send', { roomId, clientId: randomUUID(), body }),
    close: () => void socket.disconnect(),
  };
}

/** Two signed-in users on one server, each on their own page at `path`. */
async function twoUsers(path = '/', config: Parameters<typeof harness.startServer>[0] = {}) {
  const server = await harness.startServer(config);
  const alice = account('alice', 'Alice Archer');
  const bob = account('bob', 'Bob Baker');
  const a = await registerViaApi(server.url, alice);
  const b = await registerViaApi(server.url, bob);
  const pageA = await harness.newPage(server.url);
  const pageB = await harness.newPage(server.url);
  return { server, alice, bob, a, b, pageA, pageB, open: (page: Page, token: string, to = path) => openSignedIn(page, server.url, token, to) };
}

/** The reaction chip for `emoji` on the message whose text is `body`. */
function chip(page: Page, body: string, emoji: string) {
  return messageRow(page, body).locator(`[data-testid="reaction"][data-emoji="${emoji}"]`);
}

/** The chip's count as shown, or null while there is no such chip (never waits, so it can be polled). */
async function chipCount(page: Page, body: string, emoji: string): Promise<string | null> {
  return (await chip(page, body, emoji).getByTestId('reaction-count').allTextContents())[0] ?? null;
}

describe('rich messages', () => {
  it('Alice edits her lobby message: Bob sees the new text marked "(edited)", and the old text nowhere, live and after a reload', async () => {
    const { a, b, pageA, pageB, open } = await twoUsers();
    await open(pageA, a.token);
    await open(pageB, b.token);
    await waitForLobby(pageA);
    await waitForLobby(pageB);

    await send(pageA, 'Lunch at noon?');
    await eventually(() => bodies(pageB)).toEqual(['Lunch at noon?']);
    // Bob is offered no Edit on Alice's message.
    await messageRow(pageB, 'Lunch at noon?').hover();
    expect(await pageB.getByTestId('message-edit').count()).toBe(0);

    // Up in Alice's empty composer edits her last message; Escape leaves it as it was.
    await pageA.getByTestId('composer-input').press('ArrowUp');
    const input = pageA.getByTestId('message-edit-input');
    await eventually(() => input.inputValue()).toBe('Lunch at noon?');
    await input.press('Escape');
    await eventually(() => pageA.getByTestId('message-editor').count()).toBe(0);
    expect(await bodies(pageA)).toEqual(['Lunch at noon?']);

    // The Edit action, then Enter saves.
    const row = messageRow(pageA, 'Lunch at noon?');
    await row.hover();
    await row.getByTestId('message-edit').click();
    await input.fill('Lunch at one?');
    await input.press('Enter');

    for (const page of [pageA, pageB]) {
      await eventually(() => bodies(page)).toEqual(['Lunch at one?']);
      // "(edited)" on screen, with the time in its text (read out; shown on a tap on touch screens) and its title.
      await eventually(() => page.getByTestId('message-edited').allTextContents()).toEqual([expect.stringMatching(/^\(edited .*\d.*\)$/)]);
      expect(await page.getByTestId('message-edited').getAttribute('title')).toMatch(/^Edited .*\d/);
      expect(await page.locator('body').textContent()).not.toContain('noon');
    }
    await pageB.reload();
    await waitForLobby(pageB);
    await eventually(() => bodies(pageB)).toEqual(['Lunch at one?']);
    expect(await pageB.getByTestId('message-edited').count()).toBe(1);
    expect(await pageB.locator('body').textContent()).not.toContain('noon');
  });

  it('an edit the server refuses (its window closed) shows why and keeps the text; then Edit is no longer offered', async () => {
    const { a, pageA, open } = await twoUsers('/', { config: { editWindowMs: 4_000 } });
    await open(pageA, a.token);
    await waitForLobby(pageA);
    await send(pageA, 'Short window');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    const row = messageRow(pageA, 'Short window');
    await row.hover();
    await row.getByTestId('message-edit').click();
    const input = pageA.getByTestId('message-edit-input');
    await input.fill('Short window, edited too late');
    await pageA.waitForTimeout(4_500);
    await input.press('Enter');
    await eventually(() => pageA.getByTestId('message-edit-error').textContent()).toContain('Could not save');
    expect(await input.inputValue()).toBe('Short window, edited too late');
    await input.press('Escape');
    expect(await bodies(pageA)).toEqual(['Short window']);
    // The window closed about a second ago: Edit went then, not at some later tick.
    await row.hover();
    await eventually(() => row.getByTestId('message-edit').count(), 1_500).toBe(0);
  });

  it('Bob replies to an old message; after a reload, clicking the quote loads history back to it and highlights it', async () => {
    const { server, a, b, pageB, open } = await twoUsers();
    const alice = await lobbyClient(server.url, a.token);
    const original = await alice.post('The plan: meet at the north entrance');
    await open(pageB, b.token);
    await waitForLobby(pageB);
    await eventually(() => bodies(pageB)).toEqual(['The plan: meet at the north entrance']);

    const row = messageRow(pageB, 'The plan: meet at the north entrance');
    await row.hover();
    await row.getByTestId('message-reply').click();
    await eventually(() => pageB.getByTestId('reply-bar').textContent()).toContain('Replying to Alice Archer');
    expect(await pageB.getByTestId('reply-bar-excerpt').textContent()).toBe('The plan: meet at the north entrance');
    // Alice edits it while Bob writes: his reply bar shows the new text.
    await alice.ask('message:edit', { id: original.id, body: 'The plan: meet at the north gate' });
    await eventually(() => pageB.getByTestId('reply-bar-excerpt').textContent()).toBe('The plan: meet at the north gate');
    // Meanwhile the lobby moves on: the original ends up far above the newest page.
    for (let i = 1; i <= 65; i += 1) await alice.post(`filler ${i}`);
    await eventually(() => bodies(pageB).then((list) => list.at(-1))).toBe('filler 65');
    await send(pageB, 'Works for me');
    await eventually(() => pageB.getByTestId('reply-bar').count()).toBe(0);
    const reply = messageRow(pageB, 'Works for me');
    await eventually(() => reply.getAttribute('data-status')).toBe('sent');
    expect(await reply.getByTestId('reply-quote').textContent()).toContain('The plan: meet at the north gate');

    await pageB.reload();
    await waitForLobby(pageB);
    await eventually(() => bodies(pageB).then((list) => list.at(-1))).toBe('Works for me');
    expect(await pageB.locator(`[data-message-id="${original.id}"]`).count()).toBe(0);
    await messageRow(pageB, 'Works for me').getByTestId('reply-quote').click();
    const target = pageB.locator(`[data-message-id="${original.id}"]`);
    await eventually(() => target.getAttribute('data-highlighted')).toBe('true');
    // The focus moved with the view, off the quote scrolled away.
    expect(await target.evaluate((el) => document.activeElement === el)).toBe(true);
    // In view inside the list.
    const inView = await target.evaluate((el) => {
      const list = el.closest('[data-testid="message-list"]')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return box.top >= list.top && box.bottom <= list.bottom;
    });
    expect(inView).toBe(true);

    // The original is edited, then recalled: the quote follows.
    await alice.ask('message:edit', { id: original.id, body: 'New plan: the south entrance' });
    await eventually(() => messageRow(pageB, 'Works for me').getByTestId('reply-quote-text').textContent()).toBe('New plan: the south entrance');
    await alice.ask('message:recall', { id: original.id });
    await eventually(() => messageRow(pageB, 'Works for me').getByTestId('reply-quote-text').textContent()).toBe('Original message was recalled');
    expect(await pageB.locator('body').textContent()).not.toContain('south entrance');
    alice.close();
  });

  it('reactions from two users in a DM: counts, the reader\'s own highlighted, names on hover, toggled by clicking', async () => {
    const { alice, bob, a, b, pageA, pageB, open } = await twoUsers();
    await open(pageA, a.token, `/dm/${bob.username}`);
    await waitForDm(pageA, bob.username);
    await send(pageA, 'Shipped the release');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    await open(pageB, b.token, `/dm/${alice.username}`);
    await waitForDm(pageB, alice.username);
    await eventually(() => bodies(pageB)).toEqual(['Shipped the release']);

    // Bob reacts from the menu's quick picks.
    const row = messageRow(pageB, 'Shipped the release');
    await row.hover();
    await row.getByTestId('message-react').click();
    await pageB.getByTestId('emoji-menu').waitFor({ timeout: 10_000 });
    await pageB.locator('[data-testid="emoji-quick-pick"][data-emoji="🎉"]').click();
    await eventually(() => pageB.getByTestId('emoji-menu').count()).toBe(0);
    for (const page of [pageA, pageB]) await eventually(() => chipCount(page, 'Shipped the release', '🎉')).toBe('1');
    expect(await chip(pageB, 'Shipped the release', '🎉').getAttribute('aria-pressed')).toBe('true');
    expect(await chip(pageA, 'Shipped the release', '🎉').getAttribute('aria-pressed')).toBe('false');

    // Alice adds hers by clicking the chip: two, both names on hover.
    await chip(pageA, 'Shipped the release', '🎉').click();
    for (const page of [pageA, pageB]) {
      await eventually(() => chipCount(page, 'Shipped the release', '🎉')).toBe('2');
      expect(await chip(page, 'Shipped the release', '🎉').getAttribute('aria-pressed')).toBe('true');
      expect(await chip(page, 'Shipped the release', '🎉').getAttribute('title')).toBe('Bob Baker and Alice Archer reacted with 🎉');
    }

    // Bob takes his back: one left, Alice's, still highlighted for her only.
    await chip(pageB, 'Shipped the release', '🎉').click();
    for (const page of [pageA, pageB]) await eventually(() => chipCount(page, 'Shipped the release', '🎉')).toBe('1');
    expect(await chip(pageA, 'Shipped the release', '🎉').getAttribute('aria-pressed')).toBe('true');
    expect(await chip(pageB, 'Shipped the release', '🎉').getAttribute('aria-pressed')).toBe('false');

    // The full picker is loaded on demand, its data from this server, and picking from it reacts.
    const requests: string[] = [];
    pageB.on('request', (request) => requests.push(request.url()));
    await row.hover();
    await row.getByTestId('message-react').click();
    const search = pageB.locator('emoji-picker input[type="search"]');
    await search.waitFor({ timeout: 10_000 });
    await search.fill('thumbs up');
    await pageB.locator('emoji-picker #search-results [role="option"]').first().click({ timeout: 10_000 });
    for (const page of [pageA, pageB]) await eventually(() => chipCount(page, 'Shipped the release', '👍')).toBe('1');
    expect(requests.some((url) => /\.json($|\?)/.test(url))).toBe(true);
    expect(requests.filter((url) => !url.startsWith(new URL(pageB.url()).origin))).toEqual([]);
    // The picked emoji is now the first quick pick.
    await row.hover();
    await row.getByTestId('message-react').click();
    expect(await pageB.getByTestId('emoji-quick-pick').first().getAttribute('data-emoji')).toBe('👍');
    // Quick picks show what Bob has already reacted with, and picking one again keeps it (only his chip takes it back).
    const quickPick = (emoji: string) => pageB.locator(`[data-testid="emoji-quick-pick"][data-emoji="${emoji}"]`);
    expect(await quickPick('👍').getAttribute('aria-pressed')).toBe('true');
    expect(await quickPick('🎉').getAttribute('aria-pressed')).toBe('false');
    await quickPick('👍').click();
    await eventually(() => pageB.getByTestId('emoji-menu').count()).toBe(0);
    await sleep(300);
    for (const page of [pageA, pageB]) expect(await chipCount(page, 'Shipped the release', '👍')).toBe('1');
    expect(await chip(pageB, 'Shipped the release', '👍').getAttribute('aria-pressed')).toBe('true');
  });

  it('the keyboard reaches a message\'s actions (one Tab stop for the list, one for its toolbar, arrows within); the emoji menu survives a resize, closes when the focus leaves it, and Escape gives the focus back', async () => {
    const { a, pageA, open } = await twoUsers();
    await open(pageA, a.token);
    await waitForLobby(pageA);
    await send(pageA, 'first');
    await send(pageA, 'second');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(2);
    const focused = () => pageA.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
    const focusedBody = () => pageA.evaluate(() => document.activeElement?.querySelector('[data-testid="message-body"]')?.textContent ?? null);

    // Back from the composer: the newest message, then Up and Down between messages.
    await pageA.getByTestId('composer-input').press('Shift+Tab');
    expect(await focusedBody()).toBe('second');
    await pageA.keyboard.press('ArrowUp');
    expect(await focusedBody()).toBe('first');
    await pageA.keyboard.press('ArrowDown');
    expect(await focusedBody()).toBe('second');
    // Into its toolbar, shown now: arrows move along it.
    await pageA.keyboard.press('Tab');
    expect(await focused()).toBe('message-react');
    await pageA.keyboard.press('ArrowRight');
    expect(await focused()).toBe('message-reply');
    await pageA.keyboard.press('End');
    expect(await focused()).toBe('message-recall');
    await pageA.keyboard.press('Home');
    expect(await focused()).toBe('message-react');
    // The toolbar is one stop: Tab leaves it.
    await pageA.keyboard.press('Tab');
    expect(['message-reply', 'message-edit', 'message-recall']).not.toContain(await focused());

    // Back to the message, and into its toolbar again.
    await pageA.keyboard.press('Shift+Tab');
    expect(await focusedBody()).toBe('second');
    await pageA.keyboard.press('Tab');
    expect(await focused()).toBe('message-react');
    await pageA.keyboard.press('Enter');
    const menu = pageA.getByTestId('emoji-menu');
    await menu.waitFor();
    expect(await focused()).toBe('emoji-quick-pick');
    // A phone's on-screen keyboard resizes the page: the menu stays.
    await pageA.setViewportSize({ width: 900, height: 520 });
    await sleep(200);
    expect(await menu.count()).toBe(1);
    await pageA.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    expect(await focused()).toBe('message-react');

    // Shift+Tab out of the menu: it closes, and the focus stays where it went.
    await pageA.keyboard.press('Enter');
    await menu.waitFor();
    await pageA.keyboard.press('Shift+Tab');
    await eventually(() => menu.count()).toBe(0);
    expect(await focused()).not.toBe('message-react');
  });

  it('a message cannot take more distinct reactions than the server allows: the refusal is shown', async () => {
    const { a, pageA, open } = await twoUsers('/', { config: { reactionsPerMessageMax: 2 } });
    await open(pageA, a.token);
    await waitForLobby(pageA);
    await send(pageA, 'React to me');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    const row = messageRow(pageA, 'React to me');
    for (const emoji of ['👍', '❤️', '😂']) {
      await row.hover();
      await row.getByTestId('message-react').click();
      await pageA.locator(`[data-testid="emoji-quick-pick"][data-emoji="${emoji}"]`).click();
      if (emoji !== '😂') await eventually(() => chip(pageA, 'React to me', emoji).count()).toBe(1);
    }
    await eventually(() => row.getByTestId('message-action-error').textContent()).toContain('at most 2');
    expect(await row.getByTestId('reaction').count()).toBe(2);
  });

  it('opening the lobby with unread messages shows the "New messages" line above the first one and starts the view there', async () => {
    const { server, a, b, pageB, open } = await twoUsers();
    const alice = await lobbyClient(server.url, a.token);
    for (let i = 1; i <= 5; i += 1) await alice.post(`read ${i}`);
    const bobDm = await roomClient(server.url, b.token);
    const lastRead = await alice.post('read 6');
    await bobDm.ask('dm:read', { roomId: LOBBY_ROOM_ID, seq: lastRead.seq });
    bobDm.close();
    for (let i = 1; i <= 40; i += 1) await alice.post(`unread ${i}`);
    alice.close();

    await open(pageB, b.token);
    await waitForLobby(pageB);
    const line = pageB.getByTestId('new-messages-line');
    await line.waitFor();
    // The line sits right above the first unread message, which is in view; the newest is not.
    const following = await line.evaluate((el) => el.nextElementSibling?.querySelector('[data-testid="message-body"]')?.textContent ?? null);
    expect(following).toBe('unread 1');
    const visible = (body: string) =>
      messageRow(pageB, body).evaluate((el) => {
        const list = el.closest('[data-testid="message-list"]')!.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return box.bottom > list.top && box.top < list.bottom;
      });
    await eventually(() => visible('unread 1')).toBe(true);
    expect(await visible('unread 40')).toBe(false);
    await eventually(() => pageB.getByTestId('jump-to-latest').textContent()).toMatch(/\d+ new messages?/);

    // Reading to the bottom keeps the line where it was while the room stays open.
    await pageB.getByTestId('jump-to-latest').click();
    await eventually(() => visible('unread 40')).toBe(true);
    expect(await line.count()).toBe(1);
    // Read to the bottom: the mark reaches the server.
    const bobLater = await roomClient(server.url, b.token);
    const lobbyReadSeq = async () => (await bobLater.ask<{ rooms: RoomSummaryDto[] }>('room:list', {})).rooms.find((r) => r.room.id === LOBBY_ROOM_ID)?.myReadSeq;
    await eventually(lobbyReadSeq).toBe(lastRead.seq + 40);
    bobLater.close();
    // Once read and left, the room opens at the bottom with no line.
    await pageB.goto('/account');
    await pageB.getByTestId('sidebar').waitFor();
    await pageB.goto('/');
    await waitForLobby(pageB);
    await eventually(() => bodies(pageB).then((list) => list.at(-1))).toBe('unread 40');
    await eventually(() => visible('unread 40')).toBe(true);
    expect(await pageB.getByTestId('new-messages-line').count()).toBe(0);
  });

  it('in a DM too: the "New messages" line on opening, a reply, and an edit with Up that the reply\'s quote follows', async () => {
    const { server, alice, bob, a, b, pageA, pageB, open } = await twoUsers();
    const aliceDm = await roomClient(server.url, a.token);
    const dmSend = (body: string) => aliceDm.ask<MessageDto>('dm:send', { to: b.user.id, clientId: randomUUID(), body });
    for (let i = 1; i <= 3; i += 1) await dmSend(`seen ${i}`);
    const bobDm = await roomClient(server.url, b.token);
    await bobDm.ask('dm:read', { roomId: dmRoomId(a.user.id, b.user.id), seq: 3 });
    bobDm.close();
    for (let i = 1; i <= 30; i += 1) await dmSend(`news ${i}`);
    aliceDm.close();

    await open(pageB, b.token, `/dm/${alice.username}`);
    await waitForDm(pageB, alice.username);
    const line = pageB.getByTestId('new-messages-line');
    await line.waitFor();
    expect(await line.evaluate((el) => el.nextElementSibling?.querySelector('[data-testid="message-body"]')?.textContent ?? null)).toBe('news 1');

    const row = messageRow(pageB, 'news 30');
    await row.scrollIntoViewIfNeeded();
    await row.hover();
    await row.getByTestId('message-reply').click();
    await send(pageB, 'Got all thirty');
    await eventually(() => messageRow(pageB, 'Got all thirty').getByTestId('reply-quote-text').textContent()).toBe('news 30');

    await open(pageA, a.token, `/dm/${bob.username}`);
    await waitForDm(pageA, bob.username);
    await eventually(() => bodies(pageA).then((list) => list.at(-1))).toBe('Got all thirty');
    // Up edits Alice's last own message (news 30), not Bob's reply after it.
    await pageA.getByTestId('composer-input').press('ArrowUp');
    const input = pageA.getByTestId('message-edit-input');
    await eventually(() => input.inputValue()).toBe('news 30');
    await input.fill('news 30, corrected');
    await input.press('Enter');
    for (const page of [pageA, pageB]) {
      await eventually(() => messageRow(page, 'Got all thirty').getByTestId('reply-quote-text').textContent()).toBe('news 30, corrected');
      await eventually(() => messageRow(page, 'news 30, corrected').getByTestId('message-edited').count()).toBe(1);
    }
    // Bob's line stayed where it was while he was in the room.
    expect(await line.count()).toBe(1);
  });

  it('with nothing unread on opening, messages that arrive while Bob watches get no "New messages" line; one that arrives while his tab is away does, and it stays', async () => {
    const { server, alice, a, b, pageB, open } = await twoUsers();
    const aliceDm = await roomClient(server.url, a.token);
    const dmSend = (body: string) => aliceDm.ask<MessageDto>('dm:send', { to: b.user.id, clientId: randomUUID(), body });
    const roomId = dmRoomId(a.user.id, b.user.id);
    const bobDm = await roomClient(server.url, b.token);
    await bobDm.ask('dm:read', { roomId, seq: (await dmSend('already read')).seq });
    bobDm.close();

    await open(pageB, b.token, `/dm/${alice.username}`);
    await waitForDm(pageB, alice.username);
    await eventually(() => bodies(pageB)).toEqual(['already read']);
    const line = pageB.getByTestId('new-messages-line');
    expect(await line.count()).toBe(0);

    await dmSend('while watching');
    await dmSend('still watching');
    await eventually(() => bodies(pageB)).toEqual(['already read', 'while watching', 'still watching']);
    await eventually(() => server.stores.conversations.readSeq(roomId, b.user.id)).toBe(3);
    expect(await line.count()).toBe(0);

    await setHidden(pageB, true);
    await dmSend('while away');
    await eventually(() => bodies(pageB).then((list) => list.at(-1))).toBe('while away');
    await line.waitFor();
    await setHidden(pageB, false);
    await dmSend('back again');
    await eventually(() => server.stores.conversations.readSeq(roomId, b.user.id)).toBe(5);
    expect(await pageB.getByTestId('new-messages-line').count()).toBe(1);
    expect(await line.evaluate((el) => el.nextElementSibling?.querySelector('[data-testid="message-body"]')?.textContent ?? null)).toBe('while away');
    aliceDm.close();
  });

  it('typing @ in a channel offers its members: the keyboard picks @bob, and Bob sees the message highlighted as mentioning him', async () => {
    const { server, bob, a, b, pageA, pageB, open } = await twoUsers();
    const summary = await createChannelAs(server.url, a.token, 'planning');
    const bobDm = await roomClient(server.url, b.token);
    await bobDm.ask<RoomSummaryDto>('room:join', { roomId: summary.room.id });
    bobDm.close();
    await open(pageA, a.token, '/c/planning');
    await waitForChannel(pageA, 'planning');
    await open(pageB, b.token, '/c/planning');
    await waitForChannel(pageB, 'planning');

    const input = pageA.getByTestId('composer-input');
    await input.pressSequentially('Can you review this, @b');
    const menu = pageA.getByTestId('mention-menu');
    await menu.waitFor();
    // A textarea keeps its textbox role; it names the open list and its active option.
    expect(await input.getAttribute('role')).toBeNull();
    expect(await input.getAttribute('aria-autocomplete')).toBe('list');
    expect(await input.getAttribute('aria-controls')).toBe(await menu.getAttribute('id'));
    expect(await menu.getAttribute('role')).toBe('listbox');
    await eventually(() => menu.locator('[role="option"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-username')))).toEqual([bob.username]);
    expect(await input.getAttribute('aria-activedescendant')).toBe(await menu.locator('[role="option"]').first().getAttribute('id'));
    await input.press('Enter');
    expect(await input.inputValue()).toBe(`Can you review this, @${bob.username} `);
    expect(await menu.count()).toBe(0);
    expect(await input.getAttribute('aria-controls')).toBeNull();
    expect(await input.getAttribute('aria-activedescendant')).toBeNull();
    // Escape closes the menu and leaves the text as typed.
    await input.pressSequentially('and @a');
    await menu.waitFor();
    await input.press('Escape');
    expect(await menu.count()).toBe(0);
    await input.press('Backspace');
    await input.press('Backspace');
    await input.press('Enter');

    const body = `Can you review this, @${bob.username} and`;
    await eventually(() => bodies(pageB)).toEqual([body]);
    await eventually(() => messageRow(pageB, body).getAttribute('data-mentions-me')).toBe('true');
    expect(await messageRow(pageA, body).getAttribute('data-mentions-me')).toBeNull();

    // In the lobby, `@` searches the directory.
    await pageA.goto('/');
    await waitForLobby(pageA);
    await pageA.getByTestId('composer-input').pressSequentially(`@${bob.username.slice(0, 5)}`);
    await eventually(() => pageA.getByTestId('mention-option').evaluateAll((els) => els.map((el) => el.getAttribute('data-username')))).toEqual([bob.username]);
  });
});
