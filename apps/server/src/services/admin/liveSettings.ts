import type { AdminSettingsDto } from '@confab/shared';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { SettingsStore, StoredSettings } from '../../store/ports.js';

/** The configuration values an admin may override (the environment gives the initial ones). */
export type SettingsDefaults = Pick<Config, 'serverName' | 'registration' | 'recallWindowMs' | 'editWindowMs' | 'uploadMaxBytes' | 'uploadQuotaBytes'>;

/** The settings in force: the configuration, overlaid with what an admin saved. */
export function effectiveSettings(defaults: SettingsDefaults, stored: StoredSettings): AdminSettingsDto {
  const configured: AdminSettingsDto = {
    serverName: defaults.serverName,
    registration: defaults.registration,
    membersCanInvite: false,
    recallWindowMs: defaults.recallWindowMs,
    editWindowMs: defaults.editWindowMs,
    uploadMaxBytes: defaults.uploadMaxBytes,
    uploadQuotaBytes: defaults.uploadQuotaBytes,
    rateLimitPreset: 'standard',
  };
  const saved = Object.fromEntries(Object.entries(stored).filter(([key, value]) => key in configured && value !== undefined));
  return { ...configured, ...saved };
}

/**
 * The settings in force on this instance, kept in memory so that a recall or an upload reads no
 * database. Reloaded when an admin changes them (here directly, on other instances through
 * `settings:changed`) and every half minute besides (scaleout/adminSync.ts). Who may register
 * asks `fresh()`, which reads the database.
 */
export function createLiveSettings(deps: { settings: SettingsStore; defaults: SettingsDefaults; logger: Logger }) {
  let current = effectiveSettings(deps.defaults, {});
  const listeners: ((settings: AdminSettingsDto) => void)[] = [];

  function apply(next: AdminSettingsDto): AdminSettingsDto {
    const isChanged = JSON.stringify(next) !== JSON.stringify(current);
    current = next;
    if (isChanged) {
      for (const listener of listeners) {
        try {
          listener(next);
        } catch (err) {
          deps.logger.error({ err }, 'applying changed settings failed');
        }
      }
    }
    return next;
  }

  /** Reads the stored settings, applies them here, and returns them. */
  async function fresh(): Promise<AdminSettingsDto> {
    return apply(effectiveSettings(deps.defaults, await deps.settings.get()));
  }

  return {
    /** The settings as last read (the configuration's until the first read). */
    current: (): AdminSettingsDto => current,
    fresh,
    /** Stores a change, applies it here, and returns the settings now in force. */
    async save(change: StoredSettings): Promise<AdminSettingsDto> {
      return apply(effectiveSettings(deps.defaults, await deps.settings.update(change)));
    },
    /** Calls `listener` with the settings whenever they change on this instance (not for the first read if it changes nothing). */
    onChange(listener: (settings: AdminSettingsDto) => void): void {
      listeners.push(listener);
    },
  };
}

export type LiveSettings = ReturnType<typeof createLiveSettings>;
