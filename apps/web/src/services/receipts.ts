import type { DmClientToServerEvents, MemberDto, ReadMarkDto, RoomReadsDto } from '@confab/shared';
import { createRequester, type Result } from './request';
import { fetchMemberPages } from './rooms';
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

/** A room's members, for naming its readers (the first MAX_MEMBER_PAGES pages). */
export function fetchAllMembers(roomId: string): Promise<Result<MemberDto[]>> {
  return fetchMemberPages(roomId, MAX_MEMBER_PAGES);
}
