import {
  channelBrowseSchema,
  channelCreateSchema,
  channelEditSchema,
  emptySchema,
  groupOpenSchema,
  roomInviteSchema,
  roomMembersSchema,
  roomRefSchema,
  roomRemoveSchema,
} from '@confab/shared';
import type { ClientLog } from '../../logging/sampledLog.js';
import { handleEvent } from '../handler.js';
import type { DmDeps, DmSocket } from './dm.js';

/** The room management events of `/dm`: listing, creating, finding, joining, leaving, inviting, removing, renaming, groups. */
export function registerRoomEvents(socket: DmSocket, deps: Pick<DmDeps, 'rooms' | 'rateLimits'>, logger: ClientLog): void {
  const user = socket.data.user;
  const { membership } = deps.rooms;
  const admitInvites = (count: number) => deps.rateLimits.check('invites', user.id, count);
  const admitCreate = () => deps.rateLimits.check('channelCreates', user.id);

  socket.on('room:list', handleEvent(logger, 'room:list', emptySchema, () => membership.list(user)));
  socket.on('channel:create', handleEvent(logger, 'channel:create', channelCreateSchema, (input) => membership.create(user, input, admitCreate)));
  socket.on('channel:browse', handleEvent(logger, 'channel:browse', channelBrowseSchema, (input) => membership.browse(user, input)));
  socket.on('room:join', handleEvent(logger, 'room:join', roomRefSchema, (input) => membership.join(user, input.roomId)));
  socket.on('room:leave', handleEvent(logger, 'room:leave', roomRefSchema, (input) => membership.leave(user, input.roomId)));
  socket.on('room:invite', handleEvent(logger, 'room:invite', roomInviteSchema, (input) => membership.invite(user, input, admitInvites)));
  socket.on('room:remove', handleEvent(logger, 'room:remove', roomRemoveSchema, (input) => membership.remove(user, input)));
  socket.on('channel:edit', handleEvent(logger, 'channel:edit', channelEditSchema, (input) => membership.edit(user, input)));
  socket.on('group:open', handleEvent(logger, 'group:open', groupOpenSchema, (input) => membership.openGroup(user, input, admitInvites)));
  socket.on('room:members', handleEvent(logger, 'room:members', roomMembersSchema, (input) => membership.members(user, input)));
}
