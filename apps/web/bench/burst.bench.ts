import { appendFileSync, writeFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack, UserDto } from '@confab/shared';
import { postMessage, startServer, type RunningServer } from '@confab/server';
import { account, registerViaApi } from '../e2e/support/app';
import { WEB_DIST, WEB_ROOT } from '../e2e/support/paths';

/**
 * A ban's burst of removal entries into a room a tab is viewing (`pnpm bench`).
 *
 * For each room size N, a fresh server holds N lobby messages by one user; a tab of the app shows
 * all of them (every page of history loaded), and an admin bans their author, so the server sends
 * N removal entries. Reported: the time from the ban until the last tombstone is on screen, and
 * the tab's long tasks (the longest is how long the tab was frozen in one piece).
 *
 * Baseline, measured the same way in the same run: the same N messages and the same ban, watched
 * by a page whose list is a bare Vue 3 app (one reactive object and one component per row, an id
 * → row map, no store, no timeline, no scroll keeping) on the same origin and socket. It is the
 * floor for "apply N entries and show N tombstones" in this browser on this machine: what the
 * app's time is above it is what the app's own code costs. It cannot be affected by changes to
 * the app, so the ratio to it is what to compare between runs.
 *
 * BENCH_SIZES="300,1000" picks the sizes; BENCH_PROFILE=dir writes a CPU profile of each app run
 * there and prints where its time went (run on an unminified build to read the names).
 */
const SIZES = (process.env.BENCH_SIZES ?? '300,1000').split(',').map(Number);
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** BENCH_LOG=file: progress lines as the run goes (vitest shows the test's output only at its end). */
const progress = (line: string) => process.env.BENCH_LOG && appendFileSync(process.env.BENCH_LOG, `${new Date().toISOString()} ${line}\n`);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

interface Room {
  server: RunningServer;
  spammer: UserDto;
  viewerCookie: string;
  adminToken: string;
  messages: { id: string; author: string; body: string }[];
}

/** A fresh server whose lobby holds `n` messages by one user, an admin, and a viewer. */
async function roomOf(n: number): Promise<Room> {
  const server = await startServer({ staticDir: WEB_DIST });
  const admin = await registerViaApi(server.url, account('root', 'Rita Root'));
  const spammer = (await server.seedUser()).user;
  const viewer = await server.seedUser();
  const messages = [];
  for (let i = 1; i <= n; i += 1) {
    const stored = await postMessage(server.stores, spammer, `Spam number ${i}: buy followers at a discount, today only`);
    messages.push({ id: stored.id, author: spammer.displayName, body: stored.body });
  }
  return { server, spammer, viewerCookie: viewer.cookie, adminToken: admin.token, messages };
}

async function ban(room: Room): Promise<void> {
  const socket: Socket = io(`${room.server.url}/admin`, { forceNew: true, reconnection: false, transports: ['websocket'], extraHeaders: { cookie: `confab_session=${room.adminToken}` } });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(120_000).emitWithAck('admin:user:ban', { userId: room.spammer.id })) as Ack<{ removedMessages: number }>;
    if (!ack.ok) throw new Error(`ban: ${ack.error.message}`);
  } finally {
    socket.disconnect();
  }
}

/** Records every long task (50 ms or more) the page runs, from its first script on. */
function recordLongTasks(): void {
  const tasks: number[] = [];
  (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function newPage(room: Room): Promise<Page> {
  const context = await browser.newContext({ baseURL: room.server.url, viewport: { width: 1100, height: 760 }, locale: 'en-US', timezoneId: 'UTC', serviceWorkers: 'block' });
  const [name, value] = room.viewerCookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: room.server.url }]);
  const page = await context.newPage();
  await page.addInitScript(recordLongTasks);
  page.on('pageerror', (err) => progress(`page error: ${err.message}`));
  return page;
}

/** The app's lobby with every page of its history loaded. */
async function openApp(room: Room): Promise<Page> {
  const page = await newPage(room);
  await page.goto('/');
  await page.getByTestId('composer-input').waitFor();
  while ((await page.getByTestId('room-start').count()) === 0) {
    await page.getByTestId('message-list').evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(100);
    progress(`app: ${await page.getByTestId('message').count()} messages shown`);
  }
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message"]').length === n, room.messages.length);
  return page;
}

