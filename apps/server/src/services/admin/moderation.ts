import type { Ack, ReportDto, UserDto } from '@confab/shared';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import type { MessageService } from '../messageService.js';
import type { RoomServices } from '../rooms/index.js';
import type { AuditLog } from './auditLog.js';

/**
 * Moderation: removing messages as a moderator, bans' content removal, reports and their queue.
 * STUB: the interface is fixed; the moderation helper fills in the bodies.
 */
export function createModeration(_deps: { stores: Stores; messages: MessageService; rooms: RoomServices; audit: AuditLog; now: () => Date; logger: Logger }) {
  /**
   * Removes every message `userId` wrote, in every room, each through a removal entry delivered
   * to the room's members (as `message:remove` does). Returns how many were removed.
   */
  async function removeAllBy(_userId: string, _moderator: UserDto): Promise<number> {
    throw new Error('not built yet');
  }
  async function listReports(_query: { status: 'open' | 'all'; before?: string; limit: number }): Promise<Ack<{ reports: ReportDto[]; hasMore: boolean }>> {
    throw new Error('not built yet');
  }
  async function resolveReport(_admin: UserDto, _input: { id: string; action: 'remove' | 'dismiss' }): Promise<Ack<ReportDto>> {
    throw new Error('not built yet');
  }
  return { removeAllBy, listReports, resolveReport };
}

export type Moderation = ReturnType<typeof createModeration>;
