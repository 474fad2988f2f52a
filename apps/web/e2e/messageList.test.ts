import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMemoryStores, postMessage, type Stores } from '@confab/server';
import { account, bodies, eventually, messageRow, registerViaApi, send, signUp } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

const jumpLabel = (page: Page) => page.getByTestId('jump-to-latest').textContent();

/** Where the row with `seq` sits on screen (its top edge, in px from the top of the page). */
async function rowTop(page: Page, seq: number): Promise<number> {
  const box = await page.locator(`[data-testid="message"][data-seq="${seq}"]`).boundingBox();
  if (!box) throw new Error(`row ${seq} is not on screen`);
  return box.y;
}

/**
 * Stores whose older-history pages wait until the test lets them go: the test knows the request is
 * out (`requested`) and decides when it arrives (`release`), instead of racing a timer.
 */
function storesWithHeldHistory(): { stores: Stores; requested: Promise<void>; release: () => void } {
  const stores = createMemoryStores();
  const history = stores.messages.history.bind(stores.messages);
  let onRequested!: () => void;
  let release!: () => void;
  const requested = new Promise<void>((resolve) => (onRequested = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  stores.messages.history = async (roomId, query) => {
    if (query.beforeSeq !== undefined) {
      onRequested();
      await released;
    }
    return history(roomId, query);
  };
  return { stores, requested, release };
}

describe('the message list', () => {
  it('counts only new messages on the jump button: a recall never counts, and recalling the new message takes it off', async () => {
    const server = await harness.startServer();
    const { user: kim } = await registerViaApi(server.url, account('kim', 'Kim Kato'));
    const pageA = await harness.newPage(server.url);
    await signUp(pageA, account('alice', 'Alice Archer'));
    await send(pageA, 'an old message of mine');
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    for (let i = 1; i <= 40; i += 1) await postMessage(server.stores, kim, `filler ${i}`);

    const pageB = await harness.newPage(server.url);
    await signUp(pageB, account('bob', 'Bob Baker'));
    await eventually(async () => (await bodies(pageB)).at(-1)).toBe('filler 40');
    await pageB.getByTestId('message-list').evaluate((el) => el.scrollTo({ top: 0 }));
    await eventually(() => jumpLabel(pageB)).toContain('Jump to latest');

    const recallOwn = async (body: string) => {
      const row = messageRow(pageA, body);
      await row.hover();
      await row.getByTestId('message-recall').click();
    };
    await recallOwn('an old message of mine');
    await eventually(() => pageB.getByTestId('message-recalled').count()).toBe(1);
    expect(await jumpLabel(pageB)).toContain('Jump to latest');

    await send(pageA, 'something new');
    await eventually(() => jumpLabel(pageB)).toContain('1 new message');

    await recallOwn('something new');
    await eventually(() => pageB.getByTestId('message-recalled').count()).toBe(2);
    expect(await jumpLabel(pageB)).toContain('Jump to latest');
    expect(await jumpLabel(pageB)).not.toMatch(/new message/);
  });

  // At offset 0 Chromium's own scroll anchoring stands aside, so the list must do it alone.
  it.each([
    ['near the top', 100],
    ['at the very top', 0],
  ])('keeps the row the reader is looking at within 2 px while an older page loads and a new message arrives meanwhile (%s)', async (_, scrollTop) => {
    const { stores, requested, release } = storesWithHeldHistory();
    const server = await harness.startServer({ stores });
    const { user: kim } = await registerViaApi(server.url, account('kim', 'Kim Kato'));
    for (let i = 1; i <= 120; i += 1) await postMessage(server.stores, kim, `history message ${i}`);
    const pageA = await harness.newPage(server.url);
    await signUp(pageA, account('alice', 'Alice Archer'));

    const pageB = await harness.newPage(server.url);
    await signUp(pageB, account('bob', 'Bob Baker'));
    await eventually(async () => (await bodies(pageB)).at(-1)).toBe('history message 120');
    const loaded = (await bodies(pageB)).length;

    // Near the top, which asks for the previous page; the reader looks at a row a little further down.
    const anchorSeq = await pageB.getByTestId('message-list').evaluate((el, top) => {
      el.scrollTop = top;
      const mark = el.getBoundingClientRect().top + 150;
      const rows = [...el.querySelectorAll<HTMLElement>('[data-testid="message"][data-seq]')];
      return Number(rows.find((row) => row.getBoundingClientRect().top >= mark)!.dataset.seq);
    }, scrollTop);
    const before = await rowTop(pageB, anchorSeq);
    await requested;
    await pageB.getByTestId('history-loading').waitFor();
    expect(Math.abs((await rowTop(pageB, anchorSeq)) - before)).toBeLessThanOrEqual(2);

    await send(pageA, 'three lines\nof news\nat the bottom');
    await eventually(async () => (await bodies(pageB)).at(-1)).toBe('three lines\nof news\nat the bottom');
    expect(Math.abs((await rowTop(pageB, anchorSeq)) - before)).toBeLessThanOrEqual(2);

    release();
    await eventually(async () => (await bodies(pageB)).length).toBeGreaterThan(loaded + 1);
    await pageB.getByTestId('history-loading').waitFor({ state: 'detached' });
    expect(Math.abs((await rowTop(pageB, anchorSeq)) - before)).toBeLessThanOrEqual(2);
    // And it stays there once everything settled (a late layout pass, a scroll event).
    await pageB.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(Math.abs((await rowTop(pageB, anchorSeq)) - before)).toBeLessThanOrEqual(2);
  });
});
