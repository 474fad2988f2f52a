import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postMessage } from '@confab/server';
import { dmRoomId, type AttachmentDto, type RoomSummaryDto, type UploadResponse } from '@confab/shared';
import type { Page } from 'playwright-core';
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

/** A mock of the reconnect banner, 960 × 540, drawn on a canvas in `page`: the PNG's bytes. */
async function drawBanner(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [960, 540];
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#f8fafc';
    g.fillRect(0, 0, 960, 540);
    g.fillStyle = '#1e1b3a';
    g.fillRect(0, 0, 220, 540);
    g.fillStyle = '#fef3c7';
    g.fillRect(220, 0, 740, 64);
    g.fillStyle = '#92400e';
    g.font = '600 20px sans-serif';
    g.fillText('Connection lost. Reconnecting in 3 s…', 248, 41);
    g.fillStyle = '#4f46e5';
    g.fillRect(800, 16, 136, 34);
    g.fillStyle = '#ffffff';
    g.font = '600 18px sans-serif';
    g.fillText('Retry now', 826, 39);
    g.fillStyle = '#cbd5e1';
    for (let row = 0; row < 6; row += 1) g.fillRect(260, 110 + row * 66, row % 2 ? 420 : 560, 22);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

/** Uploads `bytes` as the holder of `token`, as the web app does. */
async function uploadAs(baseUrl: string, token: string, name: string, bytes: Buffer): Promise<AttachmentDto> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${baseUrl}/api/files`, { method: 'POST', body: form, headers: { cookie: `confab_session=${token}` } });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as UploadResponse).file;
}

describe('the lobby, as the README shows it', () => {
  it('renders a conversation between three people (formatting, a reply, reactions, a mention with an image, an edit), with channels and direct messages in the sidebar, and saves a 1280×800 screenshot', async () => {
    const server = await harness.startServer();
    // Made first: it draws the picture Priya shares, before it shows the app.
    const page = await harness.newPage(server.url, { width: 1280, height: 800 });
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
    const banner = await uploadAs(server.url, priyaToken, 'reconnect-banner.png', await drawBanner(page));
    await priyaLive.ask('dm:send', { roomId: 'lobby', clientId: 'shot-mention', body: `@${maya.user.username} I will do the screenshot once the CSS settles.`, attachments: [banner.id] });
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

    await page.context().addCookies([{ name: 'confab_session', value: maya.token, url: server.url }]);
    await page.goto('/');
    await page.getByTestId('composer-input').waitFor();
    await send(page, 'Perfect. Let us ship it this afternoon.');
    await eventually(() => page.locator('[data-status="sent"]').count()).toBe(shown.length + 1);
    expect((await bodies(page)).map((body) => body.replace(/\s*\n\s*/g, ''))).toEqual([...shown, 'Perfect. Let us ship it this afternoon.']);
    expect(await page.getByTestId('message-edited').count()).toBe(1);
    expect(await page.locator('.mention-me').count()).toBe(1);
    const image = page.getByRole('button', { name: 'Open image reconnect-banner.png' });
    await image.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    const box = (await image.boundingBox())!;
    expect(Math.abs(box.width / box.height - 16 / 9)).toBeLessThan(0.03);
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
