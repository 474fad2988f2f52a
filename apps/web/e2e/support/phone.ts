import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import type { Ack } from '@confab/shared';
import type { Harness } from './harness';
import { ARTIFACTS_DIR } from './paths';

/** An iPhone 12–15's screen in CSS pixels. */
export const PHONE = { width: 390, height: 844 };
export const PHONE_SHOTS_DIR = join(ARTIFACTS_DIR, 'phone');

/**
 * A page in a phone's browser context: `isMobile` (the meta viewport counts, as on a phone) and
 * `hasTouch`, in the harness's Chromium. The harness's `newPage` has no `isMobile`, so the context
 * is made here and closed by `closeAll` (call it in an afterEach).
 */
export function usePhones(harness: Harness) {
  const contexts: BrowserContext[] = [];
  return {
    async newPhonePage(baseURL: string, size = PHONE): Promise<Page> {
      // Any harness page leads to its browser (and is closed with the test like the others).
      const browser = (await harness.newPage(baseURL, { width: 320, height: 320 })).context().browser();
      if (!browser) throw new Error('the browser is not running');
      const context = await browser.newContext({ baseURL, viewport: size, isMobile: true, hasTouch: true, locale: 'en-US', timezoneId: 'UTC' });
      contexts.push(context);
      return context.newPage();
    },
    async closeAll(): Promise<void> {
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    },
  };
}

/**
 * A one-finger swipe through Chromium's own input pipeline (CDP touch events, as a touch screen
 * sends them): the page sees touchstart, touchmoves and touchend, and scrolls as it would.
 */
export async function swipe(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
    const steps = 10;
    for (let i = 1; i <= steps; i++) {
      const point = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
}

/**
 * What scrolls the page sideways or sticks out of the viewport, as descriptions (empty when
 * nothing does). An element counts with the part of it that shows: what a scroller or an
 * `overflow: hidden` box (an ellipsis) clips away does not stick out, and visually hidden text
 * (1 px, for screen readers) is left out.
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  // A phone's browser (isMobile) zooms out to fit a page wider than the screen, and innerWidth
  // grows with it: the screen's width is what everything must fit.
  return page.evaluate((width) => {
    const found: string[] = [];
    const root = document.documentElement;
    if (window.innerWidth !== width) found.push(`the viewport is ${window.innerWidth} px wide on a ${width} px screen (zoomed out to fit)`);
    if (root.scrollWidth > window.innerWidth || root.scrollWidth > width) found.push(`the page is ${root.scrollWidth} px wide in a ${width} px viewport`);
    const name = (el: Element) => {
      const testid = el.getAttribute('data-testid');
      const classes = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${testid ? `[data-testid="${testid}"]` : ''}${classes}`;
    };
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      let left = box.left;
      let right = box.right;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX === 'visible') continue;
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left);
        right = Math.min(right, clip.right);
      }
      if (right - left <= 0) continue;
      if (left < -0.5 || right > width + 0.5) found.push(`${name(el)} spans ${Math.round(left)}–${Math.round(right)} px`);
    }
    return found;
  }, page.viewportSize()!.width);
}

/** Buttons and links among `selector` smaller than a fingertip (44 × 44 px), as descriptions. */
export function smallTargets(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll(sel)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.width < 43.5 || box.height < 43.5) {
        found.push(`${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.tagName.toLowerCase()}: ${Math.round(box.width)} × ${Math.round(box.height)}`);
      }
    }
    return found;
  }, selector);
}

/** A screenshot in e2e/artifacts/phone/ (gitignored), for people to look at. */
export async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(PHONE_SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(PHONE_SHOTS_DIR, `${name}.png`) });
}

/** Posts messages to the lobby, channels and groups (`/lobby`'s `message:send`) as the token's user. */
export async function postToRooms(baseUrl: string, token: string, posts: { roomId: string; body: string }[]): Promise<void> {
  const socket = io(`${baseUrl}/lobby`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${token}` } });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    for (const { roomId, body } of posts) {
      const ack = (await socket.timeout(5_000).emitWithAck('message:send', { roomId, clientId: crypto.randomUUID(), body })) as Ack<unknown>;
      if (!ack.ok) throw new Error(`message:send: ${ack.error.code} ${ack.error.message}`);
    }
  } finally {
    socket.disconnect();
  }
}

/**
 * Parts of the header (menu button, title, the room's buttons, the user menu) that run over one
 * another, as descriptions: each part's content, as far as it shows (an ellipsis clips it), must
 * stay off every other part.
 */
export function headerOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const header = document.querySelector('main header');
    if (!header) return ['no header'];
    const parts = [...header.children].filter((el) => el.getBoundingClientRect().width > 0);
    const boxes = parts.map((part) => {
      const found: { left: number; right: number; top: number; bottom: number }[] = [];
      for (const el of [part, ...part.querySelectorAll('*')]) {
        const box = el.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1 || el.closest('[role="menu"], dialog')) continue;
        let { left, right } = box;
        for (let up = el.parentElement; up && up !== header; up = up.parentElement) {
          if (getComputedStyle(up).overflowX === 'visible') continue;
          const clip = up.getBoundingClientRect();
          left = Math.max(left, clip.left);
          right = Math.min(right, clip.right);
        }
        if (right - left > 0) found.push({ left, right, top: box.top, bottom: box.bottom });
      }
      return found;
    });
    const label = (el: Element) => el.getAttribute('data-testid') ?? (typeof el.className === 'string' ? el.className : el.tagName);
    const overlaps: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const own = parts[i]!.getBoundingClientRect();
      for (let j = 0; j < parts.length; j++) {
        if (i === j) continue;
        const other = parts[j]!.getBoundingClientRect();
        const hit = boxes[i]!.some((b) => b.left < other.right - 0.5 && b.right > other.left + 0.5 && b.top < other.bottom - 0.5 && b.bottom > other.top + 0.5);
        if (hit && i < j) overlaps.push(`${label(parts[i]!)} (${Math.round(own.left)}–${Math.round(own.right)}) runs over ${label(parts[j]!)} (${Math.round(other.left)}–${Math.round(other.right)})`);
        else if (hit) overlaps.push(`${label(parts[i]!)} runs over ${label(parts[j]!)}`);
      }
    }
    return overlaps;
  });
}
