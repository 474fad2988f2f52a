import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Ack } from '@confab/shared';
import { postMessage } from '@confab/server';
import { account, bodies, eventually, registerViaApi, send, waitForLobby } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

/** Messages the banned user wrote: a few hundred, as a spammer's. */
const SPAM = 300;

async function banAs(baseUrl: string, adminToken: string, userId: string): Promise<number> {
  const socket: Socket = io(`${baseUrl}/admin`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${adminToken}` } });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(60_000).emitWithAck('admin:user:ban', { userId })) as Ack<{ removedMessages: number }>;
    if (!ack.ok) throw new Error(`ban: ${ack.error.code} ${ack.error.message}`);
    return ack.data.removedMessages;
  } finally {
    socket.disconnect();
  }
}

/** Scrolls the open room to its first message, so that every message it holds is on the page. */
async function loadWholeHistory(page: Page): Promise<void> {
  while ((await page.getByTestId('room-start').count()) === 0) {
    await page.getByTestId('message-list').evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(100);
  }
}

describe('a ban that removes a few hundred messages', () => {
  it('turns every one into "removed by a moderator" in a tab viewing the room, which stays usable', async () => {
    const server = await harness.startServer();
    const admin = await registerViaApi(server.url, account('root', 'Rita Root'));
    const bob = await registerViaApi(server.url, account('bob', 'Bob Spammer'));
    const carol = await registerViaApi(server.url, account('carol', 'Carol Chu'));
    await postMessage(server.stores, carol.user, 'Before the spam');
    for (let i = 1; i <= SPAM; i += 1) await postMessage(server.stores, bob.user, `Spam ${i}`);
    await postMessage(server.stores, carol.user, 'Please stop');

    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, carol.token);
    await waitForLobby(page);
    await loadWholeHistory(page);
    await eventually(() => page.getByTestId('message').count()).toBe(SPAM + 2);
    expect(await page.getByTestId('message-removed').count()).toBe(0);

    expect(await banAs(server.url, admin.token, bob.user.id)).toBe(SPAM);

    await eventually(() => page.getByTestId('message-removed').count(), 60_000).toBe(SPAM);
    expect(await page.getByTestId('message').count()).toBe(SPAM + 2);
    expect(await bodies(page)).toEqual(['Before the spam', 'Please stop']);
    // Every tombstone in the place of the message it replaced, in seq order.
    const removedSeqs = await page.locator('[data-testid="message"][data-removed="true"]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq'))));
    expect(removedSeqs).toEqual(Array.from({ length: SPAM }, (_, i) => i + 2));

    await send(page, 'Thanks, admins');
    await eventually(() => bodies(page)).toEqual(['Before the spam', 'Please stop', 'Thanks, admins']);
    await eventually(() => page.locator('[data-testid="message"][data-status="sent"]').filter({ hasText: 'Thanks, admins' }).count()).toBe(1);
  });
});
