import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { serverClock } from '../lib/serverClock';
import { useSettingsStore } from './settings';

const SKEW_MS = 180_000;

/** A `fetch` answering `GET /api/settings` with a server clock `SKEW_MS` ahead of this one, or failing. */
function stubServer(isUp: () => boolean = () => true) {
  const fetch = vi.fn(async () => {
    if (!isUp()) throw new TypeError('Failed to fetch');
    const body = { recallWindowMs: 120_000, awayAfterMs: 300_000, serverTime: new Date(Date.now() + SKEW_MS).toISOString() };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('settings store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => {
    vi.unstubAllGlobals();
    // The clock is app-wide: put it back for the next test.
    serverClock.observe(new Date().toISOString(), Date.now(), Date.now());
  });

  it('reads the server\'s clock with the settings, so server-now is right on a device clock minutes off', async () => {
    stubServer();
    const store = useSettingsStore();
    await store.load();
    expect(store.settings?.recallWindowMs).toBe(120_000);
    expect(Math.abs(serverClock.now() - (Date.now() + SKEW_MS))).toBeLessThan(1_000);
  });

  it('loads again on every call (each connect), sharing one request among calls made while it runs', async () => {
    const fetch = stubServer();
    const store = useSettingsStore();
    await Promise.all([store.load(), store.load()]);
    expect(fetch).toHaveBeenCalledTimes(1);
    await store.load();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('keeps the settings it holds when a later load fails', async () => {
    let isUp = true;
    stubServer(() => isUp);
    const store = useSettingsStore();
    await store.load();
    isUp = false;
    await store.load();
    expect(store.loadStatus).toBe('error');
    expect(store.settings?.recallWindowMs).toBe(120_000);
  });
});
