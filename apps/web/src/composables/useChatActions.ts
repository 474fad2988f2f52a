import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue';
import type { ReplyQuoteDto } from '@confab/shared';
import { t } from '../i18n';
import { errorText } from '../i18n/errors';
import { isChangeEntry, type ReplyRef } from '../lib/messageChanges';
import { toReactionEmoji } from '../lib/reactionEmoji';
import type { RoomMessages } from '../lib/roomMessages';
import type { TimelineMessage } from '../lib/timeline';
import { serverNow } from '../lib/serverClock';
import { useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { useRecentEmoji } from './useRecentEmoji';

/** How long a refused reaction's error stays under its message. */
export const REACTION_ERROR_MS = 6_000;

/**
 * Whether a message sent at `createdAt` may still be edited at `now()` (server time) under the
 * server's window: null is no limit, 0 is editing switched off, undefined is not known yet.
 */
export function isWithinEditWindow(createdAt: string, windowMs: number | null | undefined, now: () => number): boolean {
  if (windowMs === undefined || windowMs === 0) return false;
  // `now` is only read for a limited window, so an unlimited one does not re-render every tick.
  return windowMs === null || new Date(createdAt).getTime() + windowMs > now();
}

/**
 * What the reader can do to a room's messages beyond sending: reply (the quote the composer
 * shows and sends), edit in place (one message at a time; Up in an empty composer picks the
 * last own one), and react. One per view, shared by its message list and its composer.
 */
export function useChatActions(room: () => RoomMessages | null) {
  const session = useSessionStore();
  const settings = useSettingsStore();
  const recent = useRecentEmoji();

  /** The message the composer's next send replies to: only what names it, never its text. */
  const replyTo = ref<ReplyRef | null>(null);
  /** Its quote as the reply bar shows it, built from the original as it is now (edited, or recalled). */
  const replyQuote = computed((): ReplyQuoteDto | null => (replyTo.value ? (room()?.quoteFor(replyTo.value) ?? null) : null));
  /** The message being edited in place, by id, and whether its save is on its way. */
  const editingId = ref<string | null>(null);
  const isSaving = ref(false);
  /** Bumped to ask the composer to take the focus back (after an edit ends). */
  const composerFocus = ref(0);
  // Each error as a function that words it: the text follows a change of language.
  const errors = ref<Readonly<Record<string, () => string>>>({});
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onBeforeUnmount(() => timers.forEach(clearTimeout));

  // Another room: what was being answered or edited belongs to the previous one.
  watch(
    () => room()?.roomId,
    () => {
      replyTo.value = null;
      editingId.value = null;
      errors.value = {};
    },
  );

  function setError(id: string, wording: (() => string) | null, forMs?: number): void {
    const { [id]: _, ...rest } = errors.value;
    errors.value = wording === null ? rest : { ...rest, [id]: wording };
    if (wording === null || !forMs) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (errors.value[id] === wording) setError(id, null);
    }, forMs);
    timers.add(timer);
  }

  /**
   * When the entry's edit window closes (epoch ms on the server's clock): null when it never does,
   * undefined when the entry offers no edit at all. A view hides its Edit action at that moment.
   */
  function editDeadline(entry: TimelineMessage): number | null | undefined {
    const windowMs = settings.settings?.editWindowMs;
    if (!entry.isOwn || entry.isRecalled || entry.status !== 'sent' || !entry.id || windowMs === undefined || windowMs === 0) return undefined;
    return windowMs === null ? null : new Date(entry.createdAt).getTime() + windowMs;
  }

  function canEdit(entry: TimelineMessage): boolean {
    if (!entry.isOwn || entry.isRecalled || entry.status !== 'sent' || !entry.id) return false;
    return isWithinEditWindow(entry.createdAt, settings.settings?.editWindowMs, () => serverNow().getTime());
  }

  function startEdit(entry: TimelineMessage): void {
    if (!canEdit(entry)) return;
    if (editingId.value) setError(editingId.value, null);
    editingId.value = entry.id;
  }

  function stopEdit(): void {
    if (editingId.value) setError(editingId.value, null);
    editingId.value = null;
    composerFocus.value += 1;
  }

  /** Up in an empty composer: edits our newest message that may still be edited. False when there is none. */
  function editLast(): boolean {
    const me = session.user?.id;
    const held = room()?.messages ?? [];
    for (let i = held.length - 1; i >= 0; i -= 1) {
      const m = held[i]!;
      if (m.author.id !== me || isChangeEntry(m) || m.event || m.recalledAt) continue;
      if (!isWithinEditWindow(m.createdAt, settings.settings?.editWindowMs, () => serverNow().getTime())) return false;
      editingId.value = m.id;
      return true;
    }
    return false;
  }

  /** Saves an edit; on a refusal the editor stays open with its text, and the error shows under it. */
  async function saveEdit(entry: TimelineMessage, body: string): Promise<boolean> {
    const target = room();
    if (!target || !entry.id) return false;
    if (body.trim() === entry.body.trim()) {
      stopEdit();
      return true;
    }
    setError(entry.id, null);
    isSaving.value = true;
    const res = await target.edit(entry.id, body);
    isSaving.value = false;
    if (!res.ok) {
      const { error } = res;
      setError(entry.id, () => errorText(error));
      return false;
    }
    if (editingId.value === entry.id) stopEdit();
    return true;
  }

  function startReply(entry: TimelineMessage): void {
    if (!entry.id || entry.seq === null || entry.isRecalled) return;
    replyTo.value = { messageId: entry.id, seq: entry.seq, author: { id: entry.authorId, name: entry.authorName } };
    composerFocus.value += 1;
  }

  /**
   * `toggle` (a click on a chip): adds the reaction if the reader's is not shown on the message,
   * else takes it back, decided from what the reader sees. `add` (the picker, its quick picks):
   * only ever adds, nothing if the reader's is shown, so two tabs picking the same emoji both end
   * with it rather than undoing each other.
   */
  async function react(entry: TimelineMessage, picked: string, mode: 'toggle' | 'add' = 'toggle'): Promise<void> {
    const target = room();
    if (!target || !entry.id) return;
    const emoji = toReactionEmoji(picked);
    if (!emoji) {
      setError(entry.id, () => t('chat.actions.notAReaction', { emoji: picked }), REACTION_ERROR_MS);
      return;
    }
    const add = !entry.reactions.some((r) => r.emoji === emoji && r.isMine);
    if (mode === 'add' || add) recent.use(emoji);
    if (!add && mode === 'add') return;
    const res = await target.react(entry.id, emoji, add);
    if (!res.ok) {
      const { error } = res;
      setError(entry.id, () => errorText(error), REACTION_ERROR_MS);
    }
  }

  return reactive({
    replyTo,
    replyQuote,
    editingId,
    isSaving,
    composerFocus,
    recentEmoji: recent.list,
    errorFor: (entry: TimelineMessage) => (entry.id ? (errors.value[entry.id]?.() ?? null) : null),
    canEdit,
    editDeadline,
    startEdit,
    stopEdit,
    editLast,
    saveEdit,
    startReply,
    cancelReply: () => (replyTo.value = null),
    react,
  });
}

export type ChatActions = ReturnType<typeof useChatActions>;
