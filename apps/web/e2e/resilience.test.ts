import { describe, expect, it } from 'vitest';
import { postMessage } from '@confab/server';
import { account, bodies, eventually, messageRow, registerViaApi, send, signIn, signUp, waitForLobby } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('losing the server', () => {
  it('counts down while it is gone, then catches up and delivers what was written offline, once', async () => {
    const server = await harness.startServer();
    const { stores, port } = server;
    const page = await harness.newPage(server.url);
    await signUp(page, account('nina', 'Nina Noor'));
    const { user: omar } = await registerViaApi(server.url, account('omar', 'Omar Ortiz'));
    await send(page, 'before the outage');
    await eventually(() => page.locator('[data-status="sent"]').count()).toBe(1);
    expect(await page.getByTestId('connection-banner').count()).toBe(0);

    await server.close();
    const banner = page.getByTestId('connection-banner');
    await eventually(() => banner.textContent(), 5_000).toMatch(/Reconnecting in \d+s…/);
    expect(await page.getByTestId('composer-note').textContent()).toContain('You are offline');

    await postMessage(stores, omar, 'sent while you were away');
    await send(page, 'written while offline');
    const pending = messageRow(page, 'written while offline');
    expect(await pending.getAttribute('data-status')).toBe('pending');
    expect(await pending.getByTestId('message-pending').textContent()).toBe('Sending…');
    expect(await page.getByTestId('composer-input').inputValue()).toBe('');

    await harness.startServer({ port, stores });
    await eventually(() => banner.count(), 15_000).toBe(0);
    await eventually(() => bodies(page)).toEqual(['before the outage', 'sent while you were away', 'written while offline']);
    await eventually(() => pending.getAttribute('data-status')).toBe('sent');
    expect(await messageRow(page, 'sent while you were away').getByTestId('message-author').textContent()).toBe('Omar Ortiz');

    const stored = (await stores.messages.history('lobby', { limit: 100 })).messages;
    expect(stored.map((m) => m.body)).toEqual(['before the outage', 'sent while you were away', 'written while offline']);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('a server that no longer accepts the session sends the reader to sign in', async () => {
    const server = await harness.startServer();
    const { stores, port } = server;
    const page = await harness.newPage(server.url);
    const pia = account('pia', 'Pia Park');
    await signUp(page, pia);
    await eventually(() => page.getByTestId('sidebar-status').textContent()).toContain('Connected');

    // A new signing key invalidates every session token issued before it.
    await server.close();
    await harness.startServer({ port, stores, config: { sessionSecret: `rotated-${'k'.repeat(40)}` } });
    await page.waitForURL((url) => url.pathname === '/signin', { timeout: 15_000 });
    await page.getByTestId('signin-form').waitFor();
    expect(await page.getByTestId('session-expired').textContent()).toContain('Your session has ended');

    await signIn(page, pia);
    await waitForLobby(page);
    await eventually(() => page.getByTestId('sidebar-status').textContent()).toContain('Connected');
  });
});
