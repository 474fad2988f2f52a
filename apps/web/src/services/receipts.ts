import { LIMITS, type DmClientToServerEvents, type MemberDto, type ReadMarkDto, type RoomReadsDto } from '@confab/shared';
import { createRequester, type Result } from './request';
import { fetchMembers } from './rooms';
import { dmSocket } from './socket';

const request = createRequester<DmClientToServerEvents>(dmSocket);

/** Tells the server this device holds a DM room's entries up to `seq`; the ack is our delivery mark. */
export function reportDelivered(roomId: string, seq: number): Promise<Result<ReadMarkDto>> {
  return request('dm:delivered', { roomId, seq });
}

/** Every member's read mark in a group or private channel. */
export function fetchRoomReads(roomId: string): Promise<Result<RoomReadsDto>> {
  return request('room:reads', { roomId });
}

// "Seen by" names a private channel's readers; past this many members it names those on the first pages only.
const MAX_MEMBER_PAGES = 10;

/** A room's members, page after page (at most MAX_MEMBER_PAGES). */
export async function fetchAllMembers(roomId: string): Promise<Result<MemberDto[]>> {
  const members: MemberDto[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_MEMBER_PAGES; page += 1) {
    const res = await fetchMembers({ roomId, limit: LIMITS.memberPageMax, ...(cursor ? { cursor } : {}) });
    if (!res.ok) return res;
    members.push(...res.data.members);
    cursor = res.data.nextCursor;
    if (!cursor) break;
  }
  return { ok: true, data: members };
}
