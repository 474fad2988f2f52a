import type { ConversationDto, MessageDto, RoomDto, RoomSummaryDto } from '@confab/shared';
import type { OutboxItem } from '../lib/messages';

export const ALICE = { id: 'a'.repeat(24), name: 'Alice Archer' };
export const BOB = { id: 'b'.repeat(24), name: 'Bob Baker' };

/** A stored lobby message with seq `seq`; ids and clientIds derive from it unless overridden. */
export function message(seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: seq.toString(16).padStart(24, '0'),
    roomId: 'lobby',
    seq,
    clientId: `c${seq}`,
    author: BOB,
    body: `message ${seq}`,
    createdAt: new Date(Date.UTC(2026, 2, 1, 12, 0, seq)).toISOString(),
    ...overrides,
  };
}

export function outboxItem(clientId: string, overrides: Partial<OutboxItem> = {}): OutboxItem {
  return { clientId, body: `draft ${clientId}`, createdAt: new Date(Date.UTC(2026, 2, 1, 13)).toISOString(), status: 'pending', ...overrides };
}

export const ALICE_USER = { id: ALICE.id, username: 'alice', displayName: ALICE.name };
export const BOB_USER = { id: BOB.id, username: 'bob', displayName: BOB.name };
/** The DM room of Alice and Bob (`a…` sorts before `b…`). */
export const ALICE_BOB_ROOM = `dm:${ALICE.id}:${BOB.id}`;

/** Alice's view of her conversation with Bob: one message from Bob, unread. */
export function conversation(overrides: Partial<ConversationDto> = {}): ConversationDto {
  return {
    roomId: ALICE_BOB_ROOM,
    peer: BOB_USER,
    lastMessage: message(1, { roomId: ALICE_BOB_ROOM }),
    lastActivityAt: new Date(Date.UTC(2026, 2, 1, 12, 0, 1)).toISOString(),
    unreadCount: 1,
    myReadSeq: 0,
    peerReadSeq: 1,
    peerDeliveredSeq: 0,
    ...overrides,
  };
}

export const CAROL_USER = { id: 'c'.repeat(24), username: 'carol', displayName: 'Carol Chu' };
/** A public channel's, a private channel's and a group's room ids. */
export const DESIGN_ROOM = `c:${'1'.repeat(24)}`;
export const SECRET_ROOM = `c:${'2'.repeat(24)}`;
export const GROUP_ROOM = `g:${'3'.repeat(24)}`;

/** Alice's summary of a room (the public channel #design unless overridden): `lastSeq` entries, none unread. */
export function roomSummary(overrides: Omit<Partial<RoomSummaryDto>, 'room'> & { room?: Partial<RoomDto> } = {}): RoomSummaryDto {
  const { room, ...rest } = overrides;
  const id = room?.id ?? DESIGN_ROOM;
  const lastSeq = rest.lastSeq ?? 0;
  return {
    room: { id, kind: 'public_channel', name: 'design', topic: '', memberCount: 2, myRole: 'member', createdAt: new Date(Date.UTC(2026, 2, 1)).toISOString(), ...room },
    lastMessage: lastSeq > 0 ? message(lastSeq, { roomId: id }) : null,
    lastSeq,
    lastActivityAt: new Date(Date.UTC(2026, 2, 1, 12, 0, lastSeq)).toISOString(),
    unreadCount: 0,
    mentionCount: 0,
    myReadSeq: lastSeq,
    ...rest,
  };
}
