import { afterEach, describe, expect, it } from 'vitest';
import { clientError, errorText } from './errors';
import { currentLocale, loadLocale, t } from './index';
import { matchLocale } from './locales';
import { pluralRule } from './plurals';
import { formatRelative } from '../lib/format';

afterEach(async () => {
  await loadLocale('en');
});

describe('i18n', () => {
  it('takes the browser’s first language it speaks; any Chinese gets Simplified Chinese', () => {
    expect(matchLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(matchLocale(['zh_TW'])).toBe('zh-CN');
    expect(matchLocale(['zh-Hans-SG'])).toBe('zh-CN');
    expect(matchLocale(['fr-FR', 'en-GB', 'zh'])).toBe('en');
    expect(matchLocale(['fr-FR', 'zh-HK'])).toBe('zh-CN');
    expect(matchLocale(['de'])).toBe('en');
    expect(matchLocale([])).toBe('en');
  });

  it('chooses plural forms by the CLDR rules of each language', () => {
    const english = pluralRule('en');
    expect([0, 1, 2, 21].map((n) => english(n, 2))).toEqual([1, 0, 1, 1]);
    expect([0, 1, 2].map((n) => english(n, 3))).toEqual([0, 1, 2]);
    const chinese = pluralRule('zh-CN');
    expect([0, 1, 2].map((n) => chinese(n, 1))).toEqual([0, 0, 0]);
    expect([1, 2].map((n) => chinese(n, 2))).toEqual([1, 1]);
  });

  it('puts the count in a plural message, in English and in Chinese', async () => {
    expect(t('common.signOutLosingUnsent', { unsent: 1 }, 1)).toMatch(/^You have 1 unsent message\. /);
    expect(t('common.signOutLosingUnsent', { unsent: 3 }, 3)).toMatch(/^You have 3 unsent messages\. /);
    await loadLocale('zh-CN');
    expect(currentLocale()).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(t('common.signOutLosingUnsent', { unsent: 3 }, 3)).toMatch(/^你有 3 条未发送的消息。/);
  });

  it('shows the server’s message in English and the code’s text in Chinese, the message when the code is unknown', async () => {
    const wrong = { code: 'invalid_credentials', message: 'Wrong username or password.' };
    expect(errorText(wrong)).toBe('Wrong username or password.');
    expect(errorText({ code: 'limit_reached', message: 'You can be in at most 500 rooms.' })).toBe('You can be in at most 500 rooms.');
    await loadLocale('zh-CN');
    expect(errorText(wrong)).toBe('用户名或密码错误。');
    expect(errorText({ code: 'rate_limited', message: 'Too many requests', retryAfterMs: 2500 })).toBe('请求过于频繁，请在 3 秒后再试。');
    expect(errorText({ code: 'brand_new_code', message: 'Something new.' })).toBe('Something new.');
    expect(errorText({ code: 'brand_new_code' })).toBe('出错了。');
  });

  it('keeps the client’s own errors in English for the record and words them in the language on screen when shown', async () => {
    const offline = clientError('disconnected', 'errors.offline');
    expect(offline.message).toBe('You are offline.');
    expect(errorText(offline)).toBe('You are offline.');
    await loadLocale('zh-CN');
    expect(clientError('timeout', 'errors.timeout').message).toBe('The server did not answer in time.');
    expect(errorText(offline)).toBe('你已离线。');
    expect(errorText({ code: 'invalid_payload', message: 'topic: too long', field: 'topic' })).toBe('提交失败，请检查“话题”。');
  });

  it('writes relative times in the language on screen', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(formatRelative(now - 20_000, now)).toBe('just now');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now - 26 * 3600_000, now)).toBe('yesterday');
    await loadLocale('zh-CN');
    expect(formatRelative(now - 20_000, now)).toBe('刚刚');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5分钟前');
    expect(formatRelative(now - 26 * 3600_000, now)).toBe('昨天');
  });
});
