import { afterEach, describe, expect, it } from 'vitest';
import { channelCreateSchema } from '@confab/shared';
import { loadLocale } from '../i18n';
import { useFormFailure } from './useFormFailure';

afterEach(async () => {
  await loadLocale('en');
});

describe('useFormFailure', () => {
  it('words a refusal when shown, so an open form follows a change of language', async () => {
    const form = useFormFailure(['name', 'topic'], { name_taken: { field: 'name', key: 'room.nameTaken' } });
    form.refusedByServer({ code: 'name_taken', message: 'A channel named design exists.' });
    const english = form.errors.value.name;
    expect(english).toMatch(/^A channel/);
    await loadLocale('zh-CN');
    expect(form.errors.value.name).toMatch(/频道/);

    expect(form.refusedBySchema(channelCreateSchema.safeParse({ name: 'bad name', topic: '', private: false }))).toBe(true);
    const chinese = form.errors.value.name;
    expect(chinese).toMatch(/名称/);
    await loadLocale('en');
    expect(form.errors.value.name).not.toBe(chinese);
    expect(form.errors.value.name).toMatch(/^Name/);

    form.refusedByServer({ code: 'internal', message: 'Something broke.' });
    expect(form.formError.value).toBe('Something broke.');
    expect(form.errors.value).toEqual({});
    await loadLocale('zh-CN');
    expect(form.formError.value).toBe('服务器出错了。');
  });
});
