import type { JSHandle, Locator, Page } from 'playwright-core';

/** A file made in the page: these bytes, a PNG drawn on a canvas of this size, or this many random bytes. */
export interface FileSpec {
  name: string;
  type?: string;
  base64?: string;
  png?: { width: number; height: number };
  randomBytes?: number;
}

/**
 * A DataTransfer in the page holding files made there, as the browser hands one to a paste or a
 * drop. A handle, so that one transfer can go through dragenter, dragover and drop.
 */
export function dataTransferOf(page: Page, specs: FileSpec[]): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(async (list) => {
    async function blobOf(spec: (typeof list)[number]): Promise<Blob> {
      if (spec.png) {
        const canvas = document.createElement('canvas');
        canvas.width = spec.png.width;
        canvas.height = spec.png.height;
        const g = canvas.getContext('2d')!;
        g.fillStyle = '#4f46e5';
        g.fillRect(0, 0, spec.png.width, spec.png.height);
        g.fillStyle = '#fff';
        g.fillRect(spec.png.width / 4, spec.png.height / 4, spec.png.width / 2, spec.png.height / 2);
        return new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      }
      if (spec.randomBytes !== undefined) {
        const bytes = new Uint8Array(spec.randomBytes);
        // getRandomValues fills at most 64 KiB at a time.
        for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
        return new Blob([bytes]);
      }
      return new Blob([Uint8Array.from(atob(spec.base64 ?? ''), (c) => c.charCodeAt(0))]);
    }
    const transfer = new DataTransfer();
    for (const spec of list) transfer.items.add(new File([await blobOf(spec)], spec.name, { type: spec.type ?? (spec.png ? 'image/png' : '') }));
    return transfer;
  }, specs);
}

/** Pastes files into the composer as the browser does: a ClipboardEvent carrying them. */
export async function pasteFiles(page: Page, specs: FileSpec[]): Promise<void> {
  const transfer = await dataTransferOf(page, specs);
  const input = await page.getByTestId('composer-input').elementHandle();
  await page.evaluate(([target, clipboardData]) => target!.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true })), [input, transfer] as const);
  await transfer.dispose();
}

/**
 * Drags files over `target` and drops them, as the browser does: dragenter, dragover, drop, each a
 * DragEvent with the same DataTransfer. `whileOver` runs between entering and dropping.
 */
export async function dropFiles(page: Page, target: Locator, specs: FileSpec[], whileOver?: () => Promise<void>): Promise<void> {
  const dataTransfer = await dataTransferOf(page, specs);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await whileOver?.();
  await target.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

/** The composer's attached files as `name:status`, in order. */
export async function pendingFiles(page: Page): Promise<string[]> {
  return page.getByTestId('pending-attachment').evaluateAll((chips) => chips.map((c) => `${c.getAttribute('data-name')}:${c.getAttribute('data-status')}`));
}

/** The HTTP status of a GET of `url` from the page (its cookies, its origin). */
export function statusFromPage(page: Page, url: string): Promise<number> {
  return page.evaluate(async (href) => (await fetch(href, { cache: 'no-store' })).status, url);
}

/** Lets uploads from the page through at about `bytesPerSecond` (Chromium's network emulation), so their progress can be watched. */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}
