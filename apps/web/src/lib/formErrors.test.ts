import { afterEach, describe, expect, it } from 'vitest';
import { changePasswordSchema, channelCreateSchema, registerSchema, signInSchema } from '@confab/shared';
import { loadLocale } from '../i18n';
import { fieldErrors, placeServerError } from './formErrors';

afterEach(async () => {
  await loadLocale('en');
});

describe('form errors', () => {
  it('keeps the first issue of each field, as a sentence', () => {
    const result = {
      success: false as const,
      error: { issues: [
        { path: ['username'], message: 'username must be at least 3 characters' },
        { path: ['username'], message: 'second issue' },
        { path: ['password'], message: 'password is required' },
      ] },
    };
    expect(fieldErrors(result)).toEqual({ username: 'Username must be at least 3 characters', password: 'Password is required' });
    expect(fieldErrors({ success: true })).toEqual({});
  });

  it('puts a server error on the field it names, or above the form', () => {
    expect(placeServerError({ code: 'username_taken', message: 'That username is taken.', field: 'username' }, ['username', 'password'])).toEqual({
      field: 'username',
      message: 'That username is taken.',
    });
    expect(placeServerError({ code: 'invalid_payload', message: 'password: password must be a string', field: 'password' }, ['password'])).toEqual({
      field: 'password',
      message: 'Password must be a string',
    });
    expect(placeServerError({ code: 'invalid_credentials', message: 'Wrong username or password.' }, ['username'])).toEqual({
      field: null,
      message: 'Wrong username or password.',
    });
  });

  it("words the shared schemas' issues in English exactly as they give them", () => {
    expect(fieldErrors(registerSchema.safeParse({ username: 'a b', password: 'short', displayName: '\u202E' }))).toEqual({
      username: 'Username may hold only letters, digits, ".", "_" and "-"',
      password: 'Password must be at least 8 characters',
      displayName: 'Display name must not contain invisible or text-direction characters (found U+202E)',
    });
  });

  it('words schema issues in Chinese by their kind, limits and field', async () => {
    await loadLocale('zh-CN');
    expect(fieldErrors(registerSchema.safeParse({ username: 'a b', password: 'short', displayName: '\u202E' }))).toEqual({
      username: '用户名只能包含字母、数字、“.”、“_”和“-”',
      password: '密码至少需要 8 个字符',
      displayName: '显示名称不能包含不可见字符或文字方向控制字符（发现 U+202E）',
    });
    expect(fieldErrors(registerSchema.safeParse({ username: 'a'.repeat(40), password: 8, displayName: 'x'.repeat(100) }))).toEqual({
      username: '用户名不能超过 32 个字符',
      password: '密码格式不正确',
      displayName: '显示名称不能超过 64 个字符',
    });
    expect(fieldErrors(signInSchema.safeParse({ username: '', password: '' }))).toEqual({ username: '请填写用户名', password: '请填写密码' });
    expect(fieldErrors(changePasswordSchema.safeParse({ currentPassword: '', newPassword: 'short' }))).toEqual({
      currentPassword: '请填写当前密码',
      newPassword: '新密码至少需要 8 个字符',
    });
    expect(fieldErrors(channelCreateSchema.safeParse({ name: 'a b', topic: 'a\u202Eb' }))).toEqual({
      name: '名称只能包含字母、数字、“-” 和 “_”（不能有空格）',
      topic: '话题不能包含文字方向控制字符',
    });
    expect(fieldErrors(channelCreateSchema.safeParse({ name: '--', topic: 'x'.repeat(300) }))).toEqual({ name: '名称必须包含字母或数字', topic: '话题不能超过 250 个字符' });
    expect(fieldErrors(channelCreateSchema.safeParse({ name: 'lobby', topic: '\u200B' }))).toEqual({ name: '该名称已被系统保留', topic: '话题必须包含可见字符' });
  });

  it('keeps the English message of an issue it cannot word, in Chinese', async () => {
    await loadLocale('zh-CN');
    const result = { success: false as const, error: { issues: [
      { code: 'custom', path: ['name'], message: 'name a new name or topic' },
      { code: 'too_small', origin: 'array', minimum: 2, path: ['userIds'], message: 'userIds must name at least 2 other people' },
    ] } };
    expect(fieldErrors(result)).toEqual({ name: 'Name a new name or topic', userIds: 'UserIds must name at least 2 other people' });
  });

  it("gives a server error the code's text in Chinese, on its field or above the form", async () => {
    await loadLocale('zh-CN');
    expect(placeServerError({ code: 'username_taken', message: 'That username is taken.', field: 'username' }, ['username', 'password'])).toEqual({
      field: 'username',
      message: '该用户名已被占用。',
    });
    expect(placeServerError({ code: 'invalid_payload', message: 'password: password must be a string', field: 'password' }, ['password']).message).toBe('提交失败，请检查填写的内容。');
    expect(placeServerError({ code: 'invalid_credentials', message: 'Wrong username or password.' }, ['username'])).toEqual({ field: null, message: '用户名或密码错误。' });
    // The password change: it is the current password that is wrong.
    expect(placeServerError({ code: 'invalid_credentials', message: 'The current password is wrong.', field: 'currentPassword' }, ['currentPassword', 'newPassword'])).toEqual({
      field: 'currentPassword',
      message: '当前密码不正确。',
    });
  });
});
