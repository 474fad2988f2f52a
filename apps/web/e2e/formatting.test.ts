// Message formatting as another user sees it: the markdown subset renders, a web link opens in a
// new tab without a handle on Confab's window, a javascript: link stays text and never runs, and
// a 4,000-character URL or a long code line never makes a phone-sized page scroll sideways.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@confab/shared';
import type { Page } from 'playwright-core';
import { account, eventually, send, signUp } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

/**
 * What scrolls sideways: the page itself, or any scroll container other than a code block (those
 * scroll inside themselves on purpose). Names what it finds, so a failure says where to look.
 */
function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    const found: string[] = [];
    if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const { overflowX } = getComputedStyle(el);
      if (el.tagName !== 'PRE' && (overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth) {
        found.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return found;
  });
}

describe('formatted messages', () => {
  it('Bob sees Alice\'s bold, code, emoji, mention and a working link; a javascript: link is inert text', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url);
    await signUp(pageA, alice);
    await signUp(pageB, bob);
    const dialogs: string[] = [];
    pageB.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // The linked site is outside this machine's reach: the browser gets a stand-in page for it.
    await pageB.context().route('https://docs.example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Docs</title>docs' }));

    const body = `**bold** and \`code\` :tada: @${bob.username} see https://docs.example.com/start and [x](javascript:alert(1))`;
    await send(pageA, body);

    const message = pageB.getByTestId('message-body').filter({ hasText: 'see https://docs.example.com/start' });
    await eventually(() => message.count()).toBe(1);
    expect(await message.locator('strong').textContent()).toBe('bold');
    expect(await message.locator('code').textContent()).toBe('code');
    await eventually(() => message.textContent()).toContain('🎉');
    expect(await message.locator('.mention.mention-me').textContent()).toBe(`@${bob.username}`);
    // Alice sees the mention too, not marked as her own.
    const sent = pageA.getByTestId('message-body').filter({ hasText: 'see https://docs.example.com/start' });
    await eventually(() => sent.locator('.mention').count()).toBe(1);
    expect(await sent.locator('.mention-me').count()).toBe(0);

    const links = message.locator('a');
    expect(await links.count()).toBe(1);
    const link = links.first();
    expect(await link.textContent()).toBe('https://docs.example.com/start');
    expect(await link.getAttribute('href')).toBe('https://docs.example.com/start');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await message.textContent()).toContain('[x](javascript:alert(1))');
    expect(await pageB.locator('a[href^="javascript:" i], [onclick], [onerror]').count()).toBe(0);

    // The web link opens in a new tab that cannot reach back into Confab's window.
    const [popup] = await Promise.all([pageB.context().waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe('https://docs.example.com/start');
    expect(await popup.evaluate(() => window.opener === null)).toBe(true);
    await popup.close();

    // Clicking the javascript: text runs nothing and goes nowhere.
    const url = pageB.url();
    await message.getByText('[x](javascript:alert(1))', { exact: false }).click();
    await pageB.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(pageB.url()).toBe(url);
  });

  it('a 4,000-character URL and a long code line leave a 390 px page without sideways scrolling', async () => {
    const server = await harness.startServer();
    const pageA = await harness.newPage(server.url);
    const pageB = await harness.newPage(server.url, { width: 390, height: 800 });
    await signUp(pageA, account('alice', 'Alice Archer'));
    await signUp(pageB, account('bob', 'Bob Baker'));

    const longUrl = `https://example.com/${'a1b2c3d4'.repeat(500)}`.slice(0, LIMITS.bodyMaxLength);
    expect(longUrl).toHaveLength(4000);
    await send(pageA, longUrl);
    await send(pageA, `\`\`\`\nconst line = '${'x'.repeat(300)}';\n\`\`\``);

    const urlBody = pageB.getByTestId('message-body').filter({ has: pageB.locator('a') });
    await eventually(() => urlBody.locator('a').getAttribute('href')).toBe(longUrl);
    const code = pageB.getByTestId('message-body').locator('pre');
    await eventually(() => code.count()).toBe(1);

    expect(await sidewaysScrollers(pageB)).toEqual([]);
    const box = (await urlBody.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    // The URL wraps onto many lines rather than being cut.
    expect(box.height).toBeGreaterThan(200);
    // The code keeps its line and scrolls inside its own box.
    const pre = await code.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right }));
    expect(pre.scroll).toBeGreaterThan(pre.client);
    expect(pre.right).toBeLessThanOrEqual(390);
  });
});
