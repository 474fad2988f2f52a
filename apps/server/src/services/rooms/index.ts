import type { UserDto } from '@confab/shared';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import type { DmService } from '../dmService.js';
import type { MessageService } from '../messageService.js';
import { createMentionResolver } from './mentions.js';
import { createRoomAccess } from './roomAccess.js';
import type { RoomEffects } from './roomEffects.js';
import { createRoomMembership, type RoomLimits } from './roomMembership.js';
import { createRoomLabels } from './roomLabels.js';
import { createRoomMessaging } from './roomMessaging.js';
import { createRoomModeration } from './roomModeration.js';
import { createRoomViews } from './roomViews.js';

export type { RoomEffects } from './roomEffects.js';
export type { RoomLimits } from './roomMembership.js';

/** Rooms of every kind: messaging in any of them (moderators' removals and reports too), and channels' and groups' membership. */
export function createRoomServices(deps: {
  stores: Stores;
  messages: MessageService;
  dms: Pick<DmService, 'send' | 'findUser'>;
  effects: RoomEffects;
  now: () => Date;
  /** For side effects that fail after the answer is settled (a read mark, a forgotten setting). */
  logger: Logger;
  limits: RoomLimits;
}) {
  const findUser = (id: string): Promise<UserDto | null> => deps.dms.findUser(id);
  const access = createRoomAccess(deps.stores);
  const views = createRoomViews({ stores: deps.stores, findUser, messages: deps.messages });
  const mentionsIn = createMentionResolver(deps.stores);
  const labels = createRoomLabels({ stores: deps.stores, findUser });
  const moderation = createRoomModeration({ stores: deps.stores, messages: deps.messages, access, labels, effects: deps.effects, now: deps.now });
  const messaging = {
    ...createRoomMessaging({ stores: deps.stores, messages: deps.messages, dms: deps.dms, access, views, effects: deps.effects, mentionsIn, logger: deps.logger }),
    remove: moderation.remove,
    report: moderation.report,
  };
  const membership = createRoomMembership({ stores: deps.stores, messages: deps.messages, access, views, effects: deps.effects, findUser, now: deps.now, logger: deps.logger, limits: deps.limits });
  return { access, views, messaging, membership, labels, moderation };
}

export type RoomServices = ReturnType<typeof createRoomServices>;
