import { loadLocale } from '../i18n';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '@confab/shared';
import { checkDraft } from './draft';

describe('checkDraft', () => {
  it('treats whitespace as nothing to send rather than an error', () => {
    expect(checkDraft(' \n\t ')).toMatchObject({ isBlank: true, error: null, length: 0 });
  });

  it('counts what the server will store and warns near the limit', () => {
    expect(checkDraft(`  ${'a'.repeat(LIMITS.bodyWarnLength - 1)}  `)).toMatchObject({ isNearLimit: false, error: null });
    expect(checkDraft('a'.repeat(LIMITS.bodyWarnLength))).toMatchObject({ isNearLimit: true, remaining: LIMITS.bodyMaxLength - LIMITS.bodyWarnLength });
    expect(checkDraft('a\r\nb').length).toBe(3);
  });

  it('explains a draft the shared schema refuses', () => {
    expect(checkDraft('a'.repeat(LIMITS.bodyMaxLength + 2))).toMatchObject({ remaining: -2, error: `Message must be at most ${LIMITS.bodyMaxLength} characters` });
    expect(checkDraft('bell \u0007').error).toBe('Message contains a control character');
  });

  it('refuses a draft of only invisible characters with the reason, and keeps joiners beside visible text', () => {
    expect(checkDraft('\u200B\u200D\u3164')).toMatchObject({ isBlank: false, error: 'Message must contain a visible character' });
    expect(checkDraft('👩🏽\u200D💻 hi\u200B')).toMatchObject({ isBlank: false, error: null });
  });
});

describe('checkDraft in Chinese', () => {
  afterEach(async () => {
    await loadLocale('en');
  });

  it('says why a draft is refused in the language on screen, and follows a change back', async () => {
    const tooLong = 'x'.repeat(LIMITS.bodyMaxLength + 1);
    expect(checkDraft(tooLong).error).toBe(`Message must be at most ${LIMITS.bodyMaxLength} characters`);
    await loadLocale('zh-CN');
    expect(checkDraft(tooLong).error).toBe(`消息不能超过 ${LIMITS.bodyMaxLength} 个字符`);
  });
});
