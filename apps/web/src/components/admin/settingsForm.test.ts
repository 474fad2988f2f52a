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
  it('shows windows in the largest unit they are whole in, and sizes in the unit they read best in', () => {
    expect(formFromSettings(STORED)).toMatchObject({ recallAmount: '2', recallUnit: 'minutes', editMode: 'unlimited', uploadMaxAmount: '25', uploadMaxUnit: 'megabytes', uploadQuotaAmount: '' });
    const other = formFromSettings({ ...STORED, recallWindowMs: 90_000, editWindowMs: 0, uploadMaxBytes: 1.5 * MB, uploadQuotaBytes: 2048 * MB });
    expect(other).toMatchObject({ recallAmount: '90', recallUnit: 'seconds', editMode: 'off', uploadMaxAmount: '1.5', uploadMaxUnit: 'megabytes', uploadQuotaAmount: '2', uploadQuotaUnit: 'gigabytes' });
    expect(formFromSettings({ ...STORED, recallWindowMs: 0, editWindowMs: 2 * 3_600_000 })).toMatchObject({ recallAmount: '0', recallUnit: 'seconds', editMode: 'limited', editAmount: '2', editUnit: 'hours' });
  });

  it('never shows 0 for a window or a size below one unit: 20 s, 1.5 s, 0.04 MB and 1 kB read as they are', () => {
    const small = { ...STORED, recallWindowMs: 1500, editWindowMs: 20_000, uploadMaxBytes: Math.round(0.04 * MB), uploadQuotaBytes: 1024 };
    expect(formFromSettings(small)).toMatchObject({
      recallAmount: '1.5',
      recallUnit: 'seconds',
      editMode: 'limited',
      editAmount: '20',
      editUnit: 'seconds',
      uploadMaxAmount: '40.96',
      uploadMaxUnit: 'kilobytes',
      uploadQuotaAmount: '1',
      uploadQuotaUnit: 'kilobytes',
    });
  });

  it('saved unchanged asks to change nothing, to the byte and the millisecond, even where the display rounds', () => {
    const odd = { ...STORED, recallWindowMs: 1234, editWindowMs: 20_001, uploadMaxBytes: 10_000_001, uploadQuotaBytes: 123_456_789 };
    expect(patchFromForm(formFromSettings(odd), odd)).toEqual({ patch: {}, errors: {} });
    expect(patchFromForm(formFromSettings(STORED), STORED)).toEqual({ patch: {}, errors: {} });
    const small = { ...STORED, editWindowMs: 20_000, uploadMaxBytes: Math.round(0.04 * MB), uploadQuotaBytes: 1024 };
    expect(patchFromForm(formFromSettings(small), small)).toEqual({ patch: {}, errors: {} });
  });

  it('a sub-unit value typed is saved as typed, not rounded to 0 or to a whole unit', () => {
    const form = { ...formFromSettings(STORED), recallAmount: '1.5', recallUnit: 'seconds' as const, editMode: 'limited' as const, editAmount: '20', editUnit: 'seconds' as const, uploadMaxAmount: '0.04', uploadMaxUnit: 'megabytes' as const };
    expect(patchFromForm(form, STORED)).toEqual({ patch: { recallWindowMs: 1500, editWindowMs: 20_000, uploadMaxBytes: Math.round(0.04 * MB) }, errors: {} });
    // What was saved shows again as it gives back exactly, and saving it again changes nothing.
    const saved = { ...STORED, recallWindowMs: 1500, editWindowMs: 20_000, uploadMaxBytes: Math.round(0.04 * MB) };
    expect(patchFromForm(formFromSettings(saved), saved).patch).toEqual({});
  });

  it('asks to change only what differs, in the units the server takes', () => {
    const form = { ...formFromSettings(STORED), registration: 'closed' as const, recallAmount: '30', recallUnit: 'seconds' as const, editMode: 'limited' as const, editAmount: '15', editUnit: 'minutes' as const, uploadQuotaAmount: '100' };
    expect(patchFromForm(form, STORED)).toEqual({ patch: { registration: 'closed', recallWindowMs: 30_000, editWindowMs: 15 * 60_000, uploadQuotaBytes: 100 * MB }, errors: {} });
    const off = { ...formFromSettings({ ...STORED, uploadQuotaBytes: 5 * MB }), editMode: 'off' as const, uploadQuotaAmount: ' ' };
    expect(patchFromForm(off, { ...STORED, uploadQuotaBytes: 5 * MB }).patch).toEqual({ editWindowMs: 0, uploadQuotaBytes: null });
    // The same number in another unit is a change.
    expect(patchFromForm({ ...formFromSettings(STORED), uploadMaxUnit: 'kilobytes' }, STORED).patch).toEqual({ uploadMaxBytes: 25 * 1024 });
  });

  it('the server name is normalised as the server stores it, and an unchanged one is no change', () => {
    const form = { ...formFromSettings(STORED), serverName: '  Confab  ' };
    expect(patchFromForm(form, STORED).patch).toEqual({});
    expect(patchFromForm({ ...form, serverName: 'Acme chat' }, STORED).patch).toEqual({ serverName: 'Acme chat' });
  });

  it('refuses what the server would refuse, under the field, naming the bound in its unit, and asks to change nothing', async () => {
    const form = { ...formFromSettings(STORED), serverName: '', recallAmount: '-1', editMode: 'limited' as const, editAmount: '20000', editUnit: 'minutes' as const, uploadMaxAmount: 'lots', uploadQuotaAmount: '0.5', uploadQuotaUnit: 'kilobytes' as const };
    const { errors } = patchFromForm(form, STORED);
    expect(Object.keys(errors).sort()).toEqual(['editWindowMs', 'recallWindowMs', 'serverName', 'uploadMaxBytes', 'uploadQuotaBytes']);
    expect(errors.recallWindowMs!()).toBe('At least 0 seconds.');
    expect(errors.editWindowMs!()).toBe('At most 7 days.');
    expect(errors.uploadMaxBytes!()).toBe('Enter a number.');
    expect(errors.uploadQuotaBytes!()).toBe('At least 1 kB.');
    expect(errors.serverName!()).toMatch(/^Server name/i);
    expect(patchFromForm({ ...form, uploadMaxAmount: '11', uploadMaxUnit: 'gigabytes' }, STORED).errors.uploadMaxBytes!()).toBe('At most 10 GB.');
    // Worded when shown: the same errors follow a change of language.
    await loadLocale('zh-CN');
    expect(errors.editWindowMs!()).toBe('不能大于 7天。');
    expect(errors.uploadMaxBytes!()).toBe('请输入数字。');
    expect(errors.serverName!()).toContain('1 到 60 个字符');
  });

  it('a recall window in minutes may be as long as the server allows, and not a minute longer', () => {
    const form = { ...formFromSettings(STORED), recallUnit: 'minutes' as const };
    expect(patchFromForm({ ...form, recallAmount: '10080' }, STORED)).toEqual({ patch: { recallWindowMs: 7 * 24 * 3600_000 }, errors: {} });
    expect(Object.keys(patchFromForm({ ...form, recallAmount: '10081' }, STORED).errors)).toEqual(['recallWindowMs']);
  });
});
