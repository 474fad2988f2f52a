import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { ALICE, BOB } from '../testing/factories';
import { eventParts, eventText } from './roomEvents';

afterEach(async () => {
  await loadLocale('en');
});

describe('room event lines', () => {
  it('keeps each person a part of their own, wherever the sentence puts them', () => {
    expect(eventParts({ type: 'added', user: BOB }, ALICE)).toEqual([
      { kind: 'user', user: ALICE },
      { kind: 'text', text: ' added ' },
      { kind: 'user', user: BOB },
    ]);
    expect(eventParts({ type: 'renamed', name: 'design-team' }, ALICE)).toEqual([
      { kind: 'user', user: ALICE },
      { kind: 'text', text: ' renamed the channel to #design-team' },
    ]);
  });

  it('takes nothing a user wrote for a placeholder', () => {
    const topic = '{name} \u{E000}user\u{E000} {\'@\'} | x';
    expect(eventText({ type: 'topic', topic }, ALICE)).toBe(`Alice Archer set the topic: ${topic}`);
  });

  it('says it in Chinese, with the words around the names where Chinese puts them', async () => {
    await loadLocale('zh-CN');
    expect(eventText({ type: 'renamed', name: 'design-team' }, ALICE)).toBe('Alice Archer 将频道重命名为 #design-team');
    expect(eventText({ type: 'topic', topic: 'Pixels' }, ALICE)).toBe('Alice Archer 将话题设为：Pixels');
    expect(eventParts({ type: 'removed', user: BOB }, ALICE)).toEqual([
      { kind: 'user', user: ALICE },
      { kind: 'text', text: ' 移除了 ' },
      { kind: 'user', user: BOB },
    ]);
  });
});
