import { LIMITS, adminSettingsUpdateSchema, type AdminSettingsDto, type RateLimitPreset, type RegistrationMode } from '@confab/shared';
import { currentLocale, t, type MessageKey, type MessageValues } from '../../i18n';
import { formatFileSize } from '../../lib/attachments';
import { formatDuration } from '../../lib/format';
import { issueText } from '../../lib/formErrors';
import { DEFAULT_LOCALE } from '../../i18n/locales';

/** Units a window (recall, edit) is typed in. */
export const WINDOW_UNITS = ['seconds', 'minutes', 'hours'] as const;
export type WindowUnit = (typeof WINDOW_UNITS)[number];
/** Units a size (largest file, storage per person) is typed in: binary multiples, as the server counts. */
export const SIZE_UNITS = ['kilobytes', 'megabytes', 'gigabytes'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];

/** The settings as the form holds them: numbers as typed, each with the unit it is typed in. */
export interface SettingsForm {
  serverName: string;
  registration: RegistrationMode;
  membersCanInvite: boolean;
  recallAmount: string;
  recallUnit: WindowUnit;
  editMode: 'off' | 'limited' | 'unlimited';
  editAmount: string;
  editUnit: WindowUnit;
  uploadMaxAmount: string;
  uploadMaxUnit: SizeUnit;
  /** Empty: no quota. */
  uploadQuotaAmount: string;
  uploadQuotaUnit: SizeUnit;
  rateLimitPreset: RateLimitPreset;
}

/** A field's error, worded when shown so that it follows a change of language. */
export type FieldError = () => string;

/** The form's fields by the names the server gives in `invalid_payload`'s `field`. */
export const SETTINGS_FIELDS = ['serverName', 'registration', 'membersCanInvite', 'recallWindowMs', 'editWindowMs', 'uploadMaxBytes', 'uploadQuotaBytes', 'rateLimitPreset'] as const;
type Field = (typeof SETTINGS_FIELDS)[number];

const WINDOW_MS: Record<WindowUnit, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000 };
const SIZE_BYTES: Record<SizeUnit, number> = { kilobytes: 1024, megabytes: 1024 ** 2, gigabytes: 1024 ** 3 };
const EDIT_WINDOW_MIN_MS = 1000;
const UPLOAD_MIN_BYTES = 1024;

/** A number as a field shows it: at most `digits` decimals, none when whole, no grouping. */
const plain = (n: number, digits: number) => String(Math.round(n * 10 ** digits) / 10 ** digits);

/** A window in the largest unit it is a whole number of, else in seconds to the millisecond: exact either way. */
export function windowField(ms: number): { amount: string; unit: WindowUnit } {
  const unit = [...WINDOW_UNITS].reverse().find((u) => ms > 0 && ms % WINDOW_MS[u] === 0) ?? 'seconds';
  return { amount: plain(ms / WINDOW_MS[unit], 3), unit };
}

/**
 * A size in the largest unit it is at least 1 of and that two decimals give back exactly
 * (0.04 MB stored as 41,943 bytes reads "40.96 kB"); else rounded in the largest unit it fills,
 * and saved unchanged as stored (see {@link patchFromForm}). Never "0" for a size that is not.
 */
export function sizeField(bytes: number): { amount: string; unit: SizeUnit } {
  const units = [...SIZE_UNITS].reverse();
  const exact = units.find((u) => bytes >= SIZE_BYTES[u] && Math.round(Number(plain(bytes / SIZE_BYTES[u], 2)) * SIZE_BYTES[u]) === bytes);
  const unit = exact ?? units.find((u) => bytes >= SIZE_BYTES[u]) ?? 'kilobytes';
  return { amount: plain(bytes / SIZE_BYTES[unit], bytes < SIZE_BYTES.kilobytes ? 3 : 2), unit };
}

export function formFromSettings(settings: AdminSettingsDto): SettingsForm {
  const recall = windowField(settings.recallWindowMs);
  const edit = settings.editWindowMs;
  // Editing off or unlimited: the amount offered when the admin picks "for a while".
  const editField = edit ? windowField(edit) : { amount: '15', unit: 'minutes' as const };
  const uploadMax = sizeField(settings.uploadMaxBytes);
  const quota = settings.uploadQuotaBytes === null ? { amount: '', unit: 'megabytes' as const } : sizeField(settings.uploadQuotaBytes);
  return {
    serverName: settings.serverName,
    registration: settings.registration,
    membersCanInvite: settings.membersCanInvite,
    recallAmount: recall.amount,
    recallUnit: recall.unit,
    editMode: edit === null ? 'unlimited' : edit === 0 ? 'off' : 'limited',
    editAmount: editField.amount,
    editUnit: editField.unit,
    uploadMaxAmount: uploadMax.amount,
    uploadMaxUnit: uploadMax.unit,
    uploadQuotaAmount: quota.amount,
    uploadQuotaUnit: quota.unit,
    rateLimitPreset: settings.rateLimitPreset,
  };
}

