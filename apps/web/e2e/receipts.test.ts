/**
 * Delivered and seen, as the sender sees them: in a one-to-one DM a message goes sent → delivered
 * (it reached one of Bob's devices, here his browser showing the lobby) → seen (he opened the
 * conversation); in a group, "seen by" names the members who read it.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { dmRoomId, type RoomSummaryDto } from '@confab/shared';
import { account, eventually, messageRow, receiptState, registerViaApi, send, sleep, waitForLobby } from './support/app';
import { conversationItem, openSignedIn, waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { roomClient } from './support/rooms';

const harness = useHarness();

function receipt(page: Page, body: string): Locator {
  return messageRow(page, body).getByTestId('message-receipt');
}

describe('receipts', () => {
  it('DM ticks go sent → delivered (Bob\'s browser is elsewhere) → seen (Bob opens the conversation)', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const a = await registerViaApi(server.url, alice);
    const b = await registerViaApi(server.url, bob);
    const roomId = dmRoomId(a.user.id, b.user.id);

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a.token, `/dm/${bob.username}`);
    await waitForDm(pageA, bob.username);

    // Bob has no device connected: stored, but nowhere delivered.
    await send(pageA, 'Hello Bob');
    await eventually(() => receiptState(pageA, 'Hello Bob')).toBe('sent');
    expect(await receipt(pageA, 'Hello Bob').getAttribute('aria-label')).toBe('Sent');

    // Bob's browser comes online on the lobby: the conversation list brings the message, and his
    // client reports it delivered without his opening it.
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageB, server.url, b.token);
    await waitForLobby(pageB);
    await eventually(() => receiptState(pageA, 'Hello Bob')).toBe('delivered');
    expect(await server.stores.conversations.deliveredSeq(roomId, b.user.id)).toBe(1);

    // A message while he is online reaches him live, and is delivered at once too.
    await send(pageA, 'Are you around?');
    await eventually(() => receiptState(pageA, 'Are you around?')).toBe('delivered');
    await sleep(600);
    expect(await receiptState(pageA, 'Hello Bob')).toBe('delivered');
    expect(await server.stores.conversations.readSeq(roomId, b.user.id)).toBe(0);

    // He opens it: seen.
    await conversationItem(pageB, alice.username).click();
    await waitForDm(pageB, alice.username);
    await eventually(() => receiptState(pageA, 'Are you around?')).toBe('seen');
    expect(await receiptState(pageA, 'Hello Bob')).toBe('seen');
    expect(await receipt(pageA, 'Are you around?').getAttribute('aria-label')).toBe('Seen');
    // His own messages carry no ticks on his side of Alice's.
    expect(await receipt(pageB, 'Are you around?').count()).toBe(0);

    // After a reload Alice's view of the marks comes from the conversation list: still seen.
    await pageA.reload();
    await waitForDm(pageA, bob.username);
    await eventually(() => receiptState(pageA, 'Hello Bob')).toBe('seen');
  });

  it('in a group "seen by" names who read a message, as they read it', async () => {
    const server = await harness.startServer();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    const carol = account('carol', 'Carol Chu');
    const [a, b, c] = await Promise.all([alice, bob, carol].map((who) => registerViaApi(server.url, who)));
    const aliceClient = await roomClient(server.url, a!.token);
    const group = await aliceClient.ask<RoomSummaryDto>('group:open', { userIds: [b!.user.id, c!.user.id] });
    aliceClient.close();
    const groupPath = `/g/${group.room.id}`;

    const pageA = await harness.newPage(server.url);
    await openSignedIn(pageA, server.url, a!.token, groupPath);
    await pageA.getByTestId('composer-input').waitFor();
    await send(pageA, 'Plan for Friday');
    await eventually(() => receiptState(pageA, 'Plan for Friday')).toBe('sent');

    // Bob opens the group in his browser and reads it.
    const pageB = await harness.newPage(server.url);
    await openSignedIn(pageB, server.url, b!.token, groupPath);
    await pageB.getByTestId('composer-input').waitFor();
    await eventually(() => receiptState(pageA, 'Plan for Friday')).toBe('seen');
    expect(await receipt(pageA, 'Plan for Friday').getAttribute('title')).toBe('Seen by Bob Baker');

    // Carol reads on another device (over the protocol): Alice's view follows live.
    const carolClient = await roomClient(server.url, c!.token);
    const { rooms } = await carolClient.ask<{ rooms: RoomSummaryDto[] }>('room:list', {});
    const lastSeq = rooms.find((s) => s.room.id === group.room.id)!.lastSeq;
    await carolClient.ask('dm:read', { roomId: group.room.id, seq: lastSeq });
    carolClient.close();
    await eventually(() => receipt(pageA, 'Plan for Friday').getAttribute('title')).toBe('Seen by Bob Baker, Carol Chu');
    // The names are its accessible name too, not only a hover title.
    expect(await receipt(pageA, 'Plan for Friday').getAttribute('aria-label')).toBe('Seen by Bob Baker, Carol Chu');

    // Opened afresh, the marks are fetched again.
    await pageA.reload();
    await pageA.getByTestId('composer-input').waitFor();
    await eventually(() => receipt(pageA, 'Plan for Friday').getAttribute('title')).toBe('Seen by Bob Baker, Carol Chu');
  });
});
