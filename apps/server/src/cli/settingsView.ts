import { describeBytes, describeDuration, type AdminSettingsDto } from '@confab/shared';
import type { Config } from '../config.js';
import { effectiveSettings } from '../services/admin/liveSettings.js';
import type { StoredSettings } from '../store/ports.js';

/** Where each setting's starting value comes from. */
const SOURCES: Record<keyof AdminSettingsDto, string> = {
  serverName: 'SERVER_NAME',
  registration: 'REGISTRATION',
  membersCanInvite: 'default',
  recallWindowMs: 'RECALL_WINDOW_SECONDS',
  editWindowMs: 'EDIT_WINDOW_MINUTES',
  uploadMaxBytes: 'UPLOAD_MAX_MB',
  uploadQuotaBytes: 'UPLOAD_QUOTA_MB',
  rateLimitPreset: 'RATE_LIMITS as configured',
};

function shown(key: keyof AdminSettingsDto, value: AdminSettingsDto[keyof AdminSettingsDto]): string {
  switch (key) {
    // As the server's refusals name them (@confab/shared limitText.ts), and the web app's audit log.
    case 'recallWindowMs':
      return value === 0 ? 'off' : describeDuration(value as number);
    case 'editWindowMs':
      return value === null ? 'no limit' : value === 0 ? 'off' : describeDuration(value as number);
    case 'uploadMaxBytes':
      return describeBytes(value as number);
    case 'uploadQuotaBytes':
      return value === null ? 'no quota' : describeBytes(value as number);
    case 'membersCanInvite':
      return value ? 'yes' : 'no';
    default:
      return String(value);
  }
}

/**
 * One line per setting: the value in force (what an admin saved, over the configuration) and
 * where it comes from, e.g. `registration: closed (saved by an admin; REGISTRATION gives open)`.
 */
export function describeSettings(config: Readonly<Config>, stored: StoredSettings): [label: string, text: string][] {
  const configured = effectiveSettings(config, {});
  return (Object.keys(SOURCES) as (keyof AdminSettingsDto)[]).map((key) => {
    const saved = stored[key];
    if (saved === undefined) return [key, `${shown(key, configured[key])} (${SOURCES[key]})`];
    return [key, `${shown(key, saved)} (saved by an admin; ${SOURCES[key]} gives ${shown(key, configured[key])})`];
  });
}
