import type {
  ChannelBrowsePayload,
  ChannelCreatePayload,
  ChannelEditPayload,
  ChannelPage,
  DmClientToServerEvents,
  GroupOpenPayload,
  MemberPage,
  RoomDto,
  RoomInvitePayload,
  RoomMembersPayload,
  RoomRemovePayload,
  RoomSummaryDto,
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
