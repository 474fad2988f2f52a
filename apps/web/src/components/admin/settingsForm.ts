import { LIMITS, adminSettingsUpdateSchema, type AdminSettingsDto, type RateLimitPreset, type RegistrationMode } from '@confab/shared';
import { currentLocale, t, type MessageKey, type MessageValues } from '../../i18n';
import { issueText } from '../../lib/formErrors';
import { DEFAULT_LOCALE } from '../../i18n/locales';

/** The settings as the form holds them: numbers as typed, windows in the unit the admin picked. */
export interface SettingsForm {
  serverName: string;
  registration: RegistrationMode;
  membersCanInvite: boolean;
  recallAmount: string;
  recallUnit: 'seconds' | 'minutes';
  editMode: 'off' | 'limited' | 'unlimited';
  editMinutes: string;
  uploadMaxMb: string;
  /** Empty: no quota. */
  uploadQuotaMb: string;
  rateLimitPreset: RateLimitPreset;
}

/** A field's error, worded when shown so that it follows a change of language. */
export type FieldError = () => string;

/** The form's fields by the names the server gives in `invalid_payload`'s `field`. */
export const SETTINGS_FIELDS = ['serverName', 'registration', 'membersCanInvite', 'recallWindowMs', 'editWindowMs', 'uploadMaxBytes', 'uploadQuotaBytes', 'rateLimitPreset'] as const;
type Field = (typeof SETTINGS_FIELDS)[number];

const MB = 1024 * 1024;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Megabytes as an admin reads them: at most two decimals, none when whole. */
export function megabytes(bytes: number): string {
  return String(Math.round((bytes / MB) * 100) / 100);
}

export function formFromSettings(settings: AdminSettingsDto): SettingsForm {
  const isWholeMinutes = settings.recallWindowMs > 0 && settings.recallWindowMs % MINUTE === 0;
  const edit = settings.editWindowMs;
  return {
    serverName: settings.serverName,
    registration: settings.registration,
    membersCanInvite: settings.membersCanInvite,
    recallAmount: String(isWholeMinutes ? settings.recallWindowMs / MINUTE : Math.round(settings.recallWindowMs / SECOND)),
    recallUnit: isWholeMinutes ? 'minutes' : 'seconds',
    editMode: edit === null ? 'unlimited' : edit === 0 ? 'off' : 'limited',
    editMinutes: edit ? String(Math.max(1, Math.round(edit / MINUTE))) : '15',
    uploadMaxMb: megabytes(settings.uploadMaxBytes),
    uploadQuotaMb: settings.uploadQuotaBytes === null ? '' : megabytes(settings.uploadQuotaBytes),
    rateLimitPreset: settings.rateLimitPreset,
  };
}

const say =
  (key: MessageKey, values?: MessageValues): FieldError =>
  () =>
    t(key, values);

/** A number typed in a field, or the error to show under it. */
function parseNumber(text: string, { isWhole, min, max }: { isWhole: boolean; min: number; max: number }): number | FieldError {
  const trimmed = text.trim();
  if (trimmed === '') return say('admin.settings.validation.required');
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return say('admin.settings.validation.number');
  if (isWhole && !Number.isInteger(value)) return say('admin.settings.validation.wholeNumber');
  if (value < min) return say('admin.settings.validation.atLeast', { min });
  if (value > max) return say('admin.settings.validation.atMost', { max });
  return value;
}

/**
 * What the form asks to change, as `admin:settings:update` takes it: only the settings that
 * differ from `current`, and each field's error when one is not acceptable (then save nothing).
 */
export function patchFromForm(form: SettingsForm, current: AdminSettingsDto): { patch: Partial<AdminSettingsDto>; errors: Partial<Record<Field, FieldError>> } {
  const errors: Partial<Record<Field, FieldError>> = {};
  const next: Partial<AdminSettingsDto> = { registration: form.registration, membersCanInvite: form.membersCanInvite, rateLimitPreset: form.rateLimitPreset };

  const name = adminSettingsUpdateSchema.safeParse({ serverName: form.serverName });
  if (name.success) next.serverName = name.data.serverName;
  else {
    const issue = name.error.issues[0]!;
    // The schema's own words in English name the fault exactly; other languages get the rule.
    errors.serverName = () => (currentLocale() === DEFAULT_LOCALE ? issueText('serverName', issue) : t('admin.settings.validation.serverName', { max: LIMITS.serverNameMaxLength }));
  }

  const unit = form.recallUnit === 'minutes' ? MINUTE : SECOND;
  const recall = parseNumber(form.recallAmount, { isWhole: true, min: 0, max: LIMITS.recallWindowMaxMs / unit });
  if (typeof recall === 'number') next.recallWindowMs = recall * unit;
  else errors.recallWindowMs = recall;

  if (form.editMode === 'limited') {
    const minutes = parseNumber(form.editMinutes, { isWhole: true, min: 1, max: LIMITS.editWindowMaxMs / MINUTE });
    if (typeof minutes === 'number') next.editWindowMs = minutes * MINUTE;
    else errors.editWindowMs = minutes;
  } else next.editWindowMs = form.editMode === 'off' ? 0 : null;

  const uploadMax = parseNumber(form.uploadMaxMb, { isWhole: false, min: 0.001, max: LIMITS.uploadMaxBytesCeiling / MB });
  if (typeof uploadMax === 'number') next.uploadMaxBytes = Math.max(1024, Math.round(uploadMax * MB));
  else errors.uploadMaxBytes = uploadMax;

  if (form.uploadQuotaMb.trim() === '') next.uploadQuotaBytes = null;
  else {
    const quota = parseNumber(form.uploadQuotaMb, { isWhole: false, min: 0.001, max: Number.MAX_SAFE_INTEGER / MB });
    if (typeof quota === 'number') next.uploadQuotaBytes = Math.max(1024, Math.round(quota * MB));
    else errors.uploadQuotaBytes = quota;
  }

  const patch: Partial<AdminSettingsDto> = {};
  for (const key of Object.keys(next) as (keyof AdminSettingsDto)[]) {
    if (next[key] !== current[key]) Object.assign(patch, { [key]: next[key] });
  }
  // A size shown rounded to two decimals and saved unchanged must not turn into a change.
  if (patch.uploadMaxBytes !== undefined && megabytes(patch.uploadMaxBytes) === megabytes(current.uploadMaxBytes)) delete patch.uploadMaxBytes;
  if (patch.uploadQuotaBytes && current.uploadQuotaBytes !== null && megabytes(patch.uploadQuotaBytes) === megabytes(current.uploadQuotaBytes)) delete patch.uploadQuotaBytes;
  return { patch, errors };
}
