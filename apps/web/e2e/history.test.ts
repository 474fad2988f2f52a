import { describe, expect, it } from 'vitest';
import { postMessage } from '@confab/server';
import { account, bodies, eventually, registerViaApi, send, signUp } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

const scrollState = (page: import('playwright-core').Page) =>
  page.getByTestId('message-list').evaluate((el) => ({ top: el.scrollTop, fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight }));

describe('a long history', () => {
  it('opens at the newest message, loads older ones at the top without jumping, and offers a way back down', async () => {
    const server = await harness.startServer();
    const { user: kim } = await registerViaApi(server.url, account('kim', 'Kim Kato'));
    for (let i = 1; i <= 120; i += 1) await postMessage(server.stores, kim, `history message ${i}`);

    const page = await harness.newPage(server.url);
    await signUp(page, account('lee', 'Lee Lund'));
    await eventually(async () => (await bodies(page)).at(-1)).toBe('history message 120');
    // The first page holds the newest 50; the rest waits until the reader scrolls up.
    expect((await bodies(page)).length).toBeLessThan(120);
    await eventually(async () => (await scrollState(page)).fromBottom).toBeLessThan(5);

    const firstShown = (await bodies(page))[0]!;
    await page.getByTestId('message-list').evaluate((el) => el.scrollTo({ top: 0 }));
    await eventually(async () => (await bodies(page)).length).toBeGreaterThan(50);
    // The message that was at the top is still in view: the prepended page did not move it.
    const row = page.getByTestId('message-body').getByText(firstShown, { exact: true });
    await eventually(async () => {
      const box = await row.boundingBox();
      const list = await page.getByTestId('message-list').boundingBox();
      return !!box && !!list && box.y >= list.y - 5 && box.y < list.y + list.height;
    }).toBe(true);

    // Scrolling to the very top eventually reaches the first message and the room's start.
    await eventually(async () => {
      await page.getByTestId('message-list').evaluate((el) => el.scrollTo({ top: 0 }));
      return (await bodies(page))[0];
    }).toBe('history message 1');
    await page.getByTestId('room-start').waitFor();
    expect(await bodies(page)).toEqual(Array.from({ length: 120 }, (_, i) => `history message ${i + 1}`));

    // Scrolled up, a new message does not yank the view; a button counts it and jumps down.
    const other = await harness.newPage(server.url);
    await signUp(other, account('max', 'Max Moss'));
    const before = await scrollState(page);
    await send(other, 'news while you read old stuff');
    await eventually(async () => (await bodies(page)).at(-1)).toBe('news while you read old stuff');
    await eventually(() => page.getByTestId('jump-to-latest').textContent()).toContain('1 new message');
    expect((await scrollState(page)).top).toBe(before.top);
    await page.getByTestId('jump-to-latest').click();
    await eventually(async () => (await scrollState(page)).fromBottom).toBeLessThan(5);
    await eventually(() => page.getByTestId('jump-to-latest').count()).toBe(0);
  });
});
