import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RoomSummaryDto } from '@confab/shared';
import { account, bodies, eventually, messageRow, registerViaApi, send } from './support/app';
import { openSignedIn } from './support/dm';
import { useHarness } from './support/harness';
import { channelItem, channelUnread, createChannelAs, roomClient, waitForChannel } from './support/rooms';

const harness = useHarness();

describe('rooms across an outage', () => {
  it('after a reconnect only changed rooms are fetched, a room Bob was removed from meanwhile is gone, and what he wrote offline goes out', async () => {
    const server = await harness.startServer();
    const { stores, port } = server;
    const a = await registerViaApi(server.url, account('alice', 'Alice Archer'));
    const b = await registerViaApi(server.url, account('bob', 'Bob Baker'));
    const design = await createChannelAs(server.url, a.token, 'design');
    const quiet = await createChannelAs(server.url, a.token, 'quiet');
    const secret = await createChannelAs(server.url, a.token, 'secret', true);
    const alice = await roomClient(server.url, a.token);
    await alice.ask('room:invite', { roomId: secret.room.id, userIds: [b.user.id] });
    alice.close();
    const bob = await roomClient(server.url, b.token);
    for (const room of [design, quiet]) {
      const joined = await bob.ask<RoomSummaryDto>('room:join', { roomId: room.room.id });
      await bob.ask('dm:read', { roomId: room.room.id, seq: joined.lastSeq });
    }
    bob.close();

    // Bob's tab holds all three rooms: he looked at each.
    const page = await harness.newPage(server.url);
    await openSignedIn(page, server.url, b.token, '/c/secret');
    await waitForChannel(page, 'secret');
    for (const name of ['quiet', 'design']) {
      await channelItem(page, name).click();
      await waitForChannel(page, name);
    }
    await send(page, 'before the outage');
    await eventually(() => page.locator('[data-status="sent"]').count()).toBe(1);

    await server.close();
    await eventually(() => page.getByTestId('connection-banner').count(), 5_000).toBe(1);
    await send(page, 'written while offline');
    expect(await messageRow(page, 'written while offline').getAttribute('data-status')).toBe('pending');
    // Meanwhile Alice writes in #design and removes Bob from #secret.
    await stores.messages.append({ roomId: design.room.id, clientId: randomUUID(), author: { id: a.user.id, name: 'Alice Archer' }, body: 'while you were away', createdAt: new Date() });
    await stores.rooms.removeMember(secret.room.id, b.user.id);

    const requests: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => requests.push(String(payload))));
    await harness.startServer({ port, stores });
    await eventually(() => page.getByTestId('connection-banner').count(), 15_000).toBe(0);
    await eventually(() => bodies(page)).toEqual(['before the outage', 'while you were away', 'written while offline']);
    await eventually(() => messageRow(page, 'written while offline').getAttribute('data-status')).toBe('sent');
    await eventually(() => channelItem(page, 'secret').count()).toBe(0);
    expect(await channelUnread(page, 'quiet')).toBeNull();

    const fetched = requests.filter((frame) => /"(message|dm):(sync|history)"/.test(frame));
    expect(fetched.some((frame) => frame.includes(design.room.id))).toBe(true);
    expect(fetched.some((frame) => frame.includes(quiet.room.id) || frame.includes(secret.room.id))).toBe(false);
    const stored = (await stores.messages.history(design.room.id, { limit: 100 })).messages.filter((m) => !m.event);
    expect(stored.map((m) => m.body)).toEqual(['before the outage', 'while you were away', 'written while offline']);
  });
});
