import { LIMITS, LOBBY_ROOM_ID, type MemberRole, type RoomDto, type RoomSummaryDto, type UserDto } from '@confab/shared';
import type { RoomRecord, Stores } from '../../store/ports.js';
import type { MessageService } from '../messageService.js';

// The lobby has always existed; it has no record to date it.
const LOBBY_CREATED_AT = new Date(0).toISOString();

/** Rooms and room summaries as one member sees them. */
export function createRoomViews(deps: {
  stores: Pick<Stores, 'rooms' | 'users' | 'messages' | 'conversations'>;
  findUser: (id: string) => Promise<UserDto | null>;
  messages: Pick<MessageService, 'newestShown' | 'views'>;
}) {
  const { rooms, users, messages, conversations } = deps.stores;

  /** A group's current members, by username; members whose account is gone are left out. */
  async function groupMembers(roomId: string): Promise<UserDto[]> {
    const memberships = await rooms.members(roomId, { limit: 100 });
    const found = await Promise.all(memberships.map((m) => deps.findUser(m.userId)));
    return found.filter((u): u is UserDto => u !== null).sort((a, b) => a.username.toLowerCase().localeCompare(b.username.toLowerCase()));
  }

  async function roomDto(record: RoomRecord | null, myRole: MemberRole): Promise<RoomDto> {
    if (!record) {
      return { id: LOBBY_ROOM_ID, kind: 'lobby', name: 'lobby', topic: '', memberCount: await users.count(), myRole: 'member', createdAt: LOBBY_CREATED_AT };
    }
    const base = { id: record.id, kind: record.kind, name: record.name, topic: record.topic, myRole, createdAt: record.createdAt.toISOString() };
    if (record.kind === 'group') {
      const members = await groupMembers(record.id);
      return { ...base, memberCount: members.length, members };
    }
    return { ...base, memberCount: await rooms.memberCount(record.id) };
  }

  /**
   * The room with its newest entry and the viewer's read state. The read mark is read before the
   * newest entry, so the mark is never ahead of the entry shown with it.
   */
  async function summary(viewer: UserDto, record: RoomRecord | null, myRole: MemberRole): Promise<RoomSummaryDto> {
    const roomId = record?.id ?? LOBBY_ROOM_ID;
    const [room, myReadSeq] = await Promise.all([roomDto(record, myRole), conversations.readSeq(roomId, viewer.id)]);
    const newest = await messages.newest(roomId);
    // Counted among the newest entries only (LIMITS.unreadCountWindow): a bounded read however
    // long the viewer was away. Change entries take seqs but are not counted, so the window is
    // found among the other entries when the mark is further back than that many seqs.
    const isFarBehind = newest !== null && newest.seq - myReadSeq > LIMITS.unreadCountWindow;
    const windowStart = isFarBehind ? await messages.shownWindowStart(roomId, { throughSeq: newest.seq, count: LIMITS.unreadCountWindow }) : 0;
    const afterSeq = Math.max(myReadSeq, windowStart);
    const hasUnread = newest !== null && newest.seq > afterSeq;
    const [unreadCount, mentionCount, shown] = await Promise.all([
      hasUnread ? messages.countUnread(roomId, { afterSeq, excludeAuthorId: viewer.id, throughSeq: newest.seq }) : 0,
      hasUnread ? messages.countMentions(roomId, { userId: viewer.id, afterSeq, throughSeq: newest.seq }) : 0,
      // The preview: the newest entry itself unless it only changed an earlier message.
      newest?.change ? deps.messages.newestShown(roomId) : null,
    ]);
    const lastMessage = newest?.change ? shown : newest ? await deps.messages.views.one(newest) : null;
    return {
      room,
      lastMessage,
      lastSeq: newest?.seq ?? 0,
      // Reactions and edits do not move a room up: only what its preview shows does.
      lastActivityAt: lastMessage?.createdAt ?? room.createdAt,
      unreadCount,
      mentionCount,
      myReadSeq,
    };
  }

  return { roomDto, summary };
}

export type RoomViews = ReturnType<typeof createRoomViews>;
