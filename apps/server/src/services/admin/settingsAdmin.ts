import type { AdminSettingsDto, AuthorDto } from '@confab/shared';
import type { StoredSettings } from '../../store/ports.js';
import type { AuditLog } from './auditLog.js';
import type { LiveSettings } from './liveSettings.js';

const SETTINGS_TARGET = { kind: 'settings', id: 'settings', label: 'server settings' } as const;

/** How an audit entry shows a setting's new value: `none` for no limit. */
const shown = (value: unknown): string => (value === null ? 'none' : String(value));

/** Reading and changing the server settings (admins only: the caller checks). */
export function createSettingsAdmin(deps: {
  live: Pick<LiveSettings, 'fresh' | 'save'>;
  audit: AuditLog;
  /** Tells every other instance to read the settings again (this one has applied them); resolves once they have. */
  settingsChanged(): Promise<void>;
}) {
  return {
    /** The settings in force, read from the database. */
    get: (): Promise<AdminSettingsDto> => deps.live.fresh(),

    /**
     * Stores the fields that differ from the settings in force, applies them here and on every
     * instance (resolving once they have), and writes them to the audit log. A change that
     * changes nothing stores and records nothing.
     */
    async update(actor: AuthorDto, change: StoredSettings): Promise<AdminSettingsDto> {
      const before = await deps.live.fresh();
      const changed = Object.fromEntries(
        Object.entries(change).filter(([key, value]) => value !== undefined && before[key as keyof AdminSettingsDto] !== value),
      ) as StoredSettings;
      if (Object.keys(changed).length === 0) return before;
      const after = await deps.live.save(changed);
      await deps.settingsChanged();
      await deps.audit.record(actor, 'settings.update', SETTINGS_TARGET, Object.fromEntries(Object.entries(changed).map(([key, value]) => [key, shown(value)])));
      return after;
    },
  };
}

export type SettingsAdmin = ReturnType<typeof createSettingsAdmin>;
