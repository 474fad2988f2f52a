import { REGISTRATION_MODES, RATE_LIMIT_PRESETS, USER_ROLES, isolateText, type AuditAction, type AuditEntryDto } from '@confab/shared';
import { t, type MessageKey } from '../../i18n';
import { formatLimitDuration, formatSize } from '../../lib/format';
import { shortDateTime } from './adminDates';

type ActionKey = keyof (typeof import('../../i18n/messages/en/admin'))['admin']['audit']['actions'];

/** The sentence for each action; a role change reads by the role given. */
const ACTION_KEYS: Record<Exclude<AuditAction, 'user.role'>, ActionKey> = {
  'user.deactivate': 'deactivate',
  'user.reactivate': 'reactivate',
  'user.ban': 'ban',
  'user.password_reset': 'passwordReset',
  'user.create': 'create',
  'message.remove': 'messageRemove',
  'report.dismiss': 'reportDismiss',
  'settings.update': 'settingsUpdate',
  'invitation.create': 'invitationCreate',
  'invitation.revoke': 'invitationRevoke',
};

/** Who acted, as the log names them: the command line is "the operator", in the reader's language. */
export function actorName(entry: AuditEntryDto): string {
  return entry.actor.id === 'operator' ? t('admin.audit.operator') : entry.actor.name;
}

/** "Ada made Bob an admin": one sentence per entry, in the reader's language. */
export function auditSentence(entry: AuditEntryDto): string {
  const key: ActionKey = entry.action === 'user.role' ? (entry.details?.role === 'admin' ? 'roleAdmin' : 'roleMember') : ACTION_KEYS[entry.action];
  // Names and labels are people's text: isolated, so direction controls in one cannot turn the sentence around.
  return t(`admin.audit.actions.${key}`, { actor: isolateText(actorName(entry)), target: isolateText(entry.target.label) });
}

/** Names of the settings and of other details, as the settings form labels them. */
const DETAIL_LABELS: Record<string, MessageKey> = {
  serverName: 'admin.settings.serverName',
  registration: 'admin.settings.registration',
  membersCanInvite: 'admin.settings.membersCanInvite',
  recallWindowMs: 'admin.settings.recallWindow',
  editWindowMs: 'admin.settings.editWindow',
  uploadMaxBytes: 'admin.settings.uploadMax',
  uploadQuotaBytes: 'admin.settings.uploadQuota',
  rateLimitPreset: 'admin.settings.rateLimit',
  role: 'admin.audit.details.role',
  removedMessages: 'admin.audit.details.removedMessages',
  reason: 'admin.audit.details.reason',
  author: 'admin.audit.details.author',
  reporter: 'admin.audit.details.reporter',
  maxUses: 'admin.audit.details.maxUses',
  expiresAt: 'admin.audit.details.expiresAt',
  by: 'admin.audit.details.by',
};

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** A detail's value in words: modes and roles by their labels, times and sizes in their units. */
function detailValue(name: string, value: string): string {
  // The server writes a setting's null ("no limit") as `none`.
  if (value === 'none' || value === 'null' || value === '') return t('admin.audit.noLimit');
  if (name === 'registration' && isOneOf(REGISTRATION_MODES, value)) return t(`admin.settings.registrationModes.${value}`);
  if (name === 'rateLimitPreset' && isOneOf(RATE_LIMIT_PRESETS, value)) return t(`admin.settings.ratePresets.${value}`);
  if (name === 'role' && isOneOf(USER_ROLES, value)) return t(`admin.audit.roles.${value}`);
  if (value === 'true' || value === 'false') return t(value === 'true' ? 'admin.audit.on' : 'admin.audit.off');
  if ((name === 'editWindowMs' || name === 'recallWindowMs') && value === '0') return t('admin.audit.off');
  if (name === 'expiresAt' && !Number.isNaN(Date.parse(value))) return shortDateTime(value);
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) {
    // As the server's messages and `pnpm confab status` name the same limit (20 s is not "0.33
    // minutes", 1 kB not "0 megabytes"); the settings form shows the exact figure.
    if (name.endsWith('WindowMs')) return formatLimitDuration(n);
    if (name.endsWith('Bytes')) return formatSize(n);
  }
  return value;
}

/** An entry's details as label and value pairs, in the reader's language where the log's names are known. */
export function auditDetails(entry: AuditEntryDto): { name: string; label: string; value: string }[] {
  return Object.entries(entry.details ?? {}).map(([name, value]) => {
    const key = DETAIL_LABELS[name];
    return { name, label: key ? t(key) : name, value: isolateText(detailValue(name, value)) };
  });
}
