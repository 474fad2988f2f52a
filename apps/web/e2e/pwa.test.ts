import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type Plugin } from 'vite';
import type { Page } from 'playwright-core';
import { account, eventually, registerViaApi, waitForLobby } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { WEB_DIST, WEB_ROOT } from './support/paths';
import { createChannelAs, waitForChannel } from './support/rooms';

// Issue #18, item 5: Confab installs (a web app manifest with icons, a service worker), opens with
// the server out of reach to the room it was on, saying it is offline, and offers a new build
// without ever running a stale shell. The harness blocks service workers; these tests allow them.

const harness = useHarness();
/** What the servers here serve: a copy of the tests' build, which a test "deploys" over. */
let served: string;
/** A second build of the same app, told apart by a marker in its index.html. */
let nextBuild: string;

const BUILD_MARKER = 'pwa-test-next-build';

/** Builds the app as globalSetup does, with a marker in index.html: a new deploy of the same code. */
async function buildNextVersion(outDir: string): Promise<void> {
  const marker: Plugin = {
    name: 'confab-test:build-marker',
    transformIndexHtml: (html) => html.replace('</head>', `<meta name="confab-build" content="${BUILD_MARKER}" /></head>`),
  };
  // As in globalSetup: vitest's NODE_ENV=test would make Vite bundle Vue's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(WEB_ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      plugins: [marker],
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

beforeAll(async () => {
  served = mkdtempSync(join(tmpdir(), 'confab-pwa-served-'));
  cpSync(WEB_DIST, served, { recursive: true });
  nextBuild = mkdtempSync(join(tmpdir(), 'confab-pwa-next-'));
  await buildNextVersion(nextBuild);
}, 120_000);

afterAll(() => {
  for (const dir of [served, nextBuild]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A colour token's light value from the app's stylesheet. */
function lightToken(name: string): string {
  const css = readFileSync(fileURLToPath(new URL('../src/styles/main.css', import.meta.url)), 'utf8');
  const value = new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1];
  if (!value) throw new Error(`no ${name} in main.css`);
  return value.toLowerCase();
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

const controllerUrl = (page: Page) => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);

describe('the installable app', () => {
  it('links a valid manifest in the theme colours, whose icons are there at the sizes it names', async () => {
    const server = await harness.startServer({ staticDir: served });
    const page = await harness.newPage(server.url);
    await page.goto('/signin');
    await page.getByTestId('signin-form').waitFor();

    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as {
      name: string;
      start_url: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Confab', start_url: '/', display: 'standalone' });
    expect(manifest.theme_color).toBe(lightToken('--color-primary'));
    expect(manifest.background_color).toBe(lightToken('--color-bg'));
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(manifest.theme_color);

    const purposes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`);
    expect(purposes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const image = await page.request.get(icon.src);
      expect(image.status(), icon.src).toBe(200);
      expect(image.headers()['content-type'], icon.src).toBe(icon.type);
      expect(pngSize(await image.body()), icon.src).toBe(icon.sizes);
    }
    const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    expect(pngSize(await (await page.request.get(touchIcon!)).body())).toBe('180x180');
  });

  it('as an installed app, started at /, opens the room left last; in a browser tab / stays the lobby; another account never lands there', async () => {
    const server = await harness.startServer();
    const { token } = await registerViaApi(server.url, account('lastroom', 'Lars Room'));
    await createChannelAs(server.url, token, 'left-here');
    const other = await registerViaApi(server.url, account('otheruser', 'Olga Other'));
    const page = await harness.newPage(server.url);
    // Chromium here runs no installed app: the page is told it is one, as the app's window would be.
    await page.addInitScript(() => {
      const real = window.matchMedia.bind(window);
      window.matchMedia = (query: string) =>
        query === '(display-mode: standalone)' && sessionStorage.getItem('as-installed') === '1' ? ({ ...real(query), matches: true } as MediaQueryList) : real(query);
    });
    await openSignedIn(page, server.url, token, '/c/left-here');
    await waitForChannel(page, 'left-here');

    // A browser tab opened at / shows the lobby, as it always did.
    await page.goto('/');
    await waitForLobby(page);
    await page.goto('/c/left-here');
    await waitForChannel(page, 'left-here');
    // The installed app starts at its start_url, '/'.
    await page.evaluate(() => sessionStorage.setItem('as-installed', '1'));
    await page.goto('/');
    await waitForChannel(page, 'left-here');

    // Someone else signs in on this browser: their app opens at the lobby.
    await page.context().clearCookies();
    await openSignedIn(page, server.url, other.token, '/');
    await waitForLobby(page);
  });

  it('opens the last room offline with the server stopped, and offers a new build, which Reload brings in', async () => {
    const server = await harness.startServer({ staticDir: served });
    const { stores, port } = server;
    const { token } = await registerViaApi(server.url, account('pwa', 'Pia Webb'));
    await createChannelAs(server.url, token, 'field-notes');
    const page = await harness.newPage(server.url, { serviceWorkers: 'allow' });
    await openSignedIn(page, server.url, token, '/c/field-notes');
    await waitForChannel(page, 'field-notes');

    // Installed: the worker precached the shell (it is active once that finished); the next load is its.
    const scriptUrl = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(scriptUrl).toBe(`${server.url}/sw.js`);
    await page.reload();
    await waitForChannel(page, 'field-notes');
    expect(await controllerUrl(page)).toBe(`${server.url}/sw.js`);
    expect(await page.getByTestId('update-prompt').count()).toBe(0);

    // The server is gone: a reload still opens the app, in the same room, as the same user, and says so.
    await server.close();
    const response = await page.reload();
    expect(response?.status()).toBe(200);
    // The room, or the sign-in form the app would fall back to without the user it last knew.
    await page.locator('[data-testid="room-title"], [data-testid="signin-form"]').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/c/field-notes');
    expect(await page.getByTestId('room-title').textContent()).toBe('#field-notes');
    expect(await page.getByTestId('current-user').textContent()).toBe('Pia Webb');
    await eventually(() => page.getByTestId('connection-banner').textContent(), 15_000).toMatch(/Cannot reach the server\. Retrying in \d+s…/);
    expect(await page.getByTestId('signin-form').count()).toBe(0);

    // A new build is deployed while the app is open, and the server comes back with it.
    cpSync(nextBuild, served, { recursive: true });
    await harness.startServer({ port, stores, staticDir: served });
    await eventually(() => page.getByTestId('connection-banner').count(), 15_000).toBe(0);
    const prompt = page.getByTestId('update-prompt');
    await eventually(() => prompt.textContent(), 15_000).toContain('A new version of Confab is available.');
    expect(await prompt.locator('xpath=..').getAttribute('role')).toBe('status');
    // Still the old version until the user says so.
    expect(await page.locator('meta[name="confab-build"]').count()).toBe(0);

    // Keyboard reachable, and Reload swaps to the new build.
    const reload = page.getByTestId('update-reload');
    await reload.focus();
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await waitForChannel(page, 'field-notes');
    expect(await page.locator('meta[name="confab-build"]').getAttribute('content')).toBe(BUILD_MARKER);
    expect(await controllerUrl(page)).toBe(`${server.url}/sw.js`);
    expect(await page.getByTestId('update-prompt').count()).toBe(0);
  });
});
