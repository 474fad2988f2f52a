import type { Page } from 'playwright-core';

/** A notification as the page raised it. */
export interface Recorded {
  title: string;
  body: string | undefined;
  tag: string | undefined;
  isClosed: boolean;
}

/**
 * Replaces the browser's Notification with a recorder (headless Chromium shows none), starting
 * with `permission`. For `context.addInitScript(stubNotifications, permission)`: it runs in the
 * page, so it uses nothing from this module.
 */
export function stubNotifications(permission: string): void {
  const shown: { title: string; options: NotificationOptions; isClosed: boolean }[] = [];
  class FakeNotification {
    static permission = permission as NotificationPermission;
    static requestPermission(): Promise<NotificationPermission> {
      FakeNotification.permission = 'granted';
      return Promise.resolve('granted');
    }
    onclick: (() => void) | null = null;
    readonly #record: (typeof shown)[number];
    constructor(title: string, options: NotificationOptions = {}) {
      this.#record = { title, options, isClosed: false };
      shown.push(this.#record);
    }
    close(): void {
      this.#record.isClosed = true;
    }
  }
  Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: FakeNotification });
  Object.defineProperty(window, '__notifications', { value: shown });
}

/** Every notification the page raised, oldest first. */
export function notifications(page: Page): Promise<Recorded[]> {
  return page.evaluate(() =>
    (window as unknown as { __notifications: { title: string; options: NotificationOptions; isClosed: boolean }[] }).__notifications.map((n) => ({
      title: n.title,
      body: n.options.body,
      tag: n.options.tag,
      isClosed: n.isClosed,
    })),
  );
}
