import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { account, bodies, countOf, eventually, registerViaApi, send, sleep, waitForLobby, type Account } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';

const harness = useHarness();

function groupItem(page: Page) {
  return page.getByTestId('group-item');
}

async function addPerson(page: Page, who: Account): Promise<void> {
  await page.getByTestId('directory-search').fill(who.displayName);
  const add = page.locator(`[data-testid="directory-add"][data-username="${who.username}"]`);
  await add.waitFor();
  await add.click();
  await eventually(() => add.getAttribute('aria-pressed')).toBe('true');
}

describe('group conversations', () => {
  it('Alice, Bob and Carol talk in a group Alice opens from "New message"', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const carol = account('carol', 'Carol Chu');
    const dan = account('dan', 'Dan Diaz');
    const tokens = await Promise.all([alice, bob, carol, dan].map((who) => registerViaApi(server.url, who)));
    const [pageA, pageB, pageC, pageD] = await Promise.all(tokens.map(() => harness.newPage(server.url)));
    for (const [i, page] of [pageA!, pageB!, pageC!, pageD!].entries()) {
      await openSignedIn(page, server.url, tokens[i]!.token);
      await waitForLobby(page);
    }

    await pageA!.getByTestId('dm-new').click();
    await addPerson(pageA!, bob);
    await addPerson(pageA!, carol);
    expect(await pageA!.getByTestId('directory-selected').locator('li').count()).toBe(2);
    await pageA!.getByTestId('directory-start').click();
    await pageA!.waitForURL((url) => url.pathname.startsWith('/g/'));
    await pageA!.getByTestId('composer-input').waitFor();
    expect(await pageA!.getByTestId('room-title').textContent()).toBe('Bob Baker, Carol Chu');
    expect(await pageA!.title()).toBe('Bob Baker, Carol Chu · Confab');
    const groupPath = new URL(pageA!.url()).pathname;

    await send(pageA!, 'Lunch on Friday?');
    await eventually(() => pageA!.locator('[data-status="sent"]').count()).toBe(1);

    // Bob and Carol see the group in "Direct messages", named by the others, unread.
    for (const [page, name] of [[pageB!, 'Alice Archer, Carol Chu'], [pageC!, 'Alice Archer, Bob Baker']] as const) {
      await eventually(() => groupItem(page).count()).toBe(1);
      await eventually(() => groupItem(page).getByTestId('group-item-name').textContent()).toBe(name);
      await eventually(() => groupItem(page).getByTestId('group-unread').textContent()).toBe('1');
      expect(await groupItem(page).getByTestId('group-item-preview').textContent()).toBe('Alice Archer: Lunch on Friday?');
    }
    await groupItem(pageB!).click();
    await pageB!.waitForURL((url) => url.pathname === groupPath);
    await eventually(() => bodies(pageB!)).toEqual(['Lunch on Friday?']);
    await eventually(() => groupItem(pageB!).getByTestId('group-unread').count()).toBe(0);
    await send(pageB!, 'Count me in');

    await groupItem(pageC!).click();
    await pageC!.waitForURL((url) => url.pathname === groupPath);
    await eventually(() => bodies(pageC!)).toEqual(['Lunch on Friday?', 'Count me in']);
    await send(pageC!, 'Me too, 12:30?');

    const expected = ['Lunch on Friday?', 'Count me in', 'Me too, 12:30?'];
    for (const page of [pageA!, pageB!, pageC!]) await eventually(() => bodies(page)).toEqual(expected);
    await sleep(300);
    for (const page of [pageA!, pageB!, pageC!]) expect(await bodies(page)).toEqual(expected);

    // Opening the same three again, from Carol's side, finds the same room.
    await pageC!.getByTestId('dm-new').click();
    await addPerson(pageC!, alice);
    await addPerson(pageC!, bob);
    await pageC!.getByTestId('directory-start').click();
    await pageC!.waitForURL((url) => url.pathname === groupPath);
    expect(await groupItem(pageC!).count()).toBe(1);

    // Dan, who is not in it, sees nothing of it.
    expect(await groupItem(pageD!).count()).toBe(0);
    await pageD!.goto(groupPath);
    await pageD!.getByTestId('room-not-found').waitFor();
    expect(countOf(await pageD!.getByTestId('message-body').allTextContents(), 'Lunch on Friday?')).toBe(0);
  });
});
