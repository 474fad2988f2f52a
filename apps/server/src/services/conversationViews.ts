import { dmParticipants, type ConversationDto, type UserDto } from '@confab/shared';
import type { ConversationRecord, Stores } from '../store/ports.js';
import { RecentlyUsed } from '../store/recentlyUsed.js';
import type { MessageService } from './messageService.js';
import { toUserDto } from './toDto.js';

// Users remembered for their conversations: a few hundred bytes each.
const KNOWN_USERS = 10_000;

/** One participant's view of a conversation, for `conversation:update`. */
export interface ConversationView {
  userId: string;
  conversation: ConversationDto;
}

/** DM conversations as each participant sees them: peer, newest message, unread count, both read marks. */
export function createConversationViews(stores: Pick<Stores, 'users' | 'messages' | 'conversations'>, messageService: Pick<MessageService, 'newestShown' | 'views'>) {
  const { users, conversations, messages: messageStore } = stores;
  // A user's id, username and display name never change once registered (only the password
  // does), so the people one writes to need not be looked up for every message.
  const knownUsers = new RecentlyUsed<string, UserDto>(KNOWN_USERS);

  async function findUser(id: string): Promise<UserDto | null> {
    const known = knownUsers.get(id);
    if (known) return known;
    const record = await users.findById(id);
    const user = record ? toUserDto(record) : null;
    if (user) knownUsers.set(id, user);
    return user;
  }

  /**
   * The room as each of `viewers` sees it, from one reading of its state: the read marks first,
   * then the newest entry, so no mark is ever ahead of the message shown with it. Unread counts
   * come from the store's running counts, not from counting messages. `members` are both
   * participants' users (one for notes-to-self).
   */
  async function viewsOf(record: ConversationRecord, members: readonly UserDto[], viewers: readonly string[]): Promise<ConversationView[]> {
    const { roomId } = record;
    const marks = new Map(await Promise.all(members.map(async (u) => [u.id, await conversations.readSeq(roomId, u.id)] as const)));
    const newest = await messageStore.newest(roomId);
    // The preview: the newest entry itself unless it only changed an earlier message.
    const lastMessage = !newest ? null : newest.change ? await messageService.newestShown(roomId) : await messageService.views.one(newest);
    // Reading on a device means it got there, so delivery marks are read only for the peers of
    // viewers that have not read everything (after a send, one: the sender has read it all).
    const peersOfViewers = members.filter((u) => viewers.some((v) => v !== u.id || members.length === 1));
    const delivered = new Map(
      await Promise.all(
        peersOfViewers.map(async (u) => [u.id, (marks.get(u.id)! >= (newest?.seq ?? 0) ? 0 : await conversations.deliveredSeq(roomId, u.id))] as const),
      ),
    );
    return Promise.all(
      members
        .filter((u) => viewers.includes(u.id))
        .map(async (viewer) => {
          const peer = members.find((u) => u.id !== viewer.id) ?? viewer;
          const myReadSeq = marks.get(viewer.id)!;
          const unreadCount =
            newest && peer.id !== viewer.id && newest.seq > myReadSeq
              ? await messageStore.countUnread(roomId, { afterSeq: myReadSeq, excludeAuthorId: viewer.id, throughSeq: newest.seq })
              : 0;
          const conversation: ConversationDto = {
            roomId,
            peer,
            lastMessage,
            lastActivityAt: record.lastActivityAt.toISOString(),
            unreadCount,
            myReadSeq,
            peerReadSeq: marks.get(peer.id)!,
            // Reading on a device means it got there: delivered is never behind read.
            peerDeliveredSeq: Math.max(delivered.get(peer.id) ?? 0, marks.get(peer.id)!),
          };
          return { userId: viewer.id, conversation };
        }),
    );
  }

  /** Both participants' users, from `known` where it has them; null when one no longer exists. */
  async function participants(memberIds: readonly [string, string], known: readonly UserDto[]): Promise<UserDto[] | null> {
    const found = await Promise.all([...new Set(memberIds)].map((id) => known.find((u) => u.id === id) ?? findUser(id)));
    return found.every((u) => u !== null) ? (found as UserDto[]) : null;
  }

  /** The room as each of `viewers` sees it now; `known` saves looking up users the caller has. */
  async function viewRoom(roomId: string, viewers: readonly string[], known: readonly UserDto[] = []): Promise<ConversationView[]> {
    const memberIds = dmParticipants(roomId);
    if (!memberIds) return [];
    const [record, members] = await Promise.all([conversations.find(roomId), participants(memberIds, known)]);
    return record && members ? viewsOf(record, members, viewers) : [];
  }

  async function view(viewer: UserDto, record: ConversationRecord): Promise<ConversationDto | null> {
    const members = await participants(record.memberIds, [viewer]);
    return members ? ((await viewsOf(record, members, [viewer.id]))[0]?.conversation ?? null) : null;
  }

  return { findUser, view, viewRoom };
}
