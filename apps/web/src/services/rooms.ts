import {
  LIMITS,
  type ChannelBrowsePayload,
  type ChannelCreatePayload,
  type ChannelEditPayload,
  type ChannelPage,
  type DmClientToServerEvents,
  type GroupOpenPayload,
  type MemberDto,
  type MemberPage,
  type RoomDto,
  type RoomInvitePayload,
  type RoomMembersPayload,
  type RoomRemovePayload,
  type RoomSummaryDto,
} from '@confab/shared';
import { createRequester, type Result } from './request';
import { dmSocket } from './socket';

// Every room request goes over `/dm`, which carries each user's own events (lists, joins, removals).
const request = createRequester<DmClientToServerEvents>(dmSocket);

export function listRooms(): Promise<Result<{ rooms: RoomSummaryDto[] }>> {
  return request('room:list', {});
}

export function createChannel(payload: ChannelCreatePayload): Promise<Result<RoomSummaryDto>> {
  return request('channel:create', payload);
}

export function browseChannels(payload: ChannelBrowsePayload): Promise<Result<ChannelPage>> {
  return request('channel:browse', payload);
}

export function joinRoom(roomId: string): Promise<Result<RoomSummaryDto>> {
  return request('room:join', { roomId });
}

export function leaveRoom(roomId: string): Promise<Result<null>> {
  return request('room:leave', { roomId });
}

export function inviteToRoom(payload: RoomInvitePayload): Promise<Result<RoomDto>> {
  return request('room:invite', payload);
}

export function removeFromRoom(payload: RoomRemovePayload): Promise<Result<null>> {
  return request('room:remove', payload);
}

export function editChannel(payload: ChannelEditPayload): Promise<Result<RoomDto>> {
  return request('channel:edit', payload);
}

export function openGroup(payload: GroupOpenPayload): Promise<Result<RoomSummaryDto>> {
  return request('group:open', payload);
}

export function fetchMembers(payload: RoomMembersPayload): Promise<Result<MemberPage>> {
  return request('room:members', payload);
}

/**
 * A room's members, page after page, `maxPages` at most. A failure after the first page ends with
 * the members fetched so far (whoever needs all of them asks again later); a failure of the first
 * is the result.
 */
export async function fetchMemberPages(roomId: string, maxPages: number): Promise<Result<MemberDto[]>> {
  const members: MemberDto[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const res = await fetchMembers({ roomId, limit: LIMITS.memberPageMax, ...(cursor ? { cursor } : {}) });
    if (!res.ok) return page === 0 ? res : { ok: true, data: members };
    members.push(...res.data.members);
    cursor = res.data.nextCursor;
    if (!cursor) break;
  }
  return { ok: true, data: members };
}
