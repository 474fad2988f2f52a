import { describe, expect, it } from 'vitest';
import { LIMITS } from '@confab/shared';
import { account, bodies, countOf, eventually, messageRow, send, signUp, sleep } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('chatting in the lobby', () => {
  it('two people see each other\'s messages live, once each, with the author\'s name', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await signUp(pageA, alice);
    await signUp(pageB, bob);
    await eventually(() => pageB.getByTestId('sidebar-status').textContent()).toContain('Connected');

    await send(pageA, 'Hello from Alice');
    await eventually(() => pageA.getByTestId('composer-input').inputValue()).toBe('');
    await eventually(async () => countOf(await bodies(pageB), 'Hello from Alice')).toBe(1);
    expect(await messageRow(pageB, 'Hello from Alice').getByTestId('message-author').textContent()).toBe('Alice Archer');

    await send(pageB, 'Hi Alice, Bob here');
    await eventually(async () => countOf(await bodies(pageA), 'Hi Alice, Bob here')).toBe(1);
    expect(await messageRow(pageA, 'Hi Alice, Bob here').getByTestId('message-author').textContent()).toBe('Bob Baker');

    // Late duplicates (ack and broadcast both carry the message) would show up after a moment.
    await sleep(300);
    for (const page of [pageA, pageB]) {
      expect(await bodies(page)).toEqual(['Hello from Alice', 'Hi Alice, Bob here']);
      expect(await page.locator('[data-status="pending"], [data-status="failed"]').count()).toBe(0);
    }
  });

  it('Shift+Enter adds a line break and Enter sends the multi-line message', async () => {
    const server = await harness.startServer();
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await signUp(pageA, account('carol', 'Carol Chu'));
    await signUp(pageB, account('dan', 'Dan Diaz'));

    const input = pageA.getByTestId('composer-input');
    await input.click();
    await pageA.keyboard.type('first line');
    await pageA.keyboard.press('Shift+Enter');
    await pageA.keyboard.type('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    expect(await bodies(pageA)).toEqual([]);
    await pageA.keyboard.press('Enter');

    await eventually(() => bodies(pageB)).toEqual(['first line\nsecond line']);
    // Rendered on two lines (pre-wrap), not collapsed into one.
    expect(await pageB.getByTestId('message-body').first().evaluate((el) => (el as HTMLElement).innerText)).toBe('first line\nsecond line');
    const lineHeight = await pageB.getByTestId('message-body').first().evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    const height = (await pageB.getByTestId('message-body').first().boundingBox())!.height;
    expect(height).toBeGreaterThan(lineHeight * 1.5);
    expect(await input.inputValue()).toBe('');
  });

  it('the composer counts down near the limit and will not send an oversized message', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    await signUp(page, account('gil', 'Gil Gray'));
    const input = page.getByTestId('composer-input');

    await input.fill('a'.repeat(LIMITS.bodyWarnLength - 1));
    expect(await page.getByTestId('composer-counter').count()).toBe(0);
    await input.fill('a'.repeat(LIMITS.bodyWarnLength + 100));
    await eventually(() => page.getByTestId('composer-counter').textContent()).toBe(String(LIMITS.bodyMaxLength - LIMITS.bodyWarnLength - 100));

    await input.fill('b'.repeat(LIMITS.bodyMaxLength + 1));
    await eventually(() => page.getByTestId('composer-counter').textContent()).toBe('-1');
    expect(await page.getByTestId('composer-note').textContent()).toBe(`Message must be at most ${LIMITS.bodyMaxLength} characters`);
    expect(await page.getByTestId('composer-send').isDisabled()).toBe(true);
    await input.press('Enter');
    await sleep(200);
    expect(await bodies(page)).toEqual([]);
    expect((await server.stores.messages.history('lobby', { limit: 10 })).messages).toEqual([]);
    expect(await input.inputValue()).toHaveLength(LIMITS.bodyMaxLength + 1);
  });

  it('markup in a message is shown as text and never runs', async () => {
    const server = await harness.startServer();
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await signUp(pageA, account('eve', 'Eve Evans'));
    await signUp(pageB, account('fay', 'Fay Fox'));
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>';

    await send(pageA, payload);
    await eventually(() => bodies(pageB)).toEqual([payload]);
    await eventually(() => pageA.locator('[data-status="sent"]').count()).toBe(1);
    await sleep(200);

    for (const page of [pageA, pageB]) {
      expect(await bodies(page)).toEqual([payload]);
      expect(await page.getByTestId('message-list').locator('img, script').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    }
  });

  it('sending faster than the server allows: the message says it is held, then goes out by itself, in order', async () => {
    const server = await harness.startServer({ config: { rateLimits: { messages: { points: 2, durationSeconds: 2 } } } });
    const page = await harness.newPage(server.url);
    await signUp(page, account('lena', 'Lena Lind'));
    for (const text of ['one', 'two', 'three']) await send(page, text);

    const held = messageRow(page, 'three').getByTestId('message-held');
    await eventually(() => held.textContent()).toMatch(/You are sending too fast\. This goes out in [12] s…/);
    await eventually(() => page.locator('[data-status="sent"]').count(), 5_000).toBe(3);
    expect(await bodies(page)).toEqual(['one', 'two', 'three']);
    expect(await page.getByTestId('message-failed').count()).toBe(0);
  });
});

