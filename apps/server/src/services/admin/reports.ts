import { LIMITS, fail, ok, type Ack, type AuthorDto, type MessageDto, type ReportDto, type UserDto } from '@confab/shared';
import type { ReportRecord, StoredMessage, Stores } from '../../store/ports.js';
import type { MessageService } from '../messageService.js';
import type { RoomServices } from '../rooms/index.js';
import type { AuditLog } from './auditLog.js';

/** What a report shows around its message: the room's messages and events (not the entries that only change or recall one). */
const isShown = (entry: StoredMessage) => !entry.change && !entry.recall;
/** Entries read on each side to find `LIMITS.reportContextMessages` shown ones among reactions and edits. */
const CONTEXT_READ = LIMITS.reportContextMessages * 4;

const authorOf = (user: UserDto): AuthorDto => ({ id: user.id, name: user.displayName });

/**
 * The admins' queue of reported messages: each report with its message as it is now and the
 * messages around it, and acting on one (removing its message, or dismissing it).
 */
export function createReportsQueue(deps: {
  stores: Pick<Stores, 'messages' | 'reports'>;
  messages: Pick<MessageService, 'views'>;
  rooms: Pick<RoomServices, 'labels' | 'moderation'>;
  audit: AuditLog;
  now: () => Date;
}) {
  const { stores } = deps;

  /** The message and up to `LIMITS.reportContextMessages` shown entries on each side of it, oldest first. */
  async function withContext(message: StoredMessage): Promise<{ message: MessageDto; context: MessageDto[] }> {
    const [before, after] = await Promise.all([
      stores.messages.history(message.roomId, { beforeSeq: message.seq, limit: CONTEXT_READ }),
      stores.messages.since(message.roomId, { afterSeq: message.seq, limit: CONTEXT_READ }),
    ]);
    const around = [
      ...before.messages.filter(isShown).slice(-LIMITS.reportContextMessages),
      message,
      ...after.messages.filter(isShown).slice(0, LIMITS.reportContextMessages),
    ];
    const context = await deps.messages.views.many(around);
    return { message: context.find((m) => m.id === message.id)!, context };
  }

  /** The report as admins see it; null when its message is gone (messages are never deleted, only erased). */
  async function toDto(record: ReportRecord, labels: Map<string, Promise<string>>): Promise<ReportDto | null> {
    const message = await stores.messages.findById(record.messageId);
    if (!message) return null;
    if (!labels.has(record.roomId)) labels.set(record.roomId, deps.rooms.labels.placeOf(record.roomId).then((place) => place?.label ?? record.roomId));
    const [shown, roomLabel] = await Promise.all([withContext(message), labels.get(record.roomId)!]);
    return {
      id: record.id,
      ...shown,
      roomLabel,
      reporter: record.reporter,
      reason: record.reason,
      createdAt: record.createdAt.toISOString(),
      status: record.status,
      ...(record.resolvedBy ? { resolvedBy: record.resolvedBy } : {}),
      ...(record.resolvedAt ? { resolvedAt: record.resolvedAt.toISOString() } : {}),
    };
  }

  async function list(query: { status: 'open' | 'all'; before?: string; limit: number }): Promise<Ack<{ reports: ReportDto[]; hasMore: boolean }>> {
    const records = await stores.reports.list({ ...query, limit: query.limit + 1 });
    const labels = new Map<string, Promise<string>>();
    const reports = await Promise.all(records.slice(0, query.limit).map((record) => toDto(record, labels)));
    return ok({ reports: reports.filter((r): r is ReportDto => r !== null), hasMore: records.length > query.limit });
  }

  /**
   * `remove`: the message is removed by `admin` (as `message:remove` does, audited), which
   * resolves every open report of it as removed, this one among them. `dismiss`: this report only
   * (audited as `report.dismiss`). A report already resolved is answered as it is.
   */
  async function resolve(admin: UserDto, input: { id: string; action: 'remove' | 'dismiss' }): Promise<Ack<ReportDto>> {
    const record = await stores.reports.find(input.id);
    const message = record ? await stores.messages.findById(record.messageId) : null;
    if (!record || !message) return fail('not_found', 'There is no such report.');
    if (input.action === 'remove') {
      await deps.rooms.moderation.removeMessage(admin, message, { audit: true, ...(record.reason ? { reason: record.reason } : {}) });
    } else if (record.status === 'open') {
      const resolved = await stores.reports.resolve(record.id, { status: 'dismissed', by: authorOf(admin), at: deps.now() });
      if (resolved?.status === 'dismissed') {
        const place = await deps.rooms.labels.placeOf(record.roomId);
        const target = { kind: 'report' as const, id: record.id, label: `${place?.label ?? record.roomId} #${message.seq}` };
        await deps.audit.record(authorOf(admin), 'report.dismiss', target, { reporter: record.reporter.name, author: message.author.name });
      }
    }
    const now = await stores.reports.find(record.id);
    const dto = now ? await toDto(now, new Map()) : null;
    return dto ? ok(dto) : fail('not_found', 'There is no such report.');
  }

  return { list, resolve };
}

export type ReportsQueue = ReturnType<typeof createReportsQueue>;
