import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createMemoryStores, type RunningServer } from '@confab/server';
import { dmRoomId, fileUrl, thumbnailUrl } from '@confab/shared';
import { account, eventually, messageRow, registerViaApi, send, signIn, waitForLobby, type Account } from './support/app';
import { openSignedIn, waitForDm } from './support/dm';
import { dropFiles, pasteFiles, pendingFiles, statusFromPage, throttleUploads } from './support/files';
import { useHarness } from './support/harness';
import { channelItem, createChannelAs, waitForChannel } from './support/rooms';

const harness = useHarness();

/** A small but real PDF: the server finds `application/pdf` in its first bytes. */
const PDF = Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n${'% filler\n'.repeat(400)}trailer << /Root 1 0 R >>\n%%EOF\n`);
const pdfSpec = (name = 'Plan.pdf') => ({ name, type: 'application/pdf', base64: PDF.toString('base64') });

async function signedIn(server: RunningServer, who: Account, path = '/', screen?: Parameters<typeof harness.newPage>[1]): Promise<{ page: Page; id: string; token: string }> {
  const { user, token } = await registerViaApi(server.url, who);
  const page = await harness.newPage(server.url, screen);
  await openSignedIn(page, server.url, token, path);
  return { page, id: user.id, token };
}

/** Alice and Bob signed in, both in the lobby. */
async function aliceAndBob(server: RunningServer) {
  const alice = await signedIn(server, account('alice', 'Alice Archer'));
  const bob = await signedIn(server, account('bob', 'Bob Baker'));
  await waitForLobby(alice.page);
  await waitForLobby(bob.page);
  return { alice, bob };
}

/** The stored lobby messages' bodies and attachment names. */
async function storedLobby(server: RunningServer): Promise<[string, string[]][]> {
  const page = await server.stores.messages.history('lobby', { limit: 100 });
  return page.messages.filter((m) => !m.recall).map((m) => [m.body, (m.attachments ?? []).map((a) => a.name)]);
}

describe('sharing files from the composer', () => {
  it('Alice pastes an image and drops a PDF into #lobby; Bob sees the image inline at its size and downloads the PDF; once recalled, the files are gone for everyone and from storage', async () => {
    const server = await harness.startServer();
    const { alice, bob } = await aliceAndBob(server);

    await pasteFiles(alice.page, [{ name: 'image.png', png: { width: 320, height: 200 } }]);
    await dropFiles(alice.page, alice.page.getByTestId('message-list'), [pdfSpec()], async () => {
      expect(await alice.page.getByTestId('drop-zone').isVisible()).toBe(true);
    });
    expect(await alice.page.getByTestId('drop-zone').count()).toBe(0);
    await eventually(() => pendingFiles(alice.page)).toEqual(['image.png:done', 'Plan.pdf:done']);
    expect(await alice.page.getByTestId('pending-attachment-preview').getAttribute('src')).toMatch(/^blob:/);
    await send(alice.page, 'The view, and the plan');

    const row = messageRow(bob.page, 'The view, and the plan');
    const image = row.getByTestId('attachment-image');
    await eventually(() => image.getAttribute('data-state')).toBe('done');
    expect(await image.locator('img').evaluate((img: HTMLImageElement) => [img.getBoundingClientRect().width, img.getBoundingClientRect().height, img.naturalWidth, img.naturalHeight])).toEqual([320, 200, 320, 200]);
    expect(await alice.page.getByTestId('pending-attachment').count()).toBe(0);

    const card = row.getByTestId('attachment-file');
    expect(await card.getByTestId('attachment-file-name').textContent()).toBe('Plan.pdf');
    const [download] = await Promise.all([bob.page.waitForEvent('download'), card.click()]);
    expect(download.suggestedFilename()).toBe('Plan.pdf');
    expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);

    const imageId = (await image.getAttribute('data-file-id'))!;
    const pdfId = (await card.getAttribute('data-file-id'))!;
    expect(await statusFromPage(bob.page, fileUrl(pdfId))).toBe(200);
    const own = messageRow(alice.page, 'The view, and the plan');
    await own.hover();
    await own.getByTestId('message-recall').click();
    await eventually(() => bob.page.getByTestId('message-recalled').count()).toBe(1);
    expect(await bob.page.getByTestId('message-attachments').count()).toBe(0);
    for (const url of [fileUrl(pdfId), fileUrl(imageId), thumbnailUrl(imageId)]) {
      await eventually(() => statusFromPage(bob.page, url)).toBe(404);
      expect(await statusFromPage(alice.page, url)).toBe(404);
    }
    for (const id of [imageId, pdfId]) {
      await eventually(() => server.stores.files.find(id)).toBeNull();
      expect(await server.stores.files.readBlob(id, 'file')).toBeNull();
    }
    expect(await server.stores.files.readBlob(imageId, 'thumbnail')).toBeNull();
  });

  it('a larger file shows its progress; Enter meanwhile waits ("Sending when uploads finish…"), and the message goes once it is stored, though Alice went on to another room', async () => {
    const server = await harness.startServer();
    const { alice, bob } = await aliceAndBob(server);
    await createChannelAs(server.url, alice.token, 'elsewhere');
    await eventually(() => channelItem(alice.page, 'elsewhere').count()).toBe(1);
    await throttleUploads(alice.page, 2 * 1024 * 1024);

    await pasteFiles(alice.page, [{ name: 'recording.bin', randomBytes: 8 * 1024 * 1024 }]);
    const progress = alice.page.getByTestId('pending-attachment-progress');
    expect(await progress.getAttribute('aria-label')).toBe('Uploading recording.bin');
    // Part of the way: more than nothing, less than all.
    await alice.page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="pending-attachment-progress"]');
      return !!bar && bar.hasAttribute('value') && bar.value > 0 && bar.value < bar.max;
    });
    await send(alice.page, 'the whole meeting');
    expect(await alice.page.getByTestId('composer-waiting').textContent()).toBe('Sending when uploads finish…');
    expect(await alice.page.getByTestId('composer-input').inputValue()).toBe('the whole meeting');
    expect(await storedLobby(server)).toEqual([]);

    // Alice carries on in another room meanwhile.
    await channelItem(alice.page, 'elsewhere').click();
    await waitForChannel(alice.page, 'elsewhere');
    await alice.page.getByTestId('composer-input').fill('typing elsewhere');
    await eventually(() => storedLobby(server), 20_000).toEqual([['the whole meeting', ['recording.bin']]]);
    await eventually(() => messageRow(bob.page, 'the whole meeting').getByTestId('attachment-file-name').textContent()).toBe('recording.bin');
    expect(await alice.page.getByTestId('composer-input').inputValue()).toBe('typing elsewhere');

    await channelItem(alice.page, 'lobby').click();
    await waitForLobby(alice.page);
    expect(await messageRow(alice.page, 'the whole meeting').getAttribute('data-status')).toBe('sent');
    expect(await alice.page.getByTestId('composer-input').inputValue()).toBe('');
    expect(await alice.page.getByTestId('composer-waiting').count()).toBe(0);
    expect(await pendingFiles(alice.page)).toEqual([]);
  });

  it('signing out while a file uploads asks first; declining keeps the upload and the waiting message', async () => {
    const server = await harness.startServer();
    const { alice } = await aliceAndBob(server);
    await throttleUploads(alice.page, 1024 * 1024);
    await pasteFiles(alice.page, [{ name: 'slides.bin', randomBytes: 6 * 1024 * 1024 }]);
    await send(alice.page, 'the slides');
    expect(await alice.page.getByTestId('composer-waiting').textContent()).toBe('Sending when uploads finish…');

    // Answered as it opens: the page stands still while a confirm is up, and so would the click.
    const asked: string[] = [];
    alice.page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await alice.page.getByTestId('user-menu').click();
    await alice.page.getByRole('menuitem', { name: 'Sign out' }).click();
    expect(asked).toEqual(['You have files still uploading. Signing out deletes them and your drafts from this browser. Sign out anyway?']);
    expect(await alice.page.getByTestId('current-user').count()).toBe(1);
    await eventually(() => storedLobby(server), 20_000).toEqual([['the slides', ['slides.bin']]]);
  });

  it('× during an upload cancels it: the chip goes, and the server keeps nothing of it', async () => {
    const server = await harness.startServer();
    const { alice } = await aliceAndBob(server);
    await throttleUploads(alice.page, 1024 * 1024);
    await pasteFiles(alice.page, [{ name: 'big.bin', randomBytes: 6 * 1024 * 1024 }]);
    await alice.page.waitForFunction(() => (document.querySelector<HTMLProgressElement>('[data-testid="pending-attachment-progress"]')?.value ?? 0) > 0);

    const aborted = alice.page.waitForEvent('requestfailed', (request) => request.url().endsWith('/api/files'));
    await alice.page.getByRole('button', { name: 'Cancel uploading big.bin' }).click();
    expect(await pendingFiles(alice.page)).toEqual([]);
    expect((await aborted).failure()?.errorText).toBe('net::ERR_ABORTED');
    // The server read part of the body before the connection closed: it keeps none of it.
    await eventually(() => server.stores.files.usage(alice.id)).toBe(0);
    expect(await server.stores.files.unclaimedBefore(new Date(Date.now() + 60_000), 10)).toEqual([]);
  });

  it('an upload that could not reach the server says so and can be retried; a refused one shows the server\'s reason', async () => {
    const server = await harness.startServer({ config: { rateLimits: { uploads: { points: 2, durationSeconds: 600 } } } });
    const { alice, bob } = await aliceAndBob(server);
    let isCut = true;
    await alice.page.route('**/api/files', (route) => (isCut ? route.abort('connectionreset') : route.continue()));

    await pasteFiles(alice.page, [pdfSpec('Notes.pdf')]);
    await eventually(() => pendingFiles(alice.page)).toEqual(['Notes.pdf:failed']);
    expect(await alice.page.getByTestId('pending-attachment-error').textContent()).toBe('Cannot reach the server. Check your connection and try again.');
    // Nothing goes while a file failed: the composer names it.
    await send(alice.page, 'notes attached');
    expect(await alice.page.getByTestId('composer-attachments-notice').textContent()).toContain('Notes.pdf could not be uploaded. Retry or remove it, then send again.');

    isCut = false;
    await alice.page.getByRole('button', { name: 'Retry uploading Notes.pdf' }).click();
    await eventually(() => pendingFiles(alice.page)).toEqual(['Notes.pdf:done']);
    await alice.page.getByTestId('composer-send').click();
    await eventually(() => messageRow(bob.page, 'notes attached').getByTestId('attachment-file-name').textContent()).toBe('Notes.pdf');
    expect(await storedLobby(server)).toEqual([['notes attached', ['Notes.pdf']]]);

    // The limit was two uploads: the third is refused, and the chip says what the server said.
    const refusal = alice.page.waitForResponse((res) => res.url().endsWith('/api/files') && res.status() === 429);
    await pasteFiles(alice.page, [pdfSpec('Third.pdf'), pdfSpec('Fourth.pdf')]);
    const { error } = (await (await refusal).json()) as { error: { message: string } };
    await eventually(() => pendingFiles(alice.page)).toEqual(['Third.pdf:done', 'Fourth.pdf:failed']);
    expect(await alice.page.getByTestId('pending-attachment-error').textContent()).toBe(error.message);
  });

  it('attaching works from the keyboard alone: Attach is reached with Tab, its chooser takes files, and Enter sends them', async () => {
    const server = await harness.startServer();
    const { alice, bob } = await aliceAndBob(server);
    // Listening first: Playwright starts intercepting choosers only once asked, and a chooser
    // opened before that is lost (about one run in three here when the two raced).
    const chosen = alice.page.waitForEvent('filechooser');
    const input = alice.page.getByTestId('composer-input');
    await input.focus();
    await alice.page.keyboard.press('Tab');
    expect(await alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Attach files');

    const [chooser] = await Promise.all([chosen, alice.page.keyboard.press('Enter')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([
      { name: 'agenda.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'minutes.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await eventually(() => pendingFiles(alice.page)).toEqual(['agenda.pdf:done', 'minutes.pdf:done']);
    // The focus is back in the text; the files' Remove buttons are just before it.
    expect(await alice.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer-input');
    await alice.page.keyboard.press('Shift+Tab');
    expect(await alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove minutes.pdf');
    await alice.page.keyboard.press('Enter');
    expect(await pendingFiles(alice.page)).toEqual(['agenda.pdf:done']);

    await input.focus();
    await alice.page.keyboard.press('Enter');
    await eventually(() => storedLobby(server)).toEqual([['', ['agenda.pdf']]]);
    await eventually(() => bob.page.getByTestId('attachment-file-name').allTextContents()).toEqual(['agenda.pdf']);
  });

  it("refuses an eleventh file and a file over the server's limit, saying why, and uploads neither", async () => {
    const server = await harness.startServer({ config: { uploadMaxBytes: 64 * 1024 } });
    const { alice } = await aliceAndBob(server);
    await pasteFiles(alice.page, [{ name: 'huge.bin', randomBytes: 100 * 1024 }]);
    expect(await alice.page.getByTestId('composer-attachments-notice').textContent()).toContain('huge.bin is too large (100 kB): files may be at most 64 kB.');
    expect(await pendingFiles(alice.page)).toEqual([]);

    await pasteFiles(alice.page, Array.from({ length: 11 }, (_, i) => ({ name: `page${i + 1}.bin`, randomBytes: 100 })));
    expect(await alice.page.getByTestId('composer-attachments-notice').textContent()).toContain('A message can carry at most 10 files: page11.bin was not added.');
    await eventually(() => pendingFiles(alice.page)).toEqual(Array.from({ length: 10 }, (_, i) => `page${i + 1}.bin:done`));
    expect((await server.stores.files.unclaimedBefore(new Date(Date.now() + 60_000), 20)).map((f) => f.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `page${i + 1}.bin`).sort());
  });

  it('files dropped on a channel and on a DM go with the message there', async () => {
    const server = await harness.startServer();
    const carol = account('carol', 'Carol Chen');
    const { user, token } = await registerViaApi(server.url, carol);
    const channel = await createChannelAs(server.url, token, 'design');
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, token, '/c/design');
    await waitForChannel(page, 'design');
    const stored = async (roomId: string) => (await server.stores.messages.history(roomId, { limit: 10 })).messages.filter((m) => m.author.id === user.id && !m.event).map((m) => [m.body, (m.attachments ?? []).map((a) => a.name)]);

    await dropFiles(page, page.getByTestId('message-list'), [pdfSpec('Mockups.pdf')]);
    await eventually(() => pendingFiles(page)).toEqual(['Mockups.pdf:done']);
    await send(page, 'mockups');
    await eventually(() => stored(channel.room.id)).toEqual([['mockups', ['Mockups.pdf']]]);

    // Notes to self: a DM room. Dropped on the text field, which is part of the chat area too.
    await page.goto(`/dm/${carol.username}`);
    await waitForDm(page, carol.username);
    await dropFiles(page, page.getByTestId('composer-input'), [pdfSpec('Todo.pdf')]);
    await eventually(() => pendingFiles(page)).toEqual(['Todo.pdf:done']);
    await send(page, 'note to self');
    await eventually(() => stored(dmRoomId(user.id, user.id))).toEqual([['note to self', ['Todo.pdf']]]);
    await eventually(() => messageRow(page, 'note to self').getByTestId('attachment-file-name').textContent()).toBe('Todo.pdf');
  });

  it('a message with files written while the server was down is kept with them through a reload and a new sign-in, and goes out once, files and all', async () => {
    const stores = createMemoryStores();
    try {
      const first = await harness.startServer({ stores });
      const nina = account('nina', 'Nina Noor');
      const { page } = await signedIn(first, nina);
      await waitForLobby(page);
      await pasteFiles(page, [pdfSpec('Budget.pdf')]);
      await eventually(() => pendingFiles(page)).toEqual(['Budget.pdf:done']);
      await first.close();
      await eventually(() => page.getByTestId('composer-note').textContent()).toContain('You are offline');

      await send(page, 'budget, as promised');
      const row = messageRow(page, 'budget, as promised');
      expect(await row.getAttribute('data-status')).toBe('pending');
      expect(await row.getByTestId('attachment-file-name').textContent()).toBe('Budget.pdf');
      const kept = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith('confab:outbox:')).flatMap(([, value]) => (JSON.parse(value) as { items: { clientId: string; attachments?: { name: string }[] }[] }).items));
      expect(kept.map((item) => item.attachments?.map((a) => a.name))).toEqual([['Budget.pdf']]);

      // Back with a new signing key: the session has ended, and the page asks to sign in again.
      await harness.startServer({ port: first.port, stores, config: { sessionSecret: `rotated-${'k'.repeat(40)}` } });
      await page.waitForURL((url) => url.pathname === '/signin', { timeout: 15_000 });
      await page.reload();
      await signIn(page, nina);
      await waitForLobby(page);
      await eventually(() => messageRow(page, 'budget, as promised').getAttribute('data-status'), 15_000).toBe('sent');
      const stored = (await stores.messages.history('lobby', { limit: 10 })).messages;
      expect(stored.map((m) => [m.body, m.clientId, (m.attachments ?? []).map((a) => a.name)])).toEqual([['budget, as promised', kept[0]!.clientId, ['Budget.pdf']]]);
      expect(await statusFromPage(page, fileUrl(stored[0]!.attachments![0]!.id))).toBe(200);
    } finally {
      await stores.close();
    }
  });
  it('ten files on a phone line up in one row that scrolls sideways: the text field, Send and the messages stay in sight, and the last file can still be reached', async () => {
    const server = await harness.startServer();
    const { page } = await signedIn(server, account('alice', 'Alice Archer'), '/', { width: 390, height: 664, hasTouch: true });
    await waitForLobby(page);
    const names = Array.from({ length: 10 }, (_, i) => `photo-${i + 1}.png`);
    await pasteFiles(page, names.map((name) => ({ name, png: { width: 64, height: 48 } })));
    await eventually(() => pendingFiles(page)).toEqual(names.map((name) => `${name}:done`));

    const boxes = await page.evaluate(() => {
      const box = (id: string) => document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
      return { input: box('composer-input').bottom, send: box('composer-send').bottom, list: box('message-list').height, files: box('composer-attachments').height, screen: innerHeight };
    });
    expect(boxes.input).toBeLessThanOrEqual(boxes.screen);
    expect(boxes.send).toBeLessThanOrEqual(boxes.screen);
    expect(boxes.list).toBeGreaterThan(boxes.files);

    await page.getByRole('button', { name: 'Remove photo-10.png' }).tap();
    expect(await pendingFiles(page)).toEqual(names.slice(0, 9).map((name) => `${name}:done`));
  });

  it('a link or text dropped on the conversation attaches nothing and is refused, so the browser cannot open it in place of the app; text dropped in the text field goes into it', async () => {
    const server = await harness.startServer();
    const { page } = await signedIn(server, account('alice', 'Alice Archer'));
    await waitForLobby(page);
    // What the page answered each drag event with, read once every listener of the app has run.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { seenDrags: seen });
      for (const type of ['dragover', 'drop']) {
        window.addEventListener(type, (event) => {
          const drag = event as DragEvent;
          seen.push(`${type}: ${drag.defaultPrevented ? 'refused' : 'left to the browser'} (${drag.dataTransfer?.dropEffect})`);
        });
      }
    });
    const seenDrags = () => page.evaluate(() => (window as unknown as { seenDrags: string[] }).seenDrags.splice(0));
    // A real drag, from outside the page, through Chromium's own drag handling.
    const cdp = await page.context().newCDPSession(page);
    async function drag(x: number, y: number, items: { mimeType: string; data: string }[]): Promise<void> {
      const data = { items, dragOperationsMask: 1 | 2 | 16 };
      for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
    }

    const list = (await page.getByTestId('message-list').boundingBox())!;
    const at = page.url();
    await drag(list.x + 100, list.y + 100, [{ mimeType: 'text/uri-list', data: 'https://example.com/elsewhere' }]);
    // Refused (dropEffect none): no drop is delivered, so nothing is attached and nothing opened.
    expect(new Set(await seenDrags())).toEqual(new Set(['dragover: refused (none)']));
    await drag(list.x + 100, list.y + 100, [{ mimeType: 'text/plain', data: 'some words' }]);
    expect(new Set(await seenDrags())).toEqual(new Set(['dragover: refused (none)']));
    expect(await pendingFiles(page)).toEqual([]);
    expect(await page.getByTestId('drop-zone').count()).toBe(0);
    expect(page.url()).toBe(at);

    const field = (await page.getByTestId('composer-input').boundingBox())!;
    await drag(field.x + 20, field.y + field.height / 2, [{ mimeType: 'text/plain', data: 'dropped words' }]);
    expect(await page.getByTestId('composer-input').inputValue()).toBe('dropped words');
    expect(await pendingFiles(page)).toEqual([]);
    await cdp.detach();
  });

  it('a right-to-left file name lines up with the size under it, on the chip, on the card and in the viewer', async () => {
    const server = await harness.startServer();
    const { page } = await signedIn(server, account('alice', 'Alice Archer'));
    await waitForLobby(page);
    await pasteFiles(page, [pdfSpec('تقرير.pdf'), { name: 'صورة.png', png: { width: 200, height: 100 } }]);
    await eventually(() => pendingFiles(page)).toEqual(['تقرير.pdf:done', 'صورة.png:done']);
    /** How far the name's text starts from where the line under it starts, in CSS pixels. */
    const offset = async (name: Locator, under: Locator) =>
      name.evaluate((el, below) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return Math.round(range.getBoundingClientRect().left - below.getBoundingClientRect().left);
      }, await under.elementHandle());
    const chip = page.getByTestId('pending-attachment').first();
    expect(await offset(chip.getByTestId('pending-attachment-name'), chip.getByTestId('pending-attachment-state').locator('..'))).toBe(0);

    await send(page, 'الملفات');
    const row = messageRow(page, 'الملفات');
    const card = row.getByTestId('attachment-file');
    await eventually(() => row.getAttribute('data-status')).toBe('sent');
    expect(await offset(card.getByTestId('attachment-file-name'), card.getByTestId('attachment-file-size'))).toBe(0);

    await row.getByRole('button', { name: 'Open image صورة.png' }).click();
    const viewer = page.getByTestId('image-viewer');
    expect(await offset(viewer.getByTestId('image-viewer-name'), viewer.getByTestId('image-viewer-meta'))).toBe(0);
  });
});
