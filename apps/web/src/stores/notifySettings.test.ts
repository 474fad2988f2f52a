import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { NotifySettingDto } from '@confab/shared';
import { listNotifySettings, setNotifySetting } from '../services/notifySettings';
import type { Result } from '../services/request';
import { DESIGN_ROOM, GROUP_ROOM } from '../testing/factories';
import { useNotifySettingsStore } from './notifySettings';

vi.mock('../services/notifySettings', () => ({ listNotifySettings: vi.fn(), setNotifySetting: vi.fn() }));

/** A list answer the test releases when it wants. */
function pendingList() {
  let release!: (settings: NotifySettingDto[]) => void;
  vi.mocked(listNotifySettings).mockReturnValueOnce(
    new Promise<Result<{ settings: NotifySettingDto[] }>>((resolve) => {
      release = (settings) => resolve({ ok: true, data: { settings } });
    }),
  );
  return (settings: NotifySettingDto[]) => release(settings);
}

describe('notification settings store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(listNotifySettings).mockReset();
    vi.mocked(setNotifySetting).mockReset();
  });

  it('gives a room it holds nothing for its default: mentions for the lobby and channels, all for groups and DMs; not muted', () => {
    const store = useNotifySettingsStore();
    expect(store.stateOf('lobby')).toEqual({ level: 'mentions', isMuted: false });
    expect(store.stateOf(DESIGN_ROOM)).toEqual({ level: 'mentions', isMuted: false });
    expect(store.stateOf(GROUP_ROOM)).toEqual({ level: 'all', isMuted: false });
  });

  it('forgets the setting of a room left or removed from: joined again, it starts from the default', () => {
    const store = useNotifySettingsStore();
    store.apply({ roomId: DESIGN_ROOM, level: 'none', mutedUntil: '9999-12-31T23:59:59.999Z' });
    store.apply({ roomId: GROUP_ROOM, level: 'mentions', mutedUntil: null });
    expect(store.stateOf(DESIGN_ROOM)).toEqual({ level: 'none', isMuted: true });
    store.forget(DESIGN_ROOM);
    expect(store.stateOf(DESIGN_ROOM)).toEqual({ level: 'mentions', isMuted: false });
    expect(store.stateOf(GROUP_ROOM)).toEqual({ level: 'mentions', isMuted: false });
  });

  it('a change heard while the list was on its way survives the older list', async () => {
    const store = useNotifySettingsStore();
    const release = pendingList();
    const loading = store.load();
    store.apply({ roomId: DESIGN_ROOM, level: 'none', mutedUntil: null });
    release([
      { roomId: DESIGN_ROOM, level: 'all', mutedUntil: null },
      { roomId: 'lobby', level: 'none', mutedUntil: null },
    ]);
    await loading;
    expect(store.settingOf(DESIGN_ROOM).level).toBe('none');
    expect(store.settingOf('lobby').level).toBe('none');
    expect(store.loadStatus).toBe('done');
  });

  it('drops a list that answers after the user changed (reset)', async () => {
    const store = useNotifySettingsStore();
    const release = pendingList();
    const loading = store.load();
    store.reset();
    release([{ roomId: 'lobby', level: 'all', mutedUntil: null }]);
    await loading;
    expect(store.settingOf('lobby').level).toBe('mentions');
  });

  it('applies what the server acked, and keeps what it held when the change was refused', async () => {
    const store = useNotifySettingsStore();
    vi.mocked(setNotifySetting).mockResolvedValueOnce({ ok: true, data: { roomId: 'lobby', level: 'all', mutedUntil: null } });
    await store.update({ roomId: 'lobby', level: 'all' });
    expect(store.settingOf('lobby').level).toBe('all');
    vi.mocked(setNotifySetting).mockResolvedValueOnce({ ok: false, error: { code: 'disconnected', message: 'You are offline.' } });
    expect(await store.update({ roomId: 'lobby', level: 'none' })).toMatchObject({ ok: false });
    expect(store.settingOf('lobby').level).toBe('all');
  });
});
