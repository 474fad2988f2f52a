import { LOBBY_ROOM_ID, dmParticipants, type MessageDto, type RoomKind } from '@confab/shared';
import { currentLocale } from '../i18n';
import { isGroupRoom } from './rooms';
import type { TimelineMessage } from './timeline';

/**
 * What the sender sees of one of their stored messages: `sent` once stored, `delivered` once it
 * reached one of a DM peer's devices, `seen` once read (in a group or private channel, by
 * `seenBy`: the other members who read it, by name). Before it is stored the row itself says
 * "Sending…", so there is no receipt.
 */
export interface Receipt {
  state: 'sent' | 'delivered' | 'seen';
  /** With `seen` in rooms of more than two: the names of who has seen it. */
  seenBy?: string[];
}

/** How receipts work in a room, and what they are computed from. */
export type ReceiptContext =
  /** A one-to-one DM: the peer's read and delivery marks. */
  | { kind: 'dm'; peerReadSeq: number; peerDeliveredSeq: number }
  /** Notes to self: nobody else reads them, so no receipts at all. */
  | { kind: 'self' }
  /** A group or private channel: the other members' read marks, newest first, with their names. */
  | { kind: 'members'; readers: readonly Reader[] }
  /** The lobby and public channels: read marks are private, so only sent. */
  | { kind: 'public' };

export interface Reader {
  name: string;
  readSeq: number;
}

export type ReceiptRoomKind = ReceiptContext['kind'];

/**
 * Which receipts a room has, from its id and (for channels) its kind; `myId` tells notes-to-self
 * apart. A channel of unknown kind counts as public: only those are shown to non-members.
 */
export function receiptRoomKind(roomId: string, kind: RoomKind | undefined, myId: string | undefined): ReceiptRoomKind {
  const pair = dmParticipants(roomId);
  if (pair) return pair[0] === pair[1] && pair[0] === myId ? 'self' : 'dm';
  if (roomId === LOBBY_ROOM_ID) return 'public';
  if (kind === 'group' || isGroupRoom(roomId)) return 'members';
  return kind === 'private_channel' ? 'members' : 'public';
}

/**
 * The other members who have read anything, newest mark first, named: members whose name is not
 * known (no longer in the room) are left out, and so is the reader themself.
 */
export function readersOf(marks: Readonly<Record<string, number>>, names: Readonly<Record<string, string>>, myId: string | undefined): Reader[] {
  const readers: Reader[] = [];
  for (const [userId, readSeq] of Object.entries(marks)) {
    const name = names[userId];
    if (userId !== myId && name !== undefined) readers.push({ name, readSeq });
  }
  return readers.sort((a, b) => b.readSeq - a.readSeq);
}

/** One message's receipt, or null when it has none (not ours, not stored yet, failed, recalled, or notes to self). */
export function receiptFor(message: Pick<TimelineMessage, 'status' | 'seq' | 'isOwn' | 'isRecalled'>, context: ReceiptContext): Receipt | null {
  const seq = message.seq;
  if (!message.isOwn || message.isRecalled || message.status !== 'sent' || seq === null || context.kind === 'self') return null;
  switch (context.kind) {
    case 'public':
      return { state: 'sent' };
    case 'dm':
      if (seq <= context.peerReadSeq) return { state: 'seen' };
      // Reading on a device means it got there, whichever mark arrived first.
      return seq <= Math.max(context.peerDeliveredSeq, context.peerReadSeq) ? { state: 'delivered' } : { state: 'sent' };
    case 'members': {
      const seenBy: string[] = [];
      for (const reader of context.readers) {
        if (reader.readSeq < seq) break;
        seenBy.push(reader.name);
      }
      return seenBy.length > 0 ? { state: 'seen', seenBy: seenBy.sort(new Intl.Collator(currentLocale()).compare) } : { state: 'sent' };
    }
  }
}

/**
 * The newest seq of an entry by `peerId` among a DM room's messages held here: how far this device
 * has received the peer's side of the conversation (0 for none).
 */
export function newestSeqBy(messages: readonly MessageDto[], peerId: string): number {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]!.author.id === peerId) return messages[i]!.seq;
  }
  return 0;
}
