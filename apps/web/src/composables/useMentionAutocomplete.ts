import { computed, nextTick, ref, type Ref } from 'vue';
import type { UserDto } from '@confab/shared';
import type { MentionSource } from './useMentionSource';

// `@` and what has been typed of a name, right before the caret, not inside a word or an address
// (the same boundary as the shared `mentionCandidates`, so what the menu inserts is a mention).
const TOKEN_BEFORE_CARET = /(?<![\p{L}\p{N}._@-])@([A-Za-z0-9._-]{0,32})$/u;

/** The `@name` being typed at `caret`: where its `@` is and what follows it, or null. */
export function mentionTokenAt(text: string, caret: number): { start: number; query: string } | null {
  const match = TOKEN_BEFORE_CARET.exec(text.slice(0, caret));
  return match ? { start: caret - match[0].length, query: match[1]! } : null;
}

/**
 * The composer's `@` menu: opens on `@` with the people the room's source offers, narrows as the
 * reader types, and is driven from the textarea (a textbox with aria-autocomplete="list" that
 * points at the listbox and its active option while open, as GitHub's and Slack's composers do):
 * Up and Down move, Enter or Tab pick, Escape closes. Picking replaces the token with `@username `.
 */
export function useMentionAutocomplete(textarea: Ref<HTMLTextAreaElement | null>, draft: Ref<string>, source: () => MentionSource | null | undefined) {
  const options = ref<UserDto[]>([]);
  const activeIndex = ref(0);
  const token = ref<{ start: number; query: string } | null>(null);
  // The token the reader closed with Escape: it stays closed until they start another.
  let dismissedAt: number | null = null;
  let request = 0;

  const isOpen = computed(() => token.value !== null && options.value.length > 0);

  function close(): void {
    request += 1;
    token.value = null;
    options.value = [];
  }

  /** After every input and caret move: finds the token at the caret and asks for matching people. */
  async function update(): Promise<void> {
    const el = textarea.value;
    const find = source();
    const found = el && find && el.selectionStart === el.selectionEnd ? mentionTokenAt(draft.value, el.selectionStart) : null;
    if (!found || found.start === dismissedAt) {
      if (!found) dismissedAt = null;
      close();
      return;
    }
    if (token.value?.start === found.start && token.value.query === found.query) return;
    const current = ++request;
    token.value = found;
    const users = await find!(found.query);
    if (current !== request) return;
    options.value = users ?? [];
    activeIndex.value = 0;
  }

  async function pick(user: UserDto): Promise<void> {
    const el = textarea.value;
    const at = token.value;
    if (!el || !at) return;
    const end = at.start + 1 + at.query.length;
    const rest = draft.value.slice(end);
    // One space after the name: the one already there, or a new one.
    const inserted = /^\s/u.test(rest) ? `@${user.username}` : `@${user.username} `;
    draft.value = draft.value.slice(0, at.start) + inserted + rest;
    close();
    await nextTick();
    const caret = at.start + inserted.length + (inserted.endsWith(' ') ? 0 : 1);
    el.focus();
    el.setSelectionRange(caret, caret);
  }

  /** Handles the menu's keys; true when the key was its to handle (the composer then does nothing else). */
  function onKeydown(event: KeyboardEvent): boolean {
    if (!isOpen.value || event.isComposing) return false;
    const count = options.value.length;
    switch (event.key) {
      case 'ArrowDown':
        activeIndex.value = (activeIndex.value + 1) % count;
        break;
      case 'ArrowUp':
        activeIndex.value = (activeIndex.value - 1 + count) % count;
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        void pick(options.value[activeIndex.value]!);
        break;
      case 'Escape':
        dismissedAt = token.value?.start ?? null;
        close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  return { options, activeIndex, isOpen, update, pick, close, onKeydown };
}
