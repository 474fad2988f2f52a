import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer, type StartServerOptions } from '@confab/server';
import { WEB_DIST } from './paths';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Fixed per run so that a restarted server still accepts the sessions the first one issued.
const SESSION_SECRET = `e2e-${Math.random().toString(36).slice(2)}-${'s'.repeat(32)}`;

export interface Harness {
  /** A real Confab server on 127.0.0.1 serving the built SPA; closed after the test. */
  startServer(options?: StartServerOptions): Promise<RunningServer>;
  /**
   * A page in a fresh browser context (one per user: its own cookies), closed after the test.
   * `hasTouch`: a touch screen, as a phone's: taps, and no hover (`(hover: none)` matches).
   * `serviceWorkers`: blocked unless a test allows them (pwa.test.ts), so that no other test
   * runs on a worker's cached copy of the app.
   * `locale`: the browser's language (`navigator.language`, Accept-Language); en-US unless given.
   */
  newPage(baseURL: string, options?: { width?: number; height?: number; hasTouch?: boolean; serviceWorkers?: 'allow' | 'block'; locale?: string }): Promise<Page>;
}

/**
 * One Chromium per test file; servers and contexts per test. Call at the top of a file.
 * Everything started here is stopped here, even when a test fails.
 */
export function useHarness(): Harness {
  let browser: Browser | null = null;
  const servers: RunningServer[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    // A server the test already closed (to simulate an outage) rejects a second close; that is fine.
    for (const server of servers.splice(0)) await server.close().catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    browser = null;
  });

  return {
    async startServer(options = {}) {
      const server = await startServer({
        staticDir: WEB_DIST,
        ...options,
        config: { sessionSecret: SESSION_SECRET, ...options.config },
      });
      servers.push(server);
      return server;
    },
    async newPage(baseURL, options = {}) {
      if (!browser) throw new Error('the browser is not running');
      const context = await browser.newContext({
        baseURL,
        viewport: { width: options.width ?? 1100, height: options.height ?? 760 },
        locale: options.locale ?? 'en-US',
        timezoneId: 'UTC',
        hasTouch: options.hasTouch ?? false,
        serviceWorkers: options.serviceWorkers ?? 'block',
      });
      contexts.push(context);
      return context.newPage();
    },
  };
}
