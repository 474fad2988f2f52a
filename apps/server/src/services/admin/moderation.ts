import type { Ack, ReportDto, UserDto } from '@confab/shared';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import type { MessageService } from '../messageService.js';
import type { RoomServices } from '../rooms/index.js';
import type { AuditLog } from './auditLog.js';
import { createReportsQueue } from './reports.js';

/** A ban reads its user's messages this many at a time: never all of them at once. */
const BAN_PAGE = 100;
/**
 * Removals a ban runs at once. Each waits on a few store round trips, so a handful in flight
 * cuts the time a ban of a prolific spammer takes, without flooding the database.
 */
const BAN_CONCURRENCY = 4;

/**
 * Moderation for the `/admin` namespace: a ban's removal of everything a user wrote, and the
 * reports queue. Removing one message (`message:remove`) lives with the rooms (see
 * services/rooms/roomModeration.ts); both go through the same removal.
 */
export function createModeration(deps: { stores: Stores; messages: MessageService; rooms: RoomServices; audit: AuditLog; now: () => Date; logger: Logger }) {
  const reports = createReportsQueue(deps);

  /**
   * Removes every message `userId` wrote, in every room, each through a removal entry delivered
   * to the room's members (as `message:remove` does), files included, and returns how many this
   * call removed. Audited by the caller (a ban is one entry), not per message. Resumable: the
   * store hands back only messages not yet erased, and a removal erases last, so a retry after a
   * failure finds and removes the rest, and nothing twice (each message has one removal entry,
   * see MessageService.remove).
   */
  async function removeAllBy(userId: string, moderator: UserDto): Promise<number> {
    let removed = 0;
    for (let afterId: string | undefined; ; ) {
      const page = await deps.stores.messages.authoredBy(userId, { ...(afterId ? { afterId } : {}), limit: BAN_PAGE });
      for (let i = 0; i < page.length; i += BAN_CONCURRENCY) {
        const results = await Promise.all(page.slice(i, i + BAN_CONCURRENCY).map((message) => deps.rooms.moderation.removeMessage(moderator, message)));
        removed += results.filter((result) => result.isErasedNow).length;
      }
      if (page.length < BAN_PAGE) break;
      afterId = page.at(-1)!.id;
    }
    deps.logger.info({ userId, moderatorId: moderator.id, removed }, 'removed every message of a user');
    return removed;
  }

  function listReports(query: { status: 'open' | 'all'; before?: string; limit: number }): Promise<Ack<{ reports: ReportDto[]; hasMore: boolean }>> {
    return reports.list(query);
  }

  function resolveReport(admin: UserDto, input: { id: string; action: 'remove' | 'dismiss' }): Promise<Ack<ReportDto>> {
    return reports.resolve(admin, input);
  }

  return { removeAllBy, listReports, resolveReport };
}

export type Moderation = ReturnType<typeof createModeration>;
