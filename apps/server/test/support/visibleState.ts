import { LOBBY_ROOM_ID, dmRoomId, type ChannelPage, type ConversationPage, type PresenceDto, type RoomSummaryDto } from '@confab/shared';
import { expect } from 'vitest';
import type { StoredMessage } from '../../src/store/ports.js';
import { ask, succeeded, type World } from './attack.js';

// The whole state the attack suite's users can see, so that a refused case can be shown to have
// changed none of it (see World.expectNoEffect).

/** A conversation as its list shows it, with both read marks. */
export interface ListedConversation {
  roomId: string;
  lastActivityAt: string;
  unreadCount: number;
  readSeqs: number[];
}

/** Everything Mallory, Alice and Bob could see, keyed by name so that a failure reads as a diff. */
export interface VisibleState {
  /** Each user's conversations in list order, as stored (rooms without messages included). */
  conversations: Record<string, ListedConversation[]>;
  /** Alice's and Bob's conversation lists as their apps get them. */
  lists: Record<string, ConversationPage>;
  /** Every message of the lobby and of each DM room among the three (notes to self included). */
  messages: Record<string, StoredMessage[]>;
  /** The reactions to each of those rooms' messages, as clients get them. */
  reactions: Record<string, [string, unknown][]>;
  /** Each user's read mark in each of those DM rooms. */
  readMarks: Record<string, number>;
  /** Each user's delivery mark in each of those DM rooms. */
  deliveredMarks: Record<string, number>;
  /**
   * Alice's and Bob's rooms as `room:list` gives them (names, topics, members, roles, newest entries,
   * unread counts), the lobby's member count left out (it counts registrations).
   */
  rooms: Record<string, RoomSummaryDto[]>;
  /** Every channel and group each user is a member of, with their role. */
  memberships: Record<string, string[]>;
  /** The public channels anyone can find. */
  channels: ChannelPage;
  /** Each user's presence; an offline user's `rev` is only the revision it was read at, so it is left out. */
  presence: Record<string, Omit<PresenceDto, 'rev'> & { rev?: number }>;
}

/** For `expectNoEffect`: Mallory's last lobby connection was closed, so she went offline. */
export function malloryOffline(before: VisibleState): VisibleState {
  const { userId } = before.presence.mallory!;
  return { ...before, presence: { ...before.presence, mallory: { userId, state: 'offline', lastSeenAt: expect.any(String) } } };
}

/** What the three users can see now: conversation lists, unread counts, read marks, messages and presence. */
export async function visibleState(w: World): Promise<VisibleState> {
  const users = { mallory: w.mallory, alice: w.alice, bob: w.bob };
  const named = Object.entries(users);
  const rooms: [string, string][] = [['lobby', LOBBY_ROOM_ID]];
  named.forEach(([nameA, a], i) => named.slice(i).forEach(([nameB, b]) => rooms.push([`${nameA}+${nameB}`, dmRoomId(a.user.id, b.user.id)])));
  const { conversations, messages } = w.stores;

  const state: VisibleState = { conversations: {}, lists: {}, messages: {}, reactions: {}, readMarks: {}, deliveredMarks: {}, rooms: {}, memberships: {}, channels: { channels: [] }, presence: {} };
  for (const [name, { user }] of named) {
    state.conversations[name] = await Promise.all(
      (await conversations.listForUser(user.id, { limit: 100 })).map(async (record) => {
        const readSeqs = await Promise.all(record.memberIds.map((id) => conversations.readSeq(record.roomId, id)));
        const mine = await conversations.readSeq(record.roomId, user.id);
        return {
          roomId: record.roomId,
          lastActivityAt: record.lastActivityAt.toISOString(),
          unreadCount: await messages.countUnread(record.roomId, { afterSeq: mine, excludeAuthorId: user.id }),
          readSeqs,
        };
      }),
    );
  }
  state.lists.alice = succeeded(await ask<ConversationPage>(w.aliceDm, 'dm:conversations', { limit: 50 }));
  state.lists.bob = succeeded(await ask<ConversationPage>(w.bobDm, 'dm:conversations', { limit: 50 }));
  // Alice's and Bob's as their apps get them; Mallory's from the stores, since some cases close her sockets.
  for (const [name, socket] of Object.entries({ alice: w.aliceDm, bob: w.bobDm })) {
    const listed = succeeded(await ask<{ rooms: RoomSummaryDto[] }>(socket, 'room:list', {})).rooms;
    state.rooms[name] = listed.map((s) => (s.room.kind === 'lobby' ? { ...s, room: { ...s.room, memberCount: -1 } } : s));
  }
  state.memberships = {};
  for (const [name, { user }] of named) {
    const memberships = (await w.stores.rooms.roomsOf(user.id)).sort((x, y) => x.roomId.localeCompare(y.roomId));
    state.memberships[name] = memberships.map((m) => `${m.roomId} ${m.role}`);
    for (const { roomId } of memberships) if (!rooms.some(([, id]) => id === roomId)) rooms.push([roomId, roomId]);
  }
  state.channels = succeeded(await ask<ChannelPage>(w.aliceDm, 'channel:browse', {}));
  for (const [label, roomId] of rooms) {
    state.messages[label] = (await messages.since(roomId, { afterSeq: 0, limit: 500 })).messages;
    const reactions = await w.stores.reactions.of(state.messages[label].map((m) => m.id));
    state.reactions[label] = [...reactions.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (roomId === LOBBY_ROOM_ID) continue;
    for (const [name, { user }] of named) {
      state.readMarks[`${name} in ${label}`] = await conversations.readSeq(roomId, user.id);
      state.deliveredMarks[`${name} in ${label}`] = await conversations.deliveredSeq(roomId, user.id);
    }
  }
  const presences = succeeded(await ask<PresenceDto[]>(w.aliceLobby, 'presence:get', { userIds: named.map(([, u]) => u.user.id) }));
  for (const [name, { user }] of named) {
    const { rev, ...presence } = presences.find((p) => p.userId === user.id)!;
    state.presence[name] = presence.state === 'offline' ? presence : { ...presence, rev };
  }
  return state;
}
