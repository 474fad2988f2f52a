import type { AuthorDto } from '@confab/shared';
import type { ReportRecord, ReportStore } from '../ports.js';
import { newestFirstPage } from './newestFirst.js';
import type { MemoryStoreOptions } from './memoryStoreOptions.js';

function copy(report: ReportRecord): ReportRecord {
  return { ...report, reporter: { ...report.reporter }, resolvedBy: report.resolvedBy && { ...report.resolvedBy } };
}

const reportKey = (messageId: string, reporterId: string) => `${messageId}\u0000${reporterId}`;

export class MemoryReportStore implements ReportStore {
  readonly #reports = new Map<string, ReportRecord>();
  readonly #idByKey = new Map<string, string>();
  readonly #onChange: () => void;

  constructor(options: MemoryStoreOptions<readonly ReportRecord[]> = {}) {
    this.#onChange = options.onChange ?? (() => {});
    for (const report of options.saved ?? []) {
      const key = reportKey(report.messageId, report.reporter.id);
      if (this.#reports.has(report.id) || this.#idByKey.has(key)) throw new Error(`report ${report.id} appears twice`);
      this.#reports.set(report.id, copy(report));
      this.#idByKey.set(key, report.id);
    }
  }

  /** Every report, for writing out; read it before the next await. */
  saved(): readonly ReportRecord[] {
    return [...this.#reports.values()];
  }

  async create(input: Omit<ReportRecord, 'status' | 'resolvedBy' | 'resolvedAt'>): Promise<ReportRecord | 'duplicate'> {
    const key = reportKey(input.messageId, input.reporter.id);
    if (this.#idByKey.has(key)) return 'duplicate';
    if (this.#reports.has(input.id)) throw new Error(`report ${input.id} exists`);
    const report: ReportRecord = { ...input, reporter: { ...input.reporter }, status: 'open', resolvedBy: null, resolvedAt: null };
    this.#reports.set(report.id, report);
    this.#idByKey.set(key, report.id);
    this.#onChange();
    return copy(report);
  }

  async find(id: string): Promise<ReportRecord | null> {
    const report = this.#reports.get(id);
    return report ? copy(report) : null;
  }

  async list(query: { status: 'open' | 'all'; before?: string; limit: number }): Promise<ReportRecord[]> {
    const reports = [...this.#reports.values()].filter((r) => query.status === 'all' || r.status === 'open');
    return newestFirstPage(reports, query).map(copy);
  }

  async resolve(id: string, resolution: { status: 'dismissed' | 'removed'; by: AuthorDto; at: Date }): Promise<ReportRecord | null> {
    const report = this.#reports.get(id);
    if (!report) return null;
    if (report.status === 'open') {
      this.#settle(report, resolution);
      this.#onChange();
    }
    return copy(report);
  }

  async resolveAllOf(messageId: string, resolution: { by: AuthorDto; at: Date }): Promise<number> {
    const open = [...this.#reports.values()].filter((r) => r.messageId === messageId && r.status === 'open');
    for (const report of open) this.#settle(report, { status: 'removed', ...resolution });
    if (open.length > 0) this.#onChange();
    return open.length;
  }

  #settle(report: ReportRecord, resolution: { status: 'dismissed' | 'removed'; by: AuthorDto; at: Date }): void {
    report.status = resolution.status;
    report.resolvedBy = { id: resolution.by.id, name: resolution.by.name };
    report.resolvedAt = resolution.at;
  }
}
