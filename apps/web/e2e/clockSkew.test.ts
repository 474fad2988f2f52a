import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { account, eventually, messageRow, send, signUp } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();
const THREE_MINUTES = 3 * 60_000;

/** A page whose device clock is `skewMs` off the real one (and the server's), from its first script on. */
async function skewedPage(baseUrl: string, skewMs: number): Promise<Page> {
  const page = await harness.newPage(baseUrl);
  await page.clock.install({ time: Date.now() + skewMs });
  return page;
}

/** Sends `body` and waits for the server's ack; returns the row. */
async function sendAndWaitForAck(page: Page, body: string) {
  await send(page, body);
  const row = messageRow(page, body);
  await eventually(() => row.getAttribute('data-status')).toBe('sent');
  return row;
}

describe('a device clock minutes off', () => {
  it('3 minutes fast: Recall is offered right after the ack, with the whole window left', async () => {
    const server = await harness.startServer();
    const page = await skewedPage(server.url, THREE_MINUTES);
    await signUp(page, account('alice', 'Alice Archer'));
    expect(await page.evaluate(() => Date.now())).toBeGreaterThan(Date.now() + THREE_MINUTES - 10_000);

    const row = await sendAndWaitForAck(page, 'sent from a fast clock');
    await row.hover();
    await eventually(() => row.getByTestId('message-recall').textContent()).toMatch(/^Recall \((1:5\d|2:00)\)$/);
    // Today is today on the server's clock too.
    expect(await page.getByTestId('day-separator').allTextContents()).toEqual(['Today']);
  });

  it('3 minutes slow: Recall disappears when the server\'s window ends, not 3 minutes later', async () => {
    const windowMs = 8_000;
    const server = await harness.startServer({ config: { recallWindowMs: windowMs } });
    const page = await skewedPage(server.url, -THREE_MINUTES);
    await signUp(page, account('alice', 'Alice Archer'));

    const sentAt = Date.now();
    const row = await sendAndWaitForAck(page, 'sent from a slow clock');
    const button = row.getByTestId('message-recall');
    await eventually(() => button.textContent()).toMatch(/^Recall \(0:0\d\)$/);
    await eventually(() => button.count(), windowMs + 5_000).toBe(0);
    // Gone by the end of the server's window (plus the button's one-second tick and polling).
    expect(Date.now() - sentAt).toBeLessThanOrEqual(windowMs + 3_000);
  });
});
