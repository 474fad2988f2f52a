import { z } from 'zod';
import type { AckFn } from './errors.js';
import type { AuthorDto, MessageDto, UserDto } from './dto.js';
import { LIMITS } from './limits.js';
import { messageIdSchema } from './schemas.js';
import { userName, userText } from './text.js';

/**
 * Server-wide roles (not a room's `MemberRole`). The first account registered on a fresh server
 * is an admin, and so is any account whose username is in `ADMIN_USERNAMES`; admins promote and
 * demote others, never the last admin (Zulip's and Mattermost's rule).
 */
export const USER_ROLES = ['admin', 'member'] as const;
/** One of {@link USER_ROLES}. */
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Who may register: `open` (anyone), `invitation` (only with a valid invitation link), `closed`
 * (nobody; admins create accounts with the operator command line). A server with no account
 * yet always takes one registration, whatever the mode, and that account is its first admin.
 * `REGISTRATION` sets the mode until an admin changes it.
 */
export const REGISTRATION_MODES = ['open', 'invitation', 'closed'] as const;
/** One of {@link REGISTRATION_MODES}. */
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/**
 * Rate-limit presets an admin can choose: every configured limit's points are multiplied by
 * 2 (`relaxed`), 1 (`standard`: `RATE_LIMITS` as configured) or 0.5 (`strict`, at least 1 point).
 */
export const RATE_LIMIT_PRESETS = ['relaxed', 'standard', 'strict'] as const;
/** One of {@link RATE_LIMIT_PRESETS}. */
export type RateLimitPreset = (typeof RATE_LIMIT_PRESETS)[number];

/** What an admin sets in the admin screen; stored in the database and applied live on every instance. */
export interface AdminSettingsDto {
  /** Shown in the page title and on the sign-in page; 1–`LIMITS.serverNameMaxLength` characters (`SERVER_NAME`, default "Confab"). */
  serverName: string;
  registration: RegistrationMode;
  /** Whether members (not only admins) may create invitation links (default false). */
  membersCanInvite: boolean;
  /** How long after sending an author may recall, in ms (`RECALL_WINDOW_SECONDS`); 0–`LIMITS.recallWindowMaxMs`. */
  recallWindowMs: number;
  /** How long after sending an author may edit, in ms; null for no limit, 0 for editing off (`EDIT_WINDOW_MINUTES`). */
  editWindowMs: number | null;
  /** Largest upload in bytes (`UPLOAD_MAX_MB`); 1 KiB – `LIMITS.uploadMaxBytesCeiling`. */
  uploadMaxBytes: number;
  /** Bytes of stored files per user (`UPLOAD_QUOTA_MB`); null for no quota. */
  uploadQuotaBytes: number | null;
  rateLimitPreset: RateLimitPreset;
}

const windowMs = z.int({ error: 'must be a whole number of milliseconds' }).min(0, { error: 'must not be negative' });

