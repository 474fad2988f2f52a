import { describe, expect, it } from 'vitest';
import type { RoomSummaryDto } from '@confab/shared';
import { account, bodies, eventually, registerViaApi, send, waitForLobby } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { channelItem, channelUnread, createChannelAs, isChannelBold, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

describe('unread rooms', () => {
  it('a channel with new messages is bold with a count in every tab, and reading it in one tab clears it in the other', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const design = await createChannelAs(server.url, a.token, 'design');
    const bobClient = await roomClient(server.url, b.token);
    // Joined elsewhere (another device): what came before the join is not news to him.
    const joined = await bobClient.ask<RoomSummaryDto>('room:join', { roomId: design.room.id });
    await bobClient.ask('dm:read', { roomId: design.room.id, seq: joined.lastSeq });
    // Every message counts in the title here, not only mentions (the default for channels and the lobby).
    for (const roomId of [design.room.id, 'lobby']) await bobClient.ask('notify:set', { roomId, level: 'all' });
    bobClient.close();

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token, '/c/design');
    await waitForChannel(pageA, 'design');
    const pageB1 = await harness.newPage(server.url);
    await openSignedIn(pageB1, server.url, b.token);
    await waitForLobby(pageB1);
    const pageB2 = await pageB1.context().newPage();
    await pageB2.goto('/account');
    await pageB2.getByTestId('sidebar').waitFor();
    await eventually(() => channelItem(pageB2, 'design').count()).toBe(1);
    expect(await isChannelBold(pageB1, 'design')).toBe(false);

    await send(pageA, 'New mockups are up');
    await send(pageA, 'Feedback by Thursday please');
    for (const page of [pageB1, pageB2]) {
      await eventually(() => channelUnread(page, 'design')).toBe('2');
      expect(await isChannelBold(page, 'design')).toBe(true);
    }
    await eventually(() => pageB2.title()).toBe('(2) Account · Confab');

    // Reading in the first tab clears the second one's badge and title: the mark reaches every tab.
    await channelItem(pageB1, 'design').click();
    await waitForChannel(pageB1, 'design');
    await eventually(() => bodies(pageB1)).toEqual(['New mockups are up', 'Feedback by Thursday please']);
    await eventually(() => channelUnread(pageB2, 'design')).toBeNull();
    expect(await isChannelBold(pageB2, 'design')).toBe(false);
    await eventually(() => pageB2.title()).toBe('Account · Confab');

    // The lobby counts too: Alice writes there while Bob reads #design in tab 1.
    await channelItem(pageA, 'lobby').click();
    await waitForLobby(pageA);
    await send(pageA, 'Hello lobby');
    for (const page of [pageB1, pageB2]) await eventually(() => channelUnread(page, 'lobby')).toBe('1');
    await eventually(() => pageB2.title()).toBe('(1) Account · Confab');
    await channelItem(pageB2, 'lobby').click();
    await waitForLobby(pageB2);
    await eventually(() => channelUnread(pageB1, 'lobby')).toBeNull();
    await eventually(() => pageB1.title()).toBe('#design · Confab');

    // After a reload the counts come from the server: nothing is unread any more.
    await pageB1.reload();
    await waitForChannel(pageB1, 'design');
    await eventually(() => channelItem(pageB1, 'lobby').count()).toBe(1);
    expect(await channelUnread(pageB1, 'lobby')).toBeNull();
    expect(await channelUnread(pageB1, 'design')).toBeNull();
  });
});
