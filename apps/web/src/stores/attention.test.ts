import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { loadLocale, t } from '../i18n';
import { useAttentionStore } from './attention';

beforeEach(() => {
  setActivePinia(createPinia());
});
afterEach(async () => {
  await loadLocale('en');
});

describe('page title', () => {
  it('a title from the catalogue follows a change of language; a fixed one stays', async () => {
    const attention = useAttentionStore();
    expect(attention.pageTitle).toBeNull();

    attention.setPageTitle(() => t('app.titles.account'));
    expect(attention.pageTitle).toBe('Account');
    await loadLocale('zh-CN');
    expect(attention.pageTitle).toBe('账号');

    attention.setPageTitle('Alice Adams');
    expect(attention.pageTitle).toBe('Alice Adams');
    await loadLocale('en');
    expect(attention.pageTitle).toBe('Alice Adams');

    attention.setPageTitle(null);
    expect(attention.pageTitle).toBeNull();
  });
});
