import { io, type Socket } from 'socket.io-client';
import type { Locator, Page } from 'playwright-core';
import type { Ack, RoomSummaryDto } from '@confab/shared';

/** A protocol client on `/dm` for a session token from `registerViaApi`: sets up rooms without clicking through the UI. */
export async function roomClient(baseUrl: string, token: string): Promise<{ ask<T>(event: string, payload: unknown): Promise<T>; close(): void }> {
  const socket: Socket = io(`${baseUrl}/dm`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return {
    async ask<T>(event: string, payload: unknown): Promise<T> {
      const ack = (await socket.timeout(5_000).emitWithAck(event, payload)) as Ack<T>;
      if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
      return ack.data;
    },
    close: () => void socket.disconnect(),
  };
}

/** Creates a channel over the protocol as the token's user. */
export async function createChannelAs(baseUrl: string, token: string, name: string, isPrivate = false, topic = ''): Promise<RoomSummaryDto> {
  const client = await roomClient(baseUrl, token);
  try {
    return await client.ask<RoomSummaryDto>('channel:create', { name, private: isPrivate, topic });
  } finally {
    client.close();
  }
}

/** The sidebar entry of the channel named `name`. */
export function channelItem(page: Page, name: string): Locator {
  return page.locator(`[data-testid="channel-item"][data-name="${name}"]`);
}

/** A channel's unread badge text in the sidebar, or null when there is none. */
export async function channelUnread(page: Page, name: string): Promise<string | null> {
  const badge = channelItem(page, name).getByTestId('channel-unread');
  return (await badge.count()) === 0 ? null : badge.textContent();
}

/** Whether the channel's sidebar entry shows as unread (bold). */
export async function isChannelBold(page: Page, name: string): Promise<boolean> {
  return channelItem(page, name).evaluate((el) => Number(getComputedStyle(el.querySelector('[data-testid="channel-item-name"]')!).fontWeight) >= 700);
}

/** Waits for a channel view, ready to write in. */
export async function waitForChannel(page: Page, name: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === `/c/${encodeURIComponent(name)}`);
  await page.getByTestId('composer-input').waitFor();
}

/** Every room event line's text in the open room, in order. */
export function eventLines(page: Page): Promise<string[]> {
  return page.getByTestId('room-event').allTextContents();
}