/** The baseline: the same messages in a bare Vue list on the same origin, fed by its own `/lobby` socket. */
async function openBaseline(room: Room): Promise<Page> {
  const page = await newPage(room);
  await page.route('**/bench-baseline', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body><div id="app"></div></body></html>' }));
  await page.goto('/bench-baseline');
  await page.addScriptTag({ path: `${WEB_ROOT}node_modules/vue/dist/vue.global.prod.js` });
  await page.addScriptTag({ path: `${WEB_ROOT}node_modules/socket.io-client/dist/socket.io.min.js` });
  await page.evaluate(baselineApp, room.messages);
  return page;
}

function baselineApp(messages: Room['messages']): Promise<void> {
  type Row = Room['messages'][number] & { isRemoved: boolean };
  const { createApp, h, reactive } = (window as unknown as { Vue: typeof import('vue') }).Vue;
  const connect = (window as unknown as { io: (path: string, options: object) => Socket }).io;
  const rows = reactive(messages.map((m) => ({ ...m, isRemoved: false }))) as Row[];
  const index = new Map(messages.map((m, i) => [m.id, i]));
  const RowView = {
    props: ['row'],
    render(this: { row: Row }) {
      const row = this.row;
      return h('article', { 'data-testid': 'message' }, [
        h('b', row.author),
        row.isRemoved ? h('p', { 'data-testid': 'message-removed' }, 'Message removed by a moderator') : h('p', row.body),
      ]);
    },
  };
  createApp({ render: () => h('div', { style: 'height: 700px; overflow: auto' }, rows.map((row) => h(RowView, { row, key: row.id }))) }).mount('#app');
  const socket = connect('/lobby', { withCredentials: true });
  socket.on('message:new', (m: { recall?: { messageId: string } }) => {
    const i = m.recall ? index.get(m.recall.messageId) : undefined;
    if (i !== undefined) rows[i]!.isRemoved = true;
  });
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', (err: Error) => reject(err));
  });
}

interface Result {
  page: string;
  n: number;
  lastTombstoneMs: number;
  longestTaskMs: number;
  longTasksTotalMs: number;
  longTasks: number;
}

async function measure(kind: 'app' | 'bare Vue baseline', n: number): Promise<Result> {
  const room = await roomOf(n);
  progress(`${kind}, N=${n}: room filled`);
  const page = kind === 'app' ? await openApp(room) : await openBaseline(room);
  try {
    progress(`${kind}, N=${n}: page shows every message`);
    await page.waitForTimeout(500);
    await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
    const cdp = PROFILE_DIR && kind === 'app' ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const start = performance.now();
    const banned = ban(room);
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="message-removed"]').length === count, n, { polling: 'raf', timeout: 900_000 });
    const lastTombstoneMs = performance.now() - start;
    progress(`${kind}, N=${n}: every tombstone shown after ${Math.round(lastTombstoneMs)} ms`);
    await banned;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${PROFILE_DIR}/burst-${n}.cpuprofile`, JSON.stringify(profile));
      printHotspots(profile as unknown as CpuProfile, n);
    }
    // A frame for any task still running to be reported.
    await page.waitForTimeout(200);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    expect(await page.getByTestId('message-removed').count()).toBe(n);
    return {
      page: kind,
      n,
      lastTombstoneMs: Math.round(lastTombstoneMs),
      longestTaskMs: Math.round(Math.max(0, ...tasks)),
      longTasksTotalMs: Math.round(tasks.reduce((sum, d) => sum + d, 0)),
      longTasks: tasks.length,
    };
  } finally {
    await page.context().close();
    await room.server.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions the profile spent most of its own time in. */
function printHotspots(profile: CpuProfile, n: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').at(-1)}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`CPU profile, N=${n}: self time (ms)\n${top.map(([name, ms]) => `${ms.toFixed(0).padStart(8)}  ${name}`).join('\n')}`);
}

it('reports a burst of removal entries in the app beside a bare Vue list', async () => {
  const results: Result[] = [];
  for (const n of SIZES) {
    results.push(await measure('bare Vue baseline', n));
    results.push(await measure('app', n));
  }
  console.table(results);
});
