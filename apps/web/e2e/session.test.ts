import { describe, expect, it } from 'vitest';
import { account, bodies, eventually, send, signIn, signUp, waitForLobby } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('sessions', () => {
  it('a reload keeps the session and the history; signing out returns to sign-in for good', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    const gina = account('gina', 'Gina Grant');
    await signUp(page, gina);
    await send(page, 'remember me');
    await send(page, 'and me');
    await eventually(() => page.locator('[data-status="sent"]').count()).toBe(2);

    await page.reload();
    await waitForLobby(page);
    await eventually(() => bodies(page)).toEqual(['remember me', 'and me']);
    expect(await page.getByTestId('current-user').textContent()).toBe('Gina Grant');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.getByTestId('signin-form').waitFor();

    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.getByTestId('signin-form').waitFor();
    expect(await page.getByTestId('message-list').count()).toBe(0);

    // Signing in again comes back to the same history.
    await signIn(page, gina);
    await waitForLobby(page);
    await eventually(() => bodies(page)).toEqual(['remember me', 'and me']);
  });

  it('a deep link while signed out comes back after signing in, and signed-in users skip the forms', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    const hana = account('hana', 'Hana Holt');
    await signUp(page, hana);
    await page.goto('/signin');
    await page.waitForURL((url) => url.pathname === '/');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.goto('/?from=link');
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('redirect') === '/?from=link');
    await signIn(page, hana);
    await page.waitForURL((url) => url.pathname === '/' && url.search === '?from=link');
  });

  it('a wrong password and a taken username are explained', async () => {
    const server = await harness.startServer();
    const page = await harness.newPage(server.url);
    const ivan = account('ivan', 'Ivan Ito');
    await signUp(page, ivan);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signin-form').waitFor();

    await signIn(page, { username: ivan.username, password: 'not the password' });
    await eventually(() => page.getByTestId('signin-error').textContent()).toBe('Wrong username or password.');
    expect(new URL(page.url()).pathname).toBe('/signin');

    await page.goto('/signup');
    await page.getByTestId('signup-username').fill(ivan.username.toUpperCase());
    await page.getByTestId('signup-password').fill('short');
    await page.getByTestId('signup-submit').click();
    // Checked in the browser with the shared schema, before any request.
    await eventually(() => page.getByTestId('signup-password-error').textContent()).toBe('Password must be at least 8 characters');

    await page.getByTestId('signup-password').fill('long enough password');
    await page.getByTestId('signup-submit').click();
    await eventually(() => page.getByTestId('signup-username-error').textContent()).toBe('That username is taken.');
    expect(new URL(page.url()).pathname).toBe('/signup');
  });

  it('changing the password keeps this browser signed in and connected, and signs every other browser out', async () => {
    const server = await harness.startServer();
    const here = await harness.newPage(server.url);
    const elsewhere = await harness.newPage(server.url);
    const jade = account('jade', 'Jade Jones');
    await signUp(here, jade);
    await signIn(elsewhere, jade);
    await waitForLobby(elsewhere);

    await here.getByTestId('user-menu').click();
    await here.getByTestId('to-account').click();
    await here.waitForURL((url) => url.pathname === '/account');
    await here.getByTestId('password-current').fill('not my password');
    await here.getByTestId('password-new').fill('a brand new passphrase');
    await here.getByTestId('password-confirm').fill('a brand new passphrase');
    await here.getByTestId('password-submit').click();
    await eventually(() => here.getByTestId('password-current-error').textContent()).toBe('The current password is wrong.');
    expect(await elsewhere.getByTestId('composer-input').count()).toBe(1);

    await here.getByTestId('password-current').fill(jade.password);
    await here.getByTestId('password-submit').click();
    await eventually(() => here.getByTestId('password-changed').textContent()).toContain('Every other device and browser was signed out');

    // The other browser's session ended: it is sent to sign in.
    await elsewhere.waitForURL((url) => url.pathname === '/signin');
    expect(await elsewhere.getByTestId('session-expired').textContent()).toContain('Your session has ended');
    // This one reconnected under its new session and still chats.
    await here.getByTestId('password-done').click();
    await waitForLobby(here);
    await eventually(() => here.getByTestId('sidebar-status').textContent()).toContain('Connected');
    await send(here, 'new password, same me');
    await eventually(() => here.locator('[data-status="sent"]').count()).toBe(1);

    await signIn(elsewhere, jade);
    await eventually(() => elsewhere.getByTestId('signin-error').textContent()).toBe('Wrong username or password.');
    await signIn(elsewhere, { username: jade.username, password: 'a brand new passphrase' });
    await waitForLobby(elsewhere);
    await eventually(() => bodies(elsewhere)).toEqual(['new password, same me']);
  });
});
