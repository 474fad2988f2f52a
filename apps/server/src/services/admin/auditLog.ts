import type { AuditAction, AuditEntryDto, AuthorDto } from '@confab/shared';
import type { AuditRecord, AuditStore } from '../../store/ports.js';
import { newObjectIdHex } from '../../store/ids.js';

/** Who acts from the operator command line, in the audit log. */
export const OPERATOR: AuthorDto = { id: 'operator', name: 'operator' };

/** Writes and reads the audit log (docs/security.md: every administrative action is recorded). */
export function createAuditLog(deps: { audit: AuditStore; now: () => Date }) {
  async function record(actor: AuthorDto, action: AuditAction, target: AuditEntryDto['target'], details?: Record<string, string>): Promise<void> {
    await deps.audit.append({ id: newObjectIdHex(), at: deps.now(), actor: { id: actor.id, name: actor.name }, action, target, ...(details ? { details } : {}) });
  }

  async function list(query: { before?: string; limit: number }): Promise<{ entries: AuditEntryDto[]; hasMore: boolean }> {
    const records = await deps.audit.list({ ...query, limit: query.limit + 1 });
    return { entries: records.slice(0, query.limit).map(toAuditEntryDto), hasMore: records.length > query.limit };
  }

  return { record, list };
}

export function toAuditEntryDto(r: AuditRecord): AuditEntryDto {
  return { id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, ...(r.details ? { details: r.details } : {}) };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
