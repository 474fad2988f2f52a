import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Ack, AttachmentDto, MessageDto, UploadResponse } from '@confab/shared';
import { formatFileSize } from '../src/lib/attachments';
import { account, eventually, registerViaApi, waitForLobby } from './support/app';
import { conversationItem, openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { roomClient } from './support/rooms';
import { ARTIFACTS_DIR } from './support/paths';

const harness = useHarness();
// Screenshots for a person to look at, beside the other browser tests' (never loose in /tmp).
const NOTES_DIR = join(ARTIFACTS_DIR, 'attachments');

/** A small but real PDF: the server finds `application/pdf` in its first bytes. */
function pdfBytes(): Buffer {
  const objects = '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n';
  return Buffer.from(`%PDF-1.4\n${objects}${'% padding so the size reads in kB\n'.repeat(900)}trailer << /Root 1 0 R >>\n%%EOF\n`);
}

interface Upload {
  name: string;
  /** A PNG drawn on a canvas of this size, or these bytes. */
  canvas?: { width: number; height: number; hue: number };
  bytes?: number[];
  type?: string;
}

/**
 * Uploads files from the page, as the app does: `fetch` with a FormData to `POST /api/files`,
 * the page's own session cookie and Origin. Images are drawn on a canvas there.
 */
async function uploadFromPage(page: Page, uploads: Upload[]): Promise<AttachmentDto[]> {
  return page.evaluate(async (list) => {
    const files: AttachmentDto[] = [];
    for (const u of list) {
      let blob: Blob;
      if (u.canvas) {
        const canvas = document.createElement('canvas');
        canvas.width = u.canvas.width;
        canvas.height = u.canvas.height;
        const g = canvas.getContext('2d')!;
        const gradient = g.createLinearGradient(0, 0, u.canvas.width, u.canvas.height);
        gradient.addColorStop(0, `hsl(${u.canvas.hue} 70% 55%)`);
        gradient.addColorStop(1, `hsl(${u.canvas.hue + 60} 70% 35%)`);
        g.fillStyle = gradient;
        g.fillRect(0, 0, u.canvas.width, u.canvas.height);
        g.fillStyle = '#fff';
        g.font = `bold ${Math.round(u.canvas.width / 10)}px sans-serif`;
        g.fillText(`${u.canvas.width}×${u.canvas.height}`, u.canvas.width / 12, u.canvas.height / 2);
        blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      } else {
        blob = new Blob([new Uint8Array(u.bytes!)], { type: u.type });
      }
      const form = new FormData();
      form.append('file', blob, u.name);
      const res = await fetch('/api/files', { method: 'POST', body: form });
      if (res.status !== 201) throw new Error(`upload of ${u.name}: ${res.status} ${await res.text()}`);
      files.push(((await res.json()) as UploadResponse).file);
    }
    return files;
  }, uploads);
}

/** The image's box on the page, and the ratio of its loaded pixels (0 before it loads). */
function imageBox(page: Page, name: string) {
  return page.getByRole('button', { name: `Open image ${name}` }).locator('img').evaluate((img: HTMLImageElement) => {
    const rect = img.getBoundingClientRect();
    return { width: rect.width, height: rect.height, natural: img.naturalHeight ? img.naturalWidth / img.naturalHeight : 0 };
  });
}

const ratioOff = (box: { width: number; height: number }, file: AttachmentDto) => Math.abs(box.width / box.height / (file.width! / file.height!) - 1);

describe('attachments as the reader sees them', () => {
  it('Bob sees Alice\'s images inline at their ratio with no jump as they load, views them full size, and downloads her PDF', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url, { width: 1280, height: 860 });
    await openSignedIn(pageA, server.url, a.token);
    await openSignedIn(pageB, server.url, b.token);
    await waitForLobby(pageA);
    await waitForLobby(pageB);

    // Bob's thumbnails wait until the test lets them through, so the box can be measured before they load.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await pageB.route('**/api/files/*/thumbnail', async (route) => {
      await gate;
      await route.continue();
    });

    const pdf = pdfBytes();
    const [landscape, portrait, report] = await uploadFromPage(pageA, [
      { name: 'landscape.png', canvas: { width: 1280, height: 720, hue: 200 } },
      { name: 'portrait.png', canvas: { width: 600, height: 900, hue: 20 } },
      { name: 'Quarterly report.pdf', bytes: [...pdf], type: 'application/pdf' },
    ]);
    expect([landscape!.kind, landscape!.width, landscape!.height, portrait!.width, portrait!.height]).toEqual(['image', 1280, 720, 600, 900]);
    expect([report!.kind, report!.contentType, report!.size]).toEqual(['file', 'application/pdf', pdf.length]);

    const lobby: Socket = io(`${server.url}/lobby`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${a.token}` } });
    try {
      const send = { roomId: 'lobby', clientId: randomUUID(), body: 'Photos from the trip', attachments: [landscape!.id, portrait!.id, report!.id] };
      const ack = (await lobby.timeout(5_000).emitWithAck('message:send', send)) as Ack<MessageDto>;
      expect(ack.ok).toBe(true);
    } finally {
      lobby.disconnect();
    }

    const row = pageB.getByTestId('message').filter({ has: pageB.getByTestId('message-attachments') });
    await row.waitFor();
    expect(await row.getByTestId('message-body').textContent()).toBe('Photos from the trip');
    expect(await pageB.getByTestId('attachment-image').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.state))).toEqual(['loading', 'loading']);
    const before = { landscape: await imageBox(pageB, 'landscape.png'), portrait: await imageBox(pageB, 'portrait.png'), row: (await row.boundingBox())!.height };
    expect(before.landscape.natural).toBe(0);
    expect(before.landscape.width).toBe(400);
    expect(before.portrait.height).toBe(300);
    expect(ratioOff(before.landscape, landscape!)).toBeLessThan(0.02);
    expect(ratioOff(before.portrait, portrait!)).toBeLessThan(0.02);

    await pageB.screenshot({ path: `${NOTES_DIR}/render-loading-1280.png` });
    release();
    await eventually(() => pageB.getByTestId('attachment-image').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.state))).toEqual(['done', 'done']);
    const after = { landscape: await imageBox(pageB, 'landscape.png'), portrait: await imageBox(pageB, 'portrait.png'), row: (await row.boundingBox())!.height };
    expect(after).toEqual({ ...before, landscape: { ...before.landscape, natural: after.landscape.natural }, portrait: { ...before.portrait, natural: after.portrait.natural } });
    expect(Math.abs(after.landscape.natural / (1280 / 720) - 1)).toBeLessThan(0.02);
    expect(Math.abs(after.portrait.natural / (600 / 900) - 1)).toBeLessThan(0.02);

    // The PDF: a card with its name and size.
    const card = row.getByTestId('attachment-file');
    expect(await card.getByTestId('attachment-file-name').textContent()).toBe('Quarterly report.pdf');
    expect(await card.getByTestId('attachment-file-size').textContent()).toBe(formatFileSize(pdf.length, 'en-US'));
    expect(formatFileSize(pdf.length, 'en-US')).toMatch(/^\d+ kB$/);
    await pageB.screenshot({ path: `${NOTES_DIR}/render-1280.png` });

    // The viewer, from the keyboard: focus moves in, arrows go through the images, Escape returns the focus.
    await pageB.getByRole('button', { name: 'Open image landscape.png' }).focus();
    await pageB.keyboard.press('Enter');
    const viewer = pageB.getByRole('dialog', { name: 'landscape.png, image 1 of 2' });
    await viewer.waitFor();
    expect(await pageB.evaluate(() => document.activeElement?.closest('[data-testid="image-viewer"]') !== null)).toBe(true);
    const full = viewer.getByTestId('image-viewer-image');
    await eventually(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1280);
    const fitted = await full.evaluate((img) => ({ ...img.getBoundingClientRect().toJSON(), vw: innerWidth, vh: innerHeight }));
    expect(fitted.right).toBeLessThanOrEqual(fitted.vw);
    expect(fitted.bottom).toBeLessThanOrEqual(fitted.vh);
    expect(ratioOff(fitted, landscape!)).toBeLessThan(0.02);
    await pageB.screenshot({ path: `${NOTES_DIR}/render-viewer-1280.png` });
    await pageB.keyboard.press('ArrowRight');
    await pageB.getByRole('dialog', { name: 'portrait.png, image 2 of 2' }).waitFor();
    await pageB.keyboard.press('Escape');
    await eventually(() => pageB.getByTestId('image-viewer').count()).toBe(0);
    expect(await pageB.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open image landscape.png');

    // The download link gives the very bytes Alice uploaded, under its name.
    const [download] = await Promise.all([pageB.waitForEvent('download'), card.click()]);
    expect(download.suggestedFilename()).toBe('Quarterly report.pdf');
    expect((await readFile((await download.path())!)).equals(pdf)).toBe(true);

    // A phone: the images scale down to the column, at their ratio; the card fits.
    await pageB.setViewportSize({ width: 390, height: 844 });
    await row.scrollIntoViewIfNeeded();
    const narrow = await imageBox(pageB, 'landscape.png');
    const column = (await row.boundingBox())!;
    expect(narrow.width).toBeLessThan(400);
    expect(narrow.width).toBeLessThanOrEqual(column.width);
    expect(ratioOff(narrow, landscape!)).toBeLessThan(0.02);
    const cardBox = (await card.boundingBox())!;
    expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(column.x + column.width);
    await pageB.screenshot({ path: `${NOTES_DIR}/render-390.png` });
  });

  it('a DM with only an image shows just the image, reads "📎 name" in the sidebar, and once recalled shows the tombstone without it', async () => {
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

    const [cat] = await uploadFromPage(pageA, [{ name: 'cat.png', canvas: { width: 320, height: 240, hue: 120 } }]);
    const dm = await roomClient(server.url, a.token);
    try {
      const sent = await dm.ask<MessageDto>('dm:send', { to: b.user.id, clientId: randomUUID(), body: '', attachments: [cat!.id] });
      await eventually(() => conversationItem(pageB, alice.username).getByTestId('dm-conversation-preview').textContent()).toBe('📎 cat.png');

      await conversationItem(pageB, alice.username).click();
      const row = pageB.getByTestId('message').filter({ has: pageB.getByTestId('message-attachments') });
      await row.waitFor();
      expect(await row.getByTestId('message-body').count()).toBe(0);
      const box = await imageBox(pageB, 'cat.png');
      expect([box.width, box.height]).toEqual([320, 240]);
      await eventually(() => pageB.getByTestId('attachment-image').getAttribute('data-state')).toBe('done');
      await pageB.screenshot({ path: `${NOTES_DIR}/render-dm-1100.png` });

      await dm.ask<MessageDto>('message:recall', { id: sent.id });
      await eventually(() => pageB.getByTestId('message-recalled').allTextContents()).toEqual(['Alice Archer recalled a message']);
      expect(await pageB.getByTestId('message-attachments').count()).toBe(0);
      expect(await pageB.getByTestId('message-list').locator('img').count()).toBe(0);
      // And the bytes are gone for Bob.
      expect(await pageB.evaluate(async (url) => (await fetch(url)).status, `/api/files/${cat!.id}`)).toBe(404);
    } finally {
      dm.close();
    }
  });
});
