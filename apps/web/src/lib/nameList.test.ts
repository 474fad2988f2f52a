import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { nameList } from './nameList';

describe('nameList', () => {
  afterEach(() => loadLocale('en'));

  it('reads names as one phrase, in the language on screen', async () => {
    expect(nameList([])).toBe('');
    expect(nameList(['Alice'])).toBe('Alice');
    expect(nameList(['Alice', 'Bob'])).toBe('Alice and Bob');
    expect(nameList(['Alice', 'Bob', 'Carol'])).toBe('Alice, Bob and Carol');
    await loadLocale('zh-CN');
    expect(nameList(['Alice', 'Bob'])).toBe('Alice 和 Bob');
    expect(nameList(['Alice', '李娜', 'Carol'])).toBe('Alice、李娜 和 Carol');
  });
});