/** `admin:settings:update` payload: only the fields to change (at least one). Refused with `invalid_payload` naming the field; nothing changes. */
export const adminSettingsUpdateSchema = z
  .strictObject({
    serverName: userName(LIMITS.serverNameMaxLength, 'server name').optional(),
    registration: z.enum(REGISTRATION_MODES, { error: 'registration must be open, invitation or closed' }).optional(),
    membersCanInvite: z.boolean({ error: 'membersCanInvite must be true or false' }).optional(),
    recallWindowMs: windowMs.max(LIMITS.recallWindowMaxMs, { error: `recallWindowMs must be at most ${LIMITS.recallWindowMaxMs}` }).optional(),
    editWindowMs: windowMs.max(LIMITS.editWindowMaxMs, { error: `editWindowMs must be at most ${LIMITS.editWindowMaxMs}` }).nullable().optional(),
    uploadMaxBytes: z.int().min(1024, { error: 'uploadMaxBytes must be at least 1024' }).max(LIMITS.uploadMaxBytesCeiling, { error: `uploadMaxBytes must be at most ${LIMITS.uploadMaxBytesCeiling}` }).optional(),
    uploadQuotaBytes: z.int().min(1024, { error: 'uploadQuotaBytes must be at least 1024' }).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    rateLimitPreset: z.enum(RATE_LIMIT_PRESETS, { error: 'rateLimitPreset must be relaxed, standard or strict' }).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { error: 'name at least one setting to change' });

/** A user as admins see them in the user list. */
export interface AdminUserDto extends UserDto {
  /** Registered at (ISO 8601, UTC). */
  createdAt: string;
  /** Set while the account is deactivated (or banned): it cannot sign in and has no live session. */
  deactivatedAt?: string;
  /** Set once the account was banned: deactivated, and every message of theirs removed by a moderator. */
  bannedAt?: string;
  /**
   * Set when the username is in the server's `ADMIN_USERNAMES`: an admin while listed there.
   * Demoting such an admin is refused with `forbidden` (remove them from the configuration first).
   */
  configuredAdmin?: true;
}

/** `user:updated` on `/lobby`: a user's account was deactivated (or banned) or reactivated. */
export interface UserUpdateDto {
  userId: string;
  /** Now deactivated (or banned): the mark shows beside their name. */
  deactivated: boolean;
}

/** A page of the user list, ordered by lower-cased username. */
export interface AdminUserPage {
  users: AdminUserDto[];
  hasMore: boolean;
}

const HEX_DIGITS = '0123456789abcdef';
/** 24 lowercase hex digits, checked without a pattern (see the server's regexBudget test). */
const isId = (value: string): boolean => value.length === 24 && [...value].every((c) => HEX_DIGITS.includes(c));
const userIdSchema = z.string({ error: 'userId must be a string' }).refine(isId, { error: 'userId must be a user id (24 hex digits)' });
const adminIdSchema = z.string({ error: 'id must be a string' }).refine(isId, { error: 'id must be an id (24 hex digits)' });
/** `limit` of every paged admin event: a whole number of items, 1–`LIMITS.adminPageMax`, default the most. */
const pageLimitSchema = z
  .int({ error: 'limit must be a whole number' })
  .min(1, { error: 'limit must be at least 1' })
  .max(LIMITS.adminPageMax, { error: `limit must be at most ${LIMITS.adminPageMax}` })
  .default(LIMITS.adminPageMax);

/** `admin:users` payload: users whose username or display name starts with `query`, after `afterUsername` (a lower-cased username, from the last page). */
export const adminUsersSchema = z.strictObject({
  query: z.string({ error: 'query must be a string' }).max(LIMITS.usernameMaxLength, { error: `query must be at most ${LIMITS.usernameMaxLength} characters` }).default(''),
  afterUsername: z
    .string({ error: 'afterUsername must be a string' })
    .max(LIMITS.usernameMaxLength, { error: `afterUsername must be at most ${LIMITS.usernameMaxLength} characters` })
    .optional(),
  limit: pageLimitSchema,
});

/** `admin:user:role` payload. */
export const adminUserRoleSchema = z.strictObject({ userId: userIdSchema, role: z.enum(USER_ROLES, { error: 'role must be admin or member' }) });
/** `admin:user:deactivate`, `admin:user:reactivate` and `admin:user:ban` payload. */
export const adminUserRefSchema = z.strictObject({ userId: userIdSchema });

/** An invitation link (`/signup?invitation=<token>`). The token is shown only in the ack of the call that made it; the server keeps its SHA-256. */
export interface InvitationDto {
  id: string;
  /** Only in `invitation:create`'s ack. 32 bytes of randomness, base64url (43 characters). */
  token?: string;
  createdBy: AuthorDto;
  createdAt: string;
  /** After this (ISO 8601, UTC) the link registers nobody. */
  expiresAt: string;
  /** How many accounts it may register in all (1–`LIMITS.invitationUsesMax`). */
  maxUses: number;
  /** How many it has registered. */
  uses: number;
  /** Set once revoked: it registers nobody. */
  revokedAt?: string;
  /**
   * Set while its maker may not invite (deactivated or banned, or a member while
   * `membersCanInvite` is off): it registers nobody until that right comes back. In
   * `invitation:list` only, as of the answer.
   */
  isPaused?: true;
}

/** `invitation:create` payload: the link's lifetime in hours (1–`LIMITS.invitationHoursMax`, default 168) and uses (default 1). */
export const invitationCreateSchema = z.strictObject({
  expiresInHours: z.int({ error: 'expiresInHours must be a whole number' }).min(1, { error: 'expiresInHours must be at least 1' }).max(LIMITS.invitationHoursMax, { error: `expiresInHours must be at most ${LIMITS.invitationHoursMax}` }).default(168),
  maxUses: z.int({ error: 'maxUses must be a whole number' }).min(1, { error: 'maxUses must be at least 1' }).max(LIMITS.invitationUsesMax, { error: `maxUses must be at most ${LIMITS.invitationUsesMax}` }).default(1),
});
/** `invitation:revoke` payload. */
export const invitationRefSchema = z.strictObject({ id: adminIdSchema });

/** `message:report` payload: why, in the reporter's words (may be empty). */
export const reportSchema = z.strictObject({
  id: messageIdSchema,
  reason: userText(LIMITS.reportReasonMaxLength, 'reason', { mayBeEmpty: true }).default(''),
});
/** `message:remove` payload. */
export const removeMessageSchema = z.strictObject({ id: messageIdSchema });
/** What a client sends with `message:report`. */
export type ReportPayload = z.input<typeof reportSchema>;
/** What a client sends with `message:remove`. */
export type RemoveMessagePayload = z.input<typeof removeMessageSchema>;

/** A report's state: `open` in the queue; `dismissed` or `removed` (the message was removed) once an admin acted. */
export type ReportStatus = 'open' | 'dismissed' | 'removed';

/** A reported message in the admins' queue. */
export interface ReportDto {
  id: string;
  /** The message as it is now (a removed one shows as a tombstone). */
  message: MessageDto;
  /** Up to `LIMITS.reportContextMessages` entries before and after it in its room, oldest first, the message among them. */
  context: MessageDto[];
  /** The room's name to show: `#name` for a channel, "Lobby", or the members' names for a group or DM. */
  roomLabel: string;
  reporter: AuthorDto;
  reason: string;
  createdAt: string;
  status: ReportStatus;
  /** Set once resolved: who and when. */
  resolvedBy?: AuthorDto;
  resolvedAt?: string;
}

/** `admin:reports` payload: the open reports (or every one, newest first), a page before `before` (a report id). */
export const adminReportsSchema = z.strictObject({
  status: z.enum(['open', 'all'], { error: 'status must be open or all' }).default('open'),
  before: adminIdSchema.optional(),
  limit: pageLimitSchema,
});
/** `admin:report:resolve` payload: remove the message (every open report of it is resolved as `removed`) or dismiss this report. */
export const adminReportResolveSchema = z.strictObject({ id: adminIdSchema, action: z.enum(['remove', 'dismiss'], { error: 'action must be remove or dismiss' }) });

/** Every kind of administrative action the audit log records. */
export const AUDIT_ACTIONS = [
  'user.role',
  'user.deactivate',
  'user.reactivate',
  'user.ban',
  'user.password_reset',
  'user.create',
  'message.remove',
  'report.dismiss',
  'settings.update',
  'invitation.create',
  'invitation.revoke',
] as const;
/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit log entry: who did what to what, when. Kept in the database for good. */
export interface AuditEntryDto {
  id: string;
  at: string;
  /** Who acted: a user, or `{ id: 'operator', name: 'operator' }` for the command line. */
  actor: AuthorDto;
  action: AuditAction;
  /** What it acted on: a user, a message, a report, an invitation, or the settings. */
  target: { kind: 'user' | 'message' | 'report' | 'invitation' | 'settings'; id: string; label: string };
  /** What changed, as short text values (`{ role: 'admin' }`, `{ registration: 'closed' }`, `{ removedMessages: '12' }`). */
  details?: Record<string, string>;
}

/** `admin:audit` payload: a page of entries, newest first, before `before` (an entry id). */
export const adminAuditSchema = z.strictObject({
  before: adminIdSchema.optional(),
  limit: pageLimitSchema,
});

/** `invitation:list` payload: a page of invitations, newest first, before `before` (an invitation id). */
export const adminInvitationsSchema = z.strictObject({
  before: adminIdSchema.optional(),
  limit: pageLimitSchema,
});

/**
 * Events a client emits on `/admin`. Any signed-in user may connect; every `admin:` event checks,
 * when it arrives, that the caller is an admin now, and otherwise acks `forbidden` and changes
 * nothing (the `invitation:` events admit members too while `membersCanInvite` is on, for their
 * own invitations). Every action that changes something is written to the audit log.
 */
export interface AdminClientToServerEvents {
  /** The settings as stored (or as configured, until an admin first saves). */
  'admin:settings': (payload: Record<string, never>, ack: AckFn<AdminSettingsDto>) => void;
  /** Changes settings; every instance applies them at once. Ack: the settings now stored. */
  'admin:settings:update': (payload: z.input<typeof adminSettingsUpdateSchema>, ack: AckFn<AdminSettingsDto>) => void;
  /** A page of users. */
  'admin:users': (payload: z.input<typeof adminUsersSchema>, ack: AckFn<AdminUserPage>) => void;
  /** Promotes or demotes. Refusals: `not_found`, `last_admin` (demoting the only admin). */
  'admin:user:role': (payload: z.input<typeof adminUserRoleSchema>, ack: AckFn<AdminUserDto>) => void;
  /**
   * Deactivates: every session ends and every socket of the user, on every instance, disconnects
   * within seconds; sign-in is refused with `account_deactivated`. Their messages stay, with
   * `author.deactivated`. Refusals: `not_found`, `last_admin`, `forbidden` (oneself).
   */
  'admin:user:deactivate': (payload: z.input<typeof adminUserRefSchema>, ack: AckFn<AdminUserDto>) => void;
  /** Lets a deactivated (or banned) user sign in again; removed messages stay removed. */
  'admin:user:reactivate': (payload: z.input<typeof adminUserRefSchema>, ack: AckFn<AdminUserDto>) => void;
  /**
   * Bans: deactivates, then removes every message of theirs (files included) in every room, each
   * through a removal entry in its room's stream (`MessageDto.recall` with `byModerator`), so
   * live and offline devices alike show "removed by a moderator". Ack once all are removed.
   */
  'admin:user:ban': (payload: z.input<typeof adminUserRefSchema>, ack: AckFn<{ user: AdminUserDto; removedMessages: number }>) => void;
  /** Reports, newest first. */
  'admin:reports': (payload: z.input<typeof adminReportsSchema>, ack: AckFn<{ reports: ReportDto[]; hasMore: boolean }>) => void;
  /** Acts on a report. Ack: the report as resolved. Refusals: `not_found`. */
  'admin:report:resolve': (payload: z.input<typeof adminReportResolveSchema>, ack: AckFn<ReportDto>) => void;
  /** The audit log, newest first. */
  'admin:audit': (payload: z.input<typeof adminAuditSchema>, ack: AckFn<{ entries: AuditEntryDto[]; hasMore: boolean }>) => void;
  /**
   * A page of invitations, newest first, tokens omitted (members see only their own). `hasMore`:
   * ask again with `before` set to the last one's id.
   */
  'invitation:list': (payload: z.input<typeof adminInvitationsSchema>, ack: AckFn<{ invitations: InvitationDto[]; hasMore: boolean }>) => void;
  /**
   * Creates an invitation link. Admins always; members too when `membersCanInvite` (they list
   * and revoke only their own). Ack: the invitation with its `token`.
   */
  'invitation:create': (payload: z.input<typeof invitationCreateSchema>, ack: AckFn<InvitationDto>) => void;
  /** Revokes an invitation. Refusals: `not_found`. */
  'invitation:revoke': (payload: z.input<typeof invitationRefSchema>, ack: AckFn<InvitationDto>) => void;
}

/** Events the server emits on `/admin`: none yet (admin screens fetch on open). */
export type AdminServerToClientEvents = Record<string, never>;
