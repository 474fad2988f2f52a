import { describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import type { UserDto } from '@confab/shared';
import { mentionTokenAt, useMentionAutocomplete } from './useMentionAutocomplete';
import { createMentionSource, matchesMention } from './useMentionSource';
import { isWithinEditWindow } from './useChatActions';

const BOB: UserDto = { id: 'b'.repeat(24), username: 'bob', displayName: 'Bob Baker' };
const BEA: UserDto = { id: 'c'.repeat(24), username: 'bea_x', displayName: 'Beatrice Xu' };
const ANN: UserDto = { id: 'd'.repeat(24), username: 'ann', displayName: 'Ann Bolt' };
const key = (k: string, init: KeyboardEventInit = {}) => new KeyboardEvent('keydown', { key: k, cancelable: true, ...init });

describe('the @name being typed', () => {
  it('is found right before the caret, at the start or after a space, not inside a word or an address', () => {
    expect(mentionTokenAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionTokenAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionTokenAt('hi @bo there', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionTokenAt('hi @bo there', 12)).toBeNull();
    expect(mentionTokenAt('mail@example', 12)).toBeNull();
    expect(mentionTokenAt('(@ann', 5)).toEqual({ start: 1, query: 'ann' });
  });

  it('matches a username or any word of a display name by prefix, case-insensitively', () => {
    expect(matchesMention(ANN, 'bo')).toBe(true);
    expect(matchesMention(BOB, 'BO')).toBe(true);
    expect(matchesMention(BEA, 'xu')).toBe(true);
    expect(matchesMention(BOB, 'ob')).toBe(false);
  });

  it('a DM offers its people, usernames that start with the query first', async () => {
    const source = createMentionSource({ kind: 'people', users: [ANN, BOB, BEA] });
    expect((await source('b'))!.map((u) => u.username)).toEqual(['bea_x', 'bob', 'ann']);
    expect(await source('zz')).toEqual([]);
  });
});

describe('the mention menu', () => {
  function setup(text: string) {
    const textarea = document.createElement('textarea');
    document.body.append(textarea);
    const draft = ref(text);
    textarea.value = text;
    textarea.setSelectionRange(text.length, text.length);
    const source = vi.fn(createMentionSource({ kind: 'people', users: [ANN, BOB, BEA] }));
    const menu = useMentionAutocomplete(ref(textarea), draft, () => source);
    return { textarea, draft, menu, source };
  }

  it('opens on @, narrows as the name is typed, and Enter inserts "@username " with the caret after it', async () => {
    const { textarea, draft, menu } = setup('hello @');
    await menu.update();
    expect(menu.isOpen.value).toBe(true);
    expect(menu.options.value).toHaveLength(3);
    draft.value = textarea.value = 'hello @bo';
    textarea.setSelectionRange(9, 9);
    await menu.update();
    expect(menu.options.value.map((u) => u.username)).toEqual(['bob', 'ann']);
    const enter = key('Enter');
    expect(menu.onKeydown(enter)).toBe(true);
    expect(enter.defaultPrevented).toBe(true);
    await nextTick();
    await nextTick();
    expect(draft.value).toBe('hello @bob ');
    expect(menu.isOpen.value).toBe(false);
  });

  it('arrow keys move the choice round the list, Tab picks it, text after the caret is kept', async () => {
    const { textarea, draft, menu } = setup('@b and more');
    textarea.setSelectionRange(2, 2);
    await menu.update();
    expect(menu.options.value.map((u) => u.username)).toEqual(['bea_x', 'bob', 'ann']);
    menu.onKeydown(key('ArrowDown'));
    menu.onKeydown(key('ArrowDown'));
    menu.onKeydown(key('ArrowDown'));
    expect(menu.activeIndex.value).toBe(0);
    menu.onKeydown(key('ArrowUp'));
    expect(menu.activeIndex.value).toBe(2);
    menu.onKeydown(key('Tab'));
    await nextTick();
    expect(draft.value).toBe('@ann and more');
    expect(textarea.selectionStart).toBe(5);
  });

  it('Escape closes it for this @ only; keys are left alone while it is closed', async () => {
    const { textarea, draft, menu } = setup('@');
    await menu.update();
    expect(menu.onKeydown(key('Escape'))).toBe(true);
    expect(menu.isOpen.value).toBe(false);
    draft.value = textarea.value = '@b';
    textarea.setSelectionRange(2, 2);
    await menu.update();
    expect(menu.isOpen.value).toBe(false);
    expect(menu.onKeydown(key('Enter'))).toBe(false);
    draft.value = textarea.value = '@b @';
    textarea.setSelectionRange(4, 4);
    await menu.update();
    expect(menu.isOpen.value).toBe(true);
  });
});

describe('the edit window', () => {
  const sent = new Date(Date.UTC(2026, 2, 1, 12)).toISOString();
  const at = (minutes: number) => () => Date.UTC(2026, 2, 1, 12, minutes);

  it('is unlimited when null, off when 0, and closes after its length', () => {
    expect(isWithinEditWindow(sent, null, at(60 * 24 * 365))).toBe(true);
    expect(isWithinEditWindow(sent, 0, at(0))).toBe(false);
    expect(isWithinEditWindow(sent, 15 * 60_000, at(14))).toBe(true);
    expect(isWithinEditWindow(sent, 15 * 60_000, at(15))).toBe(false);
    // Settings not loaded yet: no edit action rather than one the server may refuse.
    expect(isWithinEditWindow(sent, undefined, at(0))).toBe(false);
  });
});
