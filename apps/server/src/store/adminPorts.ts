import type { AdminSettingsDto, AuditAction, AuditEntryDto, AuthorDto, ReportStatus } from '@confab/shared';

/**
 * The settings an admin saved: only the fields ever saved (the rest come from the configuration,
 * see services/admin/liveSettings.ts). One record per server.
 */
export type StoredSettings = Partial<AdminSettingsDto>;

export interface SettingsStore {
  /** What was saved; `{}` when nothing ever was. */
  get(): Promise<StoredSettings>;
  /**
   * Saves the given fields (`null` is a value, `undefined` leaves a field alone) and returns the
   * record now stored. Two racing calls that set different fields both take effect; of two that
   * set the same field, either may win.
   */
  update(change: StoredSettings): Promise<StoredSettings>;
  /**
   * Marks `userId` as the server's first account, once for good: true for exactly one caller,
   * even when calls race on several instances (an insert under a unique key).
   */
  claimFirstAccount(userId: string): Promise<boolean>;
}

/** An invitation link as stored: the token's SHA-256, never the token. */
export interface InvitationRecord {
  /** 24 hex digits (`newObjectIdHex`). */
  id: string;
  /** Hex SHA-256 of the token. */
  tokenHash: string;
  createdBy: AuthorDto;
  createdAt: Date;
  expiresAt: Date;
  maxUses: number;
  revokedAt: Date | null;
  /** How many uses are taken (read when the record is read). */
  uses: number;
}

export interface InvitationStore {
  /** Stores a new invitation (`uses` is ignored: a new one has none). */
  create(invitation: InvitationRecord): Promise<void>;
  find(id: string): Promise<InvitationRecord | null>;
  findByTokenHash(tokenHash: string): Promise<InvitationRecord | null>;
  /** Newest first (by id, which grows with time), strictly before the id `before` when given; only `createdBy`'s when given. At most `limit`. */
  list(query: { createdBy?: string; before?: string; limit: number }): Promise<InvitationRecord[]>;
  /** Sets `revokedAt` (kept from the first call); null when there is no such invitation. */
  revoke(id: string, at: Date): Promise<InvitationRecord | null>;
  /**
   * Takes one of the invitation's `maxUses` uses: the use's number (1…maxUses), or null when all
   * are taken. Concurrent calls, on several instances too, never take more than `maxUses` in all
   * (each use is an insert under a unique `(invitationId, use)` key).
   */
  takeUse(id: string, maxUses: number, at: Date): Promise<number | null>;
  /** Gives a taken use back (the registration it was for failed). */
  releaseUse(id: string, use: number): Promise<void>;
}

/** A report of a message, as stored. */
export interface ReportRecord {
  id: string;
  messageId: string;
  roomId: string;
  reporter: AuthorDto;
  reason: string;
  createdAt: Date;
  status: ReportStatus;
  resolvedBy: AuthorDto | null;
  resolvedAt: Date | null;
}

export interface ReportStore {
  /** Stores the report; `'duplicate'` when this reporter already reported this message (unique `(messageId, reporter.id)`). */
  create(report: Omit<ReportRecord, 'status' | 'resolvedBy' | 'resolvedAt'>): Promise<ReportRecord | 'duplicate'>;
  find(id: string): Promise<ReportRecord | null>;
  /** Newest first (by id, which grows with time), open ones only unless `status` is `'all'`, strictly before the id `before`. */
  list(query: { status: 'open' | 'all'; before?: string; limit: number }): Promise<ReportRecord[]>;
  /** Resolves an open report; returns it as stored after the call (unchanged when it was not open); null when there is none. */
  resolve(id: string, resolution: { status: 'dismissed' | 'removed'; by: AuthorDto; at: Date }): Promise<ReportRecord | null>;
  /** Resolves every open report of the message as `removed`; returns how many. */
  resolveAllOf(messageId: string, resolution: { by: AuthorDto; at: Date }): Promise<number>;
}

/** An audit log entry as stored. */
export interface AuditRecord {
  id: string;
  at: Date;
  actor: AuthorDto;
  action: AuditAction;
  target: AuditEntryDto['target'];
  details?: Record<string, string>;
}

/** The audit log: append-only. */
export interface AuditStore {
  append(entry: AuditRecord): Promise<void>;
  /** Newest first (by id), strictly before the id `before`. */
  list(query: { before?: string; limit: number }): Promise<AuditRecord[]>;
}
