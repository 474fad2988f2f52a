import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postMessage } from '@confab/server';
import { dmRoomId, type RoomSummaryDto } from '@confab/shared';
import { account, bodies, eventually, registerViaApi, send } from './support/app';
import { useHarness } from './support/harness';
import { postDirectMessage, unreadBadge } from './support/dm';
import { channelUnread, createChannelAs, roomClient } from './support/rooms';
import { ARTIFACTS_DIR, REPO_ROOT } from './support/paths';

const harness = useHarness();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the lobby, as the README shows it', () => {
  it('renders a conversation between three people (formatting, a reply, reactions, a mention, an edit), with channels and direct messages in the sidebar, and saves a 1280×800 screenshot', async () => {
    const server = await harness.startServer();
    // A fresh server: plain usernames read better in the picture (the mention shows one).
    const maya = await registerViaApi(server.url, { ...account('maya', 'Maya Chen'), username: 'maya' });
    const { user: jonas, token: jonasToken } = await registerViaApi(server.url, account('jonas', 'Jonas Berg'));
    const { user: priya, token: priyaToken } = await registerViaApi(server.url, account('priya', 'Priya Natarajan'));
    const { user: sam } = await registerViaApi(server.url, account('sam', 'Sam Okafor'));

    // Direct messages, oldest first: Sam's thread is read, Priya's ends with Maya's reply, Jonas's two are new.
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await postDirectMessage(server.stores, sam, maya.user, 'Docker compose works on my Mac now, thanks!', minutesAgo(95));
    await server.stores.conversations.markRead(dmRoomId(sam.id, maya.user.id), maya.user.id, 1);
    await postDirectMessage(server.stores, priya, maya.user, 'Migration numbers are in the release doc.', minutesAgo(40));
    await postDirectMessage(server.stores, maya.user, priya, 'Thanks, those look great', minutesAgo(38));
    await postDirectMessage(server.stores, jonas, maya.user, 'Got a minute to pair on the release notes?', minutesAgo(6));
    await postDirectMessage(server.stores, jonas, maya.user, 'No rush, after lunch works too.', minutesAgo(5));

    // Channels: #design, where Jonas has written twice since Maya last looked, and a private one of hers.
    const design = await createChannelAs(server.url, jonasToken, 'design', false, 'Mockups, type and pixels');
    const mayaClient = await roomClient(server.url, maya.token);
    const joined = await mayaClient.ask<RoomSummaryDto>('room:join', { roomId: design.room.id });
    await mayaClient.ask('dm:read', { roomId: design.room.id, seq: joined.lastSeq });
    mayaClient.close();
    const jonasClient = await roomClient(server.url, jonasToken);
    for (const [i, body] of ['New sidebar mockups are in Figma.', 'Feedback welcome before Thursday.'].entries()) {
      await jonasClient.ask('dm:send', { roomId: design.room.id, clientId: `shot-design-${i}`, body });
    }
    jonasClient.close();
    await createChannelAs(server.url, maya.token, 'release-crew', true);

    const script: [typeof jonas, string][] = [
      [jonas, 'Morning all! The 0.4 release branch is cut.'],
      [jonas, 'Changelog draft is in the usual place, shout if I missed anything.'],
      [priya, 'Nice. I ran the migration against a copy of production last night: **2.1M messages** in about 40 seconds.'],
      [priya, 'Also, the reconnect banner now counts down instead of spinning forever. People will love that.'],
      [maya.user, 'That was the plan! Checklist before we tag:\n1. Smoke-test sign-up and sign-in\n2. Kill the server mid-conversation and watch the outbox drain\n3. Run `pnpm bench` and refresh the screenshot'],
    ];
    const posted = [];
    for (const [author, body] of script) posted.push(await postMessage(server.stores, author, body));
    const checklist = posted[4]!;
    // Over the protocol, as the app does it: a reply, reactions, an edit and a mention.
    const jonasLive = await roomClient(server.url, jonasToken);
    const priyaLive = await roomClient(server.url, priyaToken);
    await jonasLive.ask('dm:send', { roomId: 'lobby', clientId: 'shot-reply', body: 'I can take 1 and 2.', replyTo: checklist.id });
    await jonasLive.ask('reaction:add', { id: checklist.id, emoji: '👍' });
    await priyaLive.ask('reaction:add', { id: checklist.id, emoji: '👍' });
    await priyaLive.ask('reaction:add', { id: checklist.id, emoji: '🎉' });
    await jonasLive.ask('message:edit', { id: posted[1]!.id, body: 'Changelog draft is in the usual place, shout if I missed anything (now with the upgrade notes).' });
    await priyaLive.ask('dm:send', { roomId: 'lobby', clientId: 'shot-mention', body: `@${maya.user.username} I will do the screenshot once the CSS settles.` });
    jonasLive.close();
    priyaLive.close();
    const shown = [
      'Morning all! The 0.4 release branch is cut.',
      'Changelog draft is in the usual place, shout if I missed anything (now with the upgrade notes).',
      'Nice. I ran the migration against a copy of production last night: 2.1M messages in about 40 seconds.',
      'Also, the reconnect banner now counts down instead of spinning forever. People will love that.',
      'That was the plan! Checklist before we tag:Smoke-test sign-up and sign-inKill the server mid-conversation and watch the outbox drainRun pnpm bench and refresh the screenshot',
      'I can take 1 and 2.',
      `@${maya.user.username} I will do the screenshot once the CSS settles.`,
    ];

    const page = await harness.newPage(server.url, { width: 1280, height: 800 });
    await page.context().addCookies([{ name: 'confab_session', value: maya.token, url: server.url }]);
    await page.goto('/');
    await page.getByTestId('composer-input').waitFor();
    await send(page, 'Perfect. Let us ship it this afternoon.');
    await eventually(() => page.locator('[data-status="sent"]').count()).toBe(shown.length + 1);
    expect((await bodies(page)).map((body) => body.replace(/\s*\n\s*/g, ''))).toEqual([...shown, 'Perfect. Let us ship it this afternoon.']);
    expect(await page.getByTestId('message-edited').count()).toBe(1);
    expect(await page.locator('.mention-me').count()).toBe(1);
    expect(await page.getByTestId('channel-title').textContent()).toBe('#lobby');
    expect(await page.getByTestId('message-author').allTextContents()).toEqual(['Jonas Berg', 'Priya Natarajan', 'Maya Chen', 'Jonas Berg', 'Priya Natarajan', 'Maya Chen']);
    await eventually(() => page.getByTestId('dm-conversation-name').allTextContents()).toEqual(['Jonas Berg', 'Priya Natarajan', 'Sam Okafor']);
    expect(await page.getByTestId('dm-conversation-preview').allTextContents()).toEqual([
      'No rush, after lunch works too.',
      'You: Thanks, those look great',
      'Docker compose works on my Mac now, thanks!',
    ]);
    expect(await unreadBadge(page, jonas.username)).toBe('2');
    expect(await page.getByTestId('dm-unread').count()).toBe(1);
    expect(await page.getByTestId('channel-item-name').allTextContents()).toEqual(['lobby', 'design', 'release-crew']);
    expect(await channelUnread(page, 'design')).toBe('2');
    await page.mouse.move(0, 0);

    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, 'lobby.png');
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    expect(pngSize(await readFile(path))).toEqual({ width: 1280, height: 800 });

    if (process.env.CONFAB_UPDATE_SCREENSHOT === '1') {
      await mkdir(join(REPO_ROOT, 'docs'), { recursive: true });
      await copyFile(path, join(REPO_ROOT, 'docs', 'screenshot.png'));
    }
  });
});
