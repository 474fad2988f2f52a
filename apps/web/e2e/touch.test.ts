/**
 * A phone: 390 px wide, touch, no hover. The message actions that a mouse finds by hovering are
 * found by tapping the message instead; hidden ones take no taps (a tap on a code block's Copy
 * reaches Copy, not the next message's actions); Recall stays in sight on one's own message; and
 * what a mouse reads in hover titles (who reacted, who saw it, when it was edited) shows on a tap.
 */
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dmRoomId, type MessageDto } from '@confab/shared';
import { account, bodies, eventually, messageRow, registerViaApi } from './support/app';
import { openSignedIn, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { roomClient } from './support/rooms';

const harness = useHarness();
const COMMAND = 'pnpm --filter @confab/web run build -- --mode production --sourcemap --emptyOutDir';

/** A tap anywhere on `target` (its middle, and 2 px inside each corner) lands on it: nothing covers any of it. */
function isOnTop(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const points = [
      [box.left + box.width / 2, box.top + box.height / 2],
      [box.left + 2, box.top + 2],
      [box.right - 2, box.top + 2],
      [box.left + 2, box.bottom - 2],
      [box.right - 2, box.bottom - 2],
    ];
    return points.every(([x, y]) => {
      const hit = document.elementFromPoint(x!, y!);
      return !!hit && (hit === el || el.contains(hit));
    });
  });
}

/** Shown to the eye, not only to a screen reader (which reads the visually hidden 1 px text too). */
function isShown(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el.getBoundingClientRect().width > 2 && getComputedStyle(el).visibility === 'visible');
}

/** Taps the message's text, away from its links and buttons. */
async function tapText(page: Page, body: string): Promise<void> {
  await messageRow(page, body).getByTestId('message-body').tap();
}

describe('messages on a touch screen', () => {
  it('a tap shows a message\'s actions and details; hidden actions take no taps; Recall stays in sight', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const roomId = dmRoomId(a.user.id, b.user.id);
    const bobDm = await roomClient(server.url, b.token);
    const dmSend = (body: string) => bobDm.ask<MessageDto>('dm:send', { to: a.user.id, clientId: randomUUID(), body });
    // A line longer than the screen: the code block spans the row, its Copy at the right edge under the next row's actions.
    await dmSend(`Run this:\n\`\`\`\n${COMMAND}\n\`\`\``);
    const question = await dmSend('Does it build?');
    await bobDm.ask('message:edit', { id: question.id, body: 'Does it build now?' });

    const page = await harness.newPage(server.url, { width: 390, height: 844, hasTouch: true });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openSignedIn(page, server.url, a.token, `/dm/${bob.username}`);
    await waitForDm(page, bob.username);
    await eventually(() => bodies(page).then((list) => list.at(-1))).toBe('Does it build now?');
    expect(await page.evaluate(() => matchMedia('(hover: none)').matches)).toBe(true);

    const code = page.getByTestId('message').filter({ has: page.locator('.code-block') });
    const next = messageRow(page, 'Does it build now?');
    // Nothing of the next message's actions is shown, or in the way, before a tap.
    for (const action of ['message-react', 'message-reply']) expect(await next.getByTestId(action).isVisible()).toBe(false);
    const copy = code.locator('.code-copy');
    expect(await isOnTop(copy)).toBe(true);
    await copy.tap();
    await eventually(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(COMMAND);
    expect(await page.getByTestId('emoji-menu').count()).toBe(0);
    expect(await page.getByTestId('reply-bar').count()).toBe(0);

    // A tap on the next message shows its actions (and when it was edited), under its text:
    // the Copy above is still what a tap there reaches.
    expect(await isShown(next.getByTestId('message-edited-at'))).toBe(false);
    await tapText(page, 'Does it build now?');
    await eventually(() => next.getAttribute('data-active')).toBe('true');
    expect(await next.getByTestId('message-reply').isVisible()).toBe(true);
    expect(await isShown(next.getByTestId('message-edited-at'))).toBe(true);
    expect(await next.getByTestId('message-edited').textContent()).toMatch(/^\(edited .*\d.*\)$/);
    expect(await isOnTop(copy)).toBe(true);
    expect(await isOnTop(next.getByTestId('message-reply'))).toBe(true);
    await next.getByTestId('message-reply').tap();
    await eventually(() => page.getByTestId('reply-bar').textContent()).toContain('Replying to Bob Baker');
    await page.getByTestId('reply-cancel').tap();

    // Alice's own message: Recall (with its countdown) shows without a tap; Edit waits for one.
    // On a touch screen Enter makes a new line; the Send button sends.
    await page.getByTestId('composer-input').fill('It builds');
    await page.getByTestId('composer-send').tap();
    const mine = messageRow(page, 'It builds');
    await eventually(() => mine.getAttribute('data-status')).toBe('sent');
    await eventually(() => mine.getByTestId('message-recall').isVisible()).toBe(true);
    expect(await mine.getByTestId('message-recall').textContent()).toMatch(/^Recall \(\d:\d\d\)$/);
    expect(await mine.getByTestId('message-edit').isVisible()).toBe(false);

    // Bob reacts and reads it: a tap on it names who reacted, and shows that it was seen.
    const stored = (await page.locator('[data-testid="message"][data-status="sent"]').last().getAttribute('data-message-id'))!;
    await bobDm.ask('reaction:add', { id: stored, emoji: '👍' });
    await bobDm.ask('dm:read', { roomId, seq: Number(await mine.getAttribute('data-seq')) });
    bobDm.close();
    await eventually(() => mine.getByTestId('message-receipt').getAttribute('data-state')).toBe('seen');
    await eventually(() => mine.getByTestId('reaction').count()).toBe(1);
    expect(await mine.getByTestId('reaction-names').count()).toBe(0);
    await tapText(page, 'It builds');
    await eventually(() => mine.getByTestId('reaction-names').textContent()).toBe('👍 Bob Baker');
    expect(await mine.getByTestId('message-receipt-label').textContent()).toBe('Seen');
    expect(await mine.getByTestId('message-edit').isVisible()).toBe(true);
    // Only one message shows its actions at a time.
    expect(await next.getAttribute('data-active')).toBeNull();
    expect(await next.getByTestId('message-reply').isVisible()).toBe(false);
  });
});
