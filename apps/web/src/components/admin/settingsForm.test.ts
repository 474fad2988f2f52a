import { afterEach, describe, expect, it } from 'vitest';
import type { AdminSettingsDto } from '@confab/shared';
import { loadLocale } from '../../i18n';
import { formFromSettings, patchFromForm } from './settingsForm';

const MB = 1024 * 1024;
const STORED: AdminSettingsDto = {
  serverName: 'Confab',
  registration: 'open',
  membersCanInvite: false,
  recallWindowMs: 120_000,
  editWindowMs: null,
  uploadMaxBytes: 25 * MB,
  uploadQuotaBytes: null,
  rateLimitPreset: 'standard',
};

afterEach(async () => {
  await loadLocale('en');
});

describe('the settings form', () => {
  it('shows windows in the unit they read best in, and sizes in megabytes', () => {
    expect(formFromSettings(STORED)).toMatchObject({ recallAmount: '2', recallUnit: 'minutes', editMode: 'unlimited', uploadMaxMb: '25', uploadQuotaMb: '' });
    const other = formFromSettings({ ...STORED, recallWindowMs: 90_000, editWindowMs: 0, uploadMaxBytes: 1.5 * MB, uploadQuotaBytes: 512 * MB });
    expect(other).toMatchObject({ recallAmount: '90', recallUnit: 'seconds', editMode: 'off', uploadMaxMb: '1.5', uploadQuotaMb: '512' });
    expect(formFromSettings({ ...STORED, recallWindowMs: 0, editWindowMs: 30 * 60_000 })).toMatchObject({ recallAmount: '0', recallUnit: 'seconds', editMode: 'limited', editMinutes: '30' });
  });

  it('saved unchanged asks to change nothing, although sizes were rounded for display', () => {
    const odd = { ...STORED, uploadMaxBytes: 10_000_001, uploadQuotaBytes: 123_456_789 };
    expect(patchFromForm(formFromSettings(odd), odd)).toEqual({ patch: {}, errors: {} });
    expect(patchFromForm(formFromSettings(STORED), STORED)).toEqual({ patch: {}, errors: {} });
  });

  it('asks to change only what differs, in the units the server takes', () => {
    const form = { ...formFromSettings(STORED), registration: 'closed' as const, recallAmount: '30', recallUnit: 'seconds' as const, editMode: 'limited' as const, editMinutes: '15', uploadQuotaMb: '100' };
    expect(patchFromForm(form, STORED)).toEqual({ patch: { registration: 'closed', recallWindowMs: 30_000, editWindowMs: 15 * 60_000, uploadQuotaBytes: 100 * MB }, errors: {} });
    const off = { ...formFromSettings({ ...STORED, uploadQuotaBytes: 5 * MB }), editMode: 'off' as const, uploadQuotaMb: ' ' };
    expect(patchFromForm(off, { ...STORED, uploadQuotaBytes: 5 * MB }).patch).toEqual({ editWindowMs: 0, uploadQuotaBytes: null });
  });

  it('the server name is normalised as the server stores it, and an unchanged one is no change', () => {
    const form = { ...formFromSettings(STORED), serverName: '  Confab  ' };
    expect(patchFromForm(form, STORED).patch).toEqual({});
    expect(patchFromForm({ ...form, serverName: 'Acme chat' }, STORED).patch).toEqual({ serverName: 'Acme chat' });
  });

  it('refuses what the server would refuse, under the field, and asks to change nothing', async () => {
    const form = { ...formFromSettings(STORED), serverName: '', recallAmount: '1.5', editMode: 'limited' as const, editMinutes: '20000', uploadMaxMb: 'lots', uploadQuotaMb: '-1' };
    const { errors } = patchFromForm(form, STORED);
    expect(Object.keys(errors).sort()).toEqual(['editWindowMs', 'recallWindowMs', 'serverName', 'uploadMaxBytes', 'uploadQuotaBytes']);
    expect(errors.recallWindowMs!()).toBe('Enter a whole number.');
    expect(errors.editWindowMs!()).toBe('At most 10080.');
    expect(errors.uploadMaxBytes!()).toBe('Enter a number.');
    expect(errors.uploadQuotaBytes!()).toBe('At least 0.001.');
    expect(errors.serverName!()).toMatch(/^Server name/i);
    // Worded when shown: the same errors follow a change of language.
    await loadLocale('zh-CN');
    expect(errors.recallWindowMs!()).toBe('请输入整数。');
    expect(errors.serverName!()).toContain('1 到 60 个字符');
  });

  it('a recall window in minutes may be as long as the server allows, and not a minute longer', () => {
    const form = { ...formFromSettings(STORED), recallUnit: 'minutes' as const };
    expect(patchFromForm({ ...form, recallAmount: '10080' }, STORED)).toEqual({ patch: { recallWindowMs: 7 * 24 * 3600_000 }, errors: {} });
    expect(Object.keys(patchFromForm({ ...form, recallAmount: '10081' }, STORED).errors)).toEqual(['recallWindowMs']);
  });
});