const say =
  (key: MessageKey, values?: MessageValues): FieldError =>
  () =>
    t(key, values);

interface Bounds {
  /** How many milliseconds or bytes one of the unit is. */
  scale: number;
  min: number;
  max: number;
  /** A bound as the error names it ("1 second", "10 GB"), in the language on screen when shown. */
  say: (bound: number) => string;
}

/** A number typed in a field, as a whole number of milliseconds or bytes, or the error to show under it. */
function parseAmount(text: string, { scale, min, max, say: named }: Bounds): number | FieldError {
  const trimmed = text.trim();
  if (trimmed === '') return say('admin.settings.validation.required');
  const typed = Number(trimmed);
  if (!Number.isFinite(typed)) return say('admin.settings.validation.number');
  const value = Math.round(typed * scale);
  if (value < min) return () => t('admin.settings.validation.atLeast', { min: named(min) });
  if (value > max) return () => t('admin.settings.validation.atMost', { max: named(max) });
  return value;
}

const windowBounds = (unit: WindowUnit, min: number, max: number): Bounds => ({ scale: WINDOW_MS[unit], min, max, say: formatDuration });
const sizeBounds = (unit: SizeUnit, max: number): Bounds => ({ scale: SIZE_BYTES[unit], min: UPLOAD_MIN_BYTES, max, say: (n) => formatFileSize(n) });

/**
 * What the form asks to change, as `admin:settings:update` takes it: only the settings that
 * differ from `current`, and each field's error when one is not acceptable (then save nothing).
 * A number left as the form showed it keeps the value stored, to the byte and the millisecond.
 */
export function patchFromForm(form: SettingsForm, current: AdminSettingsDto): { patch: Partial<AdminSettingsDto>; errors: Partial<Record<Field, FieldError>> } {
  const errors: Partial<Record<Field, FieldError>> = {};
  const next: Partial<AdminSettingsDto> = { registration: form.registration, membersCanInvite: form.membersCanInvite, rateLimitPreset: form.rateLimitPreset };
  const shown = formFromSettings(current);
  const isAsShown = (amount: 'recallAmount' | 'editAmount' | 'uploadMaxAmount' | 'uploadQuotaAmount', unit: 'recallUnit' | 'editUnit' | 'uploadMaxUnit' | 'uploadQuotaUnit') =>
    form[amount].trim() === shown[amount] && form[unit] === shown[unit];
  const take = <F extends Field>(field: F, parsed: number | FieldError, set: (value: number) => void) => (typeof parsed === 'number' ? set(parsed) : (errors[field] = parsed));

  const name = adminSettingsUpdateSchema.safeParse({ serverName: form.serverName });
  if (name.success) next.serverName = name.data.serverName;
  else {
    const issue = name.error.issues[0]!;
    // The schema's own words in English name the fault exactly; other languages get the rule.
    errors.serverName = () => (currentLocale() === DEFAULT_LOCALE ? issueText('serverName', issue) : t('admin.settings.validation.serverName', { max: LIMITS.serverNameMaxLength }));
  }

  if (isAsShown('recallAmount', 'recallUnit')) next.recallWindowMs = current.recallWindowMs;
  else take('recallWindowMs', parseAmount(form.recallAmount, windowBounds(form.recallUnit, 0, LIMITS.recallWindowMaxMs)), (ms) => (next.recallWindowMs = ms));

  if (form.editMode !== 'limited') next.editWindowMs = form.editMode === 'off' ? 0 : null;
  else if (current.editWindowMs && isAsShown('editAmount', 'editUnit')) next.editWindowMs = current.editWindowMs;
  else take('editWindowMs', parseAmount(form.editAmount, windowBounds(form.editUnit, EDIT_WINDOW_MIN_MS, LIMITS.editWindowMaxMs)), (ms) => (next.editWindowMs = ms));

  if (isAsShown('uploadMaxAmount', 'uploadMaxUnit')) next.uploadMaxBytes = current.uploadMaxBytes;
  else take('uploadMaxBytes', parseAmount(form.uploadMaxAmount, sizeBounds(form.uploadMaxUnit, LIMITS.uploadMaxBytesCeiling)), (bytes) => (next.uploadMaxBytes = bytes));

  if (form.uploadQuotaAmount.trim() === '') next.uploadQuotaBytes = null;
  else if (current.uploadQuotaBytes !== null && isAsShown('uploadQuotaAmount', 'uploadQuotaUnit')) next.uploadQuotaBytes = current.uploadQuotaBytes;
  else take('uploadQuotaBytes', parseAmount(form.uploadQuotaAmount, sizeBounds(form.uploadQuotaUnit, Number.MAX_SAFE_INTEGER)), (bytes) => (next.uploadQuotaBytes = bytes));

  const patch: Partial<AdminSettingsDto> = {};
  for (const key of Object.keys(next) as (keyof AdminSettingsDto)[]) {
    if (next[key] !== current[key]) Object.assign(patch, { [key]: next[key] });
  }
  return { patch, errors };
}
